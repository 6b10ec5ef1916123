// The role a command acts on: the one its tree node stands for (it must be one the catalog lists),
// else the one the user picks (signed in first).
import type { ActiveRole, ActiveRoleChoice } from '../../core/accounts/activeRole';
import { chainedChoices } from '../../core/credentials/knownRole';
import { portalLabelOf } from '../../core/signIn/portalLabel';
import type { TreeNode } from '../accounts/accountsTree';
import { knownRoleOf, type GuardDeps } from './commandGuards';
import { pickRole } from './roleSwitcher';

export interface ChooseRoleDeps extends GuardDeps {
  active: ActiveRole;
  ensureSignedIn: () => Promise<boolean>;
}

/**
 * Chooses the role for a command titled `title`; undefined when the user backed out. Chained roles are
 * offered too unless `offerChained` is false (e.g. for an sso_session profile, which cannot assume one).
 */
export type ChooseRole = (node: TreeNode | undefined, title: string, offerChained?: boolean) => Promise<ActiveRoleChoice | undefined>;

export function roleChooser(d: ChooseRoleDeps): ChooseRole {
  return async (node, title, offerChained = true) => {
    // A role argument (a tree node, or anything another extension or a task passes) must be one the catalog lists.
    if (node?.kind === 'role') return knownRoleOf(d, node.role);
    if (!(await d.ensureSignedIn())) return undefined;
    const chained = () => (offerChained ? chainedChoices(d.catalog.allRoles(), d.chained()) : []);
    return pickRole(d.catalog, d.active, title, (role) => (d.portals.signedIn.length > 1 ? portalLabelOf(d.portals, role) : undefined), chained);
  };
}
