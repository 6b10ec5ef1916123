// The Accounts tree's order, kept up to date cheaply while a listing arrives. Sorting 10,000 names
// with a locale-aware collator takes about 100 ms, and the tree asked for it on every batch of pages:
// that was the extension host's longest pause while a big listing arrived. A batch that only adds
// accounts (what listing pages do) is sorted alone and merged into the order already known.
import type { Account } from '../common/model';

export type AccountCompare = (a: Account, b: Account) => number;

/**
 * `accounts` in `compare` order. `previous` is the last result for the same compare (or undefined);
 * it is reused when every account in it is still there under the same name, otherwise all is sorted.
 */
export function orderAccounts(previous: readonly Account[] | undefined, accounts: readonly Account[], compare: AccountCompare): Account[] {
  if (!previous?.length) return [...accounts].sort(compare);
  const before = new Map(previous.map((a) => [a.accountId, a.accountName]));
  const current = new Map<string, Account>();
  const added: Account[] = [];
  for (const a of accounts) {
    const name = before.get(a.accountId);
    if (name === undefined) added.push(a);
    else if (name !== a.accountName) return [...accounts].sort(compare); // renamed: its place changed
    current.set(a.accountId, a);
  }
  // An account gone (or listed twice) means the old order no longer describes this set.
  if (current.size - added.length !== previous.length || current.size !== accounts.length) return [...accounts].sort(compare);
  added.sort(compare);
  const out: Account[] = new Array<Account>(accounts.length);
  // Each added account's place is found by binary search from the last one's: a page of 100 costs
  // ~1,400 comparisons at 10,000 accounts instead of one per account (the collator is most of it).
  let i = 0;
  let k = 0;
  for (const a of added) {
    let lo = i;
    let hi = previous.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(previous[mid], a) <= 0) lo = mid + 1;
      else hi = mid;
    }
    while (i < lo) out[k++] = current.get(previous[i++].accountId)!;
    out[k++] = a;
  }
  while (i < previous.length) out[k++] = current.get(previous[i++].accountId)!;
  return out;
}
