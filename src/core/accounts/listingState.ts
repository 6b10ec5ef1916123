// What a listing is made of, as cached (globalState) and shared between windows (sharedListing.ts):
// account ids, names, emails and role names with when they were listed. Never a secret. Everything
// read back is checked field by field: a damaged or hand-edited file yields less, never a crash.
import type { Account } from '../common/model';

/** The last listing, cached between sessions. Holds no secrets. */
export interface CachedListing {
  version: 1;
  startUrl: string;
  savedAt: number;
  accounts: Account[];
  roles: Record<string, string[]>;
  /** When each account's roles were listed (absent in older caches: treated as old). */
  rolesAt?: Record<string, number>;
  /** When the account pages last completed (0 or absent: the account list may be partial). */
  accountsAt?: number;
}

/** What a listing pass reports as it goes; other windows apply it (see AccountCatalog.apply). */
export type ListingRecord =
  | { kind: 'pass'; at: number; force: boolean }
  | { kind: 'accounts'; accounts: Account[] }
  | { kind: 'accountsDone'; at: number }
  | { kind: 'roles'; accountId: string; roles: string[]; at: number }
  | { kind: 'done'; at: number };

const MAX_ID = 64;
const MAX_TEXT = 1_000;

const isText = (v: unknown, max = MAX_TEXT): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

export function parseAccount(v: unknown): Account | undefined {
  const a = v as Partial<Account> | null;
  if (!a || !isText(a.accountId, MAX_ID) || typeof a.accountName !== 'string' || a.accountName.length > MAX_TEXT) return undefined;
  const email = typeof a.emailAddress === 'string' && a.emailAddress.length <= MAX_TEXT ? a.emailAddress : undefined;
  return email === undefined
    ? { accountId: a.accountId, accountName: a.accountName }
    : { accountId: a.accountId, accountName: a.accountName, emailAddress: email };
}

export function parseRoleNames(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.length <= 1_000 && v.every((n) => isText(n, 128)) ? (v as string[]) : undefined;
}

/** A cached listing as read from disk or globalState; undefined when it is not one. */
export function parseListing(v: unknown): CachedListing | undefined {
  const l = v as Partial<CachedListing> | null;
  if (!l || l.version !== 1 || typeof l.startUrl !== 'string' || !Array.isArray(l.accounts)) return undefined;
  const accounts = l.accounts.map(parseAccount).filter((a): a is Account => a !== undefined);
  const roles: Record<string, string[]> = {};
  const rolesAt: Record<string, number> = {};
  const rawRoles = typeof l.roles === 'object' && l.roles ? l.roles : {};
  const rawAt = typeof l.rolesAt === 'object' && l.rolesAt ? l.rolesAt : {};
  for (const a of accounts) {
    const names = parseRoleNames(rawRoles[a.accountId]);
    if (!names) continue;
    roles[a.accountId] = names;
    const at = rawAt[a.accountId];
    if (isTime(at)) rolesAt[a.accountId] = at;
  }
  return {
    version: 1,
    startUrl: l.startUrl,
    savedAt: isTime(l.savedAt) ? l.savedAt : 0,
    accounts,
    roles,
    rolesAt,
    accountsAt: isTime(l.accountsAt) ? l.accountsAt : 0,
  };
}

/** One journal record as read back; undefined for anything damaged or unknown. */
export function parseRecord(v: unknown): ListingRecord | undefined {
  const r = v as Record<string, unknown> | null;
  if (!r || typeof r.kind !== 'string') return undefined;
  switch (r.kind) {
    case 'pass':
      return isTime(r.at) ? { kind: 'pass', at: r.at, force: r.force === true } : undefined;
    case 'accounts': {
      if (!Array.isArray(r.accounts) || r.accounts.length > 1_000) return undefined;
      return { kind: 'accounts', accounts: r.accounts.map(parseAccount).filter((a): a is Account => a !== undefined) };
    }
    case 'accountsDone':
    case 'done':
      return isTime(r.at) ? { kind: r.kind, at: r.at } : undefined;
    case 'roles': {
      const roles = parseRoleNames(r.roles);
      return isText(r.accountId, MAX_ID) && roles && isTime(r.at) ? { kind: 'roles', accountId: r.accountId, roles, at: r.at } : undefined;
    }
    default:
      return undefined;
  }
}
