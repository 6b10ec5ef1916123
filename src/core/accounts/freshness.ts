// When the listing is re-done. Accounts are cheap (100 per call) and change when someone is given
// access, so they are listed again at a start when the last complete account listing is older than
// a few minutes (windows opened together share one). Roles are one call per account and change
// rarely (a permission set assigned or removed), so an account's roles are listed again only when:
// the account is new, its roles are older than `rolesMaxAgeMs`, or a credential fetch for one of its
// listed roles was refused (catalog.rolesDoubtful). Refresh Accounts lists everything.
import { errorName } from '../common/errors';

export interface FreshnessRule {
  accountsMaxAgeMs: number;
  rolesMaxAgeMs: number;
}

export const DEFAULT_FRESHNESS: FreshnessRule = {
  accountsMaxAgeMs: 10 * 60_000,
  rolesMaxAgeMs: 12 * 3_600_000,
};

/** Whether a listing whose account pages completed at `accountsAt` (0: never) must list accounts again. */
export function accountsStale(accountsAt: number, now: number, rule: FreshnessRule): boolean {
  return !(accountsAt > 0) || now - accountsAt > rule.accountsMaxAgeMs || accountsAt > now + 60_000;
}

/** Whether roles listed at `rolesAt` (undefined: never) must be listed again. A time in the future is not trusted. */
export function rolesStale(rolesAt: number | undefined, now: number, rule: FreshnessRule): boolean {
  return rolesAt === undefined || now - rolesAt > rule.rolesMaxAgeMs || rolesAt > now + 60_000;
}

/** Names of the portal's answers meaning "this role is not (or no longer) yours". */
const REFUSED = new Set(['ResourceNotFoundException', 'ForbiddenException']);

/**
 * Wraps a role-credential fetch so that a refusal marks the account's listed roles as doubtful
 * (listed again at once), the third trigger of the rule above.
 */
export function relistOnRefusal<R extends { accountId: string; via?: unknown }, T>(
  fetch: (role: R) => Promise<T>,
  doubtful: (accountId: string) => void,
): (role: R) => Promise<T> {
  return (role) =>
    fetch(role).catch((e: unknown) => {
      if (!role.via && REFUSED.has(errorName(e))) doubtful(role.accountId);
      throw e;
    });
}
