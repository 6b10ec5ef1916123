// Switch Role type-ahead: which accounts the typed text names whose roles are not known yet, so
// they are looked up at once (ahead of the background listing) instead of waiting their turn.
// Pure: the quick pick calls it on every keystroke with what the catalog knows.
import type { Account } from '../common/model';
import type { RolesState } from './roleQueue';

/** Fewer characters than this name too many accounts to look up on the user's behalf. */
export const MIN_QUERY_LENGTH = 2;
/** Urgent look-ups one keystroke may ask for: the service allows about 20 calls/s in all. */
export const MAX_PER_QUERY = 8;
/** ...and one Switch Role quick pick in all, however much is typed. */
export const MAX_PER_PICK = 40;

/**
 * The account part of what was typed: "Sandbox / Admin" searches "sandbox"; the quick pick's label is
 * `Account name / Role`, so text after the slash is about roles, which we do not know yet.
 */
export function accountQuery(typed: string): string {
  return typed.split('/')[0].trim().toLowerCase().replace(/\s+/g, ' ');
}

/** How well an account matches: 0 exact name or id, 1 name/id starts with it, 2 a word starts with it, 3 contains it; -1 no match. */
export function matchRank(account: Account, query: string): number {
  if (!query) return -1;
  const name = account.accountName.toLowerCase();
  const id = account.accountId;
  if (name === query || id === query) return 0;
  if (name.startsWith(query) || id.startsWith(query)) return 1;
  if (name.split(/[\s\-_.]+/).some((w) => w.startsWith(query))) return 2;
  return name.includes(query) || id.includes(query) ? 3 : -1;
}

/**
 * Accounts to look up now for `typed`: matching ones whose roles are not loaded yet, best
 * matches first, then by name; none for text shorter than MIN_QUERY_LENGTH. Text that matches
 * more than `max` of them does not name an account yet ("St"): only exact matches are looked up.
 */
export function accountsToLookUp(typed: string, accounts: Iterable<Account>, stateOf: (accountId: string) => RolesState, max = MAX_PER_QUERY): string[] {
  const query = accountQuery(typed);
  if (query.length < MIN_QUERY_LENGTH || max <= 0) return [];
  const found: { id: string; rank: number; name: string }[] = [];
  for (const a of accounts) {
    // 'loading' may only mean queued behind the background listing: asking again moves it to the front.
    if (stateOf(a.accountId).kind === 'loaded') continue;
    const rank = matchRank(a, query);
    if (rank >= 0) found.push({ id: a.accountId, rank, name: a.accountName });
  }
  found.sort((x, y) => x.rank - y.rank || x.name.localeCompare(y.name));
  const named = found.length > max ? found.filter((f) => f.rank === 0) : found;
  return named.slice(0, max).map((f) => f.id);
}
