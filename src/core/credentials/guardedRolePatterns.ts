// Which roles are guarded: patterns "<account>/<role>" from the user's awsIdc.guardedRoles, as a
// pure function (table-tested). The account part matches the account's name or its 12-digit id,
// the role part the IAM role name; `*` matches any run of characters (none too). Matching ignores
// case: IAM role names are unique regardless of case, and an account called "production" must not
// slip past a pattern that says "Production".

/** The default: administrator roles (AWS managed AdministratorAccess and every *FullAccess* set). */
export const DEFAULT_GUARDED_ROLES: readonly string[] = ['*/AdministratorAccess', '*/*FullAccess*'];

/** What a pattern is matched against. A chained role offers its target account and role, and its settings name. */
export interface GuardedRoleFacts {
  accountId: string;
  /** The account's name from the catalog, if listed. */
  accountName?: string;
  roleName: string;
  /** A chained role's settings entry name, matched as a role name too. */
  chainName?: string;
}

/**
 * The patterns of a setting value: strings only, trimmed, empties dropped. A pattern without `/`
 * names a role in any account (`AdministratorAccess` is `*\/AdministratorAccess`), so a guard the
 * user typed is never ignored for its form.
 */
export function guardedRolePatterns(value: unknown): string[] {
  if (!Array.isArray(value)) return [...DEFAULT_GUARDED_ROLES];
  return value
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.trim())
    .filter(Boolean)
    .map((v) => (v.includes('/') ? v : `*/${v}`));
}

/** The first pattern that guards the role (to say why it is guarded), else undefined. */
export function guardingPattern(patterns: readonly string[], role: GuardedRoleFacts): string | undefined {
  return patterns.find((p) => matches(p, role));
}

function matches(pattern: string, role: GuardedRoleFacts): boolean {
  // Role names hold no '/', account names may: the role part is after the last one.
  const cut = pattern.lastIndexOf('/');
  if (cut < 0) return false;
  const account = wildcard(pattern.slice(0, cut));
  const roleName = wildcard(pattern.slice(cut + 1));
  const accountHit = account.test(role.accountId) || (role.accountName !== undefined && account.test(role.accountName));
  const roleHit = roleName.test(role.roleName) || (role.chainName !== undefined && roleName.test(role.chainName));
  return accountHit && roleHit;
}

function wildcard(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'is');
}
