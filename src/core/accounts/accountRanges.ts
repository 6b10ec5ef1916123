// Big account lists in the Accounts tree as ranges of at most a few hundred accounts, the way VS Code's
// debugger shows big arrays ([0..99]). VS Code asks for, converts and serialises every row of a list
// in one task when it redraws: 10,000 rows at the root paused the extension host for 200–500 ms.
// A range starts at a fixed account (name and id) and keeps it while pages arrive, so a range the
// user expanded does not jump: accounts join the range they sort into, and a range that grows past
// the limit splits, keeping its start for its first part.
import type { Account } from '../common/model';

/** Where a range starts: an account's name and id when the range was made (it may be gone since). */
export interface RangeStart {
  readonly accountId: string;
  readonly accountName: string;
}

export interface AccountRange {
  readonly start: RangeStart;
  /** Its accounts, in the list's order (never empty). */
  readonly accounts: readonly Account[];
}

export interface RangeLimits {
  /** Lists up to this many accounts are shown flat. */
  readonly flatUpTo: number;
  /** A range holds at most this many accounts; a longer one splits into parts of about half. */
  readonly maxPerRange: number;
}

export const DEFAULT_RANGE_LIMITS: RangeLimits = { flatUpTo: 1_000, maxPerRange: 500 };

/**
 * `accounts` (sorted by `compare`) in ranges, or undefined when the list is short enough to show flat.
 * `previous` are the starts of the last partition of the same list: kept where they still have accounts.
 */
export function partitionAccounts(
  accounts: readonly Account[],
  previous: readonly RangeStart[],
  compare: (a: RangeStart, b: RangeStart) => number,
  limits: RangeLimits = DEFAULT_RANGE_LIMITS,
): AccountRange[] | undefined {
  if (accounts.length <= limits.flatUpTo) return undefined;
  const starts = previous.length ? previous : [accounts[0]];
  // Each start's place by binary search (the list is sorted): ~600 comparisons for 40 ranges of
  // 10,000 accounts, not one per account. Accounts sorting before the first start join the first range.
  const bounds = [0];
  for (let i = 1; i < starts.length; i++) bounds.push(lowerBound(accounts, starts[i], compare, bounds[i - 1]));
  bounds.push(accounts.length);
  const groups = starts.map((_, i) => accounts.slice(bounds[i], bounds[i + 1]));
  const ranges: AccountRange[] = [];
  groups.forEach((group, i) => {
    if (group.length === 0) return; // a range whose accounts are all gone
    const start = snapshot(i === 0 && previous.length === 0 ? group[0] : starts[i]);
    if (group.length <= limits.maxPerRange) return ranges.push({ start, accounts: group });
    const parts = Math.ceil(group.length / Math.max(1, Math.floor(limits.maxPerRange / 2)));
    const size = Math.ceil(group.length / parts);
    for (let p = 0; p < parts; p++) {
      const part = group.slice(p * size, (p + 1) * size);
      if (part.length) ranges.push({ start: p === 0 ? start : snapshot(part[0]), accounts: part });
    }
  });
  return ranges;
}

/** The first index from `from` whose account sorts at or after `start`. */
function lowerBound(accounts: readonly Account[], start: RangeStart, compare: (a: RangeStart, b: RangeStart) => number, from: number): number {
  let lo = from;
  let hi = accounts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(accounts[mid], start) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const snapshot = (a: RangeStart): RangeStart => ({ accountId: a.accountId, accountName: a.accountName });

/** Whether two ranges hold the same accounts under the same names, in the same order. */
export function sameAccounts(a: readonly Account[], b: readonly Account[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].accountId !== b[i].accountId || a[i].accountName !== b[i].accountName) return false;
  return true;
}
