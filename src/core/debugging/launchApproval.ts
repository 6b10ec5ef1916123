// Whether a launch configuration may have the credentials of the role it names. A repository
// writes launch.json, so a role other than the active one is the user's decision: asked once per
// workspace and role, and remembered in the editor's own state (never in a workspace file).
import { roleKey, type RoleRef } from '../common/model';

/** At most this many remembered answers (the oldest go first). */
export const MAX_APPROVALS = 200;

export type LaunchRoleDecision =
  /** The active role, or one the user allowed for this workspace before: no question. */
  | { kind: 'use' }
  /** Ask the user; remember `key` if they allow it. */
  | { kind: 'ask'; key: string };

/** The remembered answer's key: which workspace allowed which role. */
export function approvalKey(workspace: string, role: RoleRef): string {
  return `${workspace}\n${roleKey(role)}`;
}

export function decideLaunchRole(input: {
  requested: RoleRef;
  active: RoleRef | undefined;
  workspace: string;
  approved: readonly unknown[];
}): LaunchRoleDecision {
  if (input.active && roleKey(input.active) === roleKey(input.requested)) return { kind: 'use' };
  const key = approvalKey(input.workspace, input.requested);
  return input.approved.includes(key) ? { kind: 'use' } : { kind: 'ask', key };
}

/** The stored list with `key` added (newest last, bounded, only strings kept). */
export function withApproval(approved: readonly unknown[], key: string): string[] {
  const kept = approved.filter((k): k is string => typeof k === 'string' && k !== key);
  return [...kept, key].slice(-MAX_APPROVALS);
}
