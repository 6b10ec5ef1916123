// A role named by a command argument (a tree node, or whatever another extension or a task's
// `command` input passes) is only used if the catalog knows it, and everything shown about it
// (account name, role name, portal) comes from the catalog, never from the argument.
import type { ActiveRoleChoice } from '../accounts/activeRole';
import { chainedRoleDefinition, chainedRoleRef, chainedRolesFrom, type ChainedRoleDefinition } from './chainedRoles';
import type { RoleRef } from '../common/model';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The catalog's Identity Center role matching `arg` (its portal too, when the argument names one). */
function portalRole(arg: Record<string, unknown>, portalRoles: readonly RoleRef[]): RoleRef | undefined {
  const accountId = text(arg.accountId);
  const roleName = text(arg.roleName);
  const portal = arg.portal === undefined ? undefined : text(arg.portal);
  if (!accountId || !roleName || (arg.portal !== undefined && !portal)) return undefined;
  return portalRoles.find((r) => !r.via && r.accountId === accountId && r.roleName === roleName && (portal === undefined || r.portal === portal));
}

/**
 * The catalog's own entry for the role `arg` names, with the catalog's account name; undefined
 * when the sign-ins and the chained-role settings know no such role.
 */
export function knownRole(
  arg: unknown,
  portalRoles: readonly RoleRef[],
  chained: readonly ChainedRoleDefinition[],
  accountName: (accountId: string) => string | undefined,
): ActiveRoleChoice | undefined {
  if (!arg || typeof arg !== 'object' || Array.isArray(arg)) return undefined;
  const r = arg as Record<string, unknown>;
  if (r.via !== undefined) {
    const chainName = text(r.chainName);
    const source = r.via && typeof r.via === 'object' ? portalRole(r.via as Record<string, unknown>, portalRoles) : undefined;
    const def = source && chainName ? chainedRoleDefinition(chained, { accountId: '', roleName: '', via: source, chainName }) : undefined;
    if (!source || !def) return undefined;
    const role = chainedRoleRef(def, source);
    // The argument's target must be the one the settings entry assumes (not a relabelled one).
    if (role.accountId !== r.accountId || role.roleName !== r.roleName) return undefined;
    return { ...role, accountName: def.name };
  }
  const role = portalRole(r, portalRoles);
  return role && { ...role, accountName: accountName(role.accountId) ?? role.accountId };
}

/** Every chained role whose source role a signed-in portal lists, as offered in role pickers (named by its entry). */
export function chainedChoices(portalRoles: readonly RoleRef[], chained: readonly ChainedRoleDefinition[]): ActiveRoleChoice[] {
  return portalRoles
    .filter((r) => !r.via)
    .flatMap((source) => chainedRolesFrom(chained, source).map((role) => ({ ...role, accountName: role.chainName ?? role.roleName })));
}
