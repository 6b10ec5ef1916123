// The question behind a launch configuration's `awsIdc` role: a repository writes launch.json, so a
// role other than the active one gets credentials only once the user allowed it for this workspace,
// in a modal naming account, role and portal. The answer is kept in globalState (the editor's own
// storage, keyed by workspace), where no repository file can pre-answer it; a dismissed modal refuses.
import * as vscode from 'vscode';
import { oneLineLabel } from '../../core/common/labels';
import { decideLaunchRole, withApproval } from '../../core/debugging/launchApproval';
import type { Logger } from '../../core/common/log';
import { roleKey, type RoleRef } from '../../core/common/model';
import { STATE_KEYS } from '../../core/common/storageKeys';

const KEY = STATE_KEYS.launchRoleApprovals;

export interface LaunchApprovalOptions {
  /** context.globalState: the editor's own storage, which no file of a repository can write. */
  state: vscode.Memento;
  active: () => RoleRef | undefined;
  /** The account name of an account id, from the catalog. */
  accountName: (accountId: string) => string | undefined;
  /** The label of the role's portal, if known. */
  portalName: (role: RoleRef) => string | undefined;
  log: Logger;
}

/** Which workspace a launch belongs to: its folder, else the workspace file, else the open folders. */
export function workspaceOf(folder: vscode.WorkspaceFolder | undefined): string {
  if (folder) return folder.uri.toString();
  if (vscode.workspace.workspaceFile) return vscode.workspace.workspaceFile.toString();
  return (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()).join('\n') || 'no folder';
}

/** True when the launch may use `role`: the active role, allowed before here, or allowed now. */
export async function approveLaunchRole(
  o: LaunchApprovalOptions,
  role: RoleRef,
  configName: string,
  folder: vscode.WorkspaceFolder | undefined,
): Promise<boolean> {
  const approved = o.state.get<unknown[]>(KEY);
  const decision = decideLaunchRole({ requested: role, active: o.active(), workspace: workspaceOf(folder), approved: Array.isArray(approved) ? approved : [] });
  if (decision.kind === 'use') return true;
  const allow = vscode.l10n.t('Allow for This Workspace');
  const account = role.via
    ? `${o.accountName(role.via.accountId) ?? role.via.accountId} → ${role.accountId}`
    : (o.accountName(role.accountId) ?? role.accountId);
  const roleName = role.via ? `${role.chainName ?? role.roleName} (${role.roleName})` : role.roleName;
  const portal = o.portalName(role) ?? vscode.l10n.t('(unknown portal)');
  const active = o.active();
  let answer: string | undefined;
  try {
    answer = await vscode.window.showWarningMessage(
      vscode.l10n.t({
        message: 'Launch configuration "{0}" asks for AWS credentials of another role',
        // One bounded line: a repository's name cannot add lines that look like the account or role below.
        args: [oneLineLabel(configName, 80)],
        comment: ['Title of a modal dialog; {0} is the name of a launch.json configuration.'],
      }),
      {
        modal: true,
        detail: vscode.l10n.t({
          message:
            "Account: {0}\nRole: {1}\nAWS access portal: {2}\nActive role: {3}\n\nThis workspace's launch.json chose this role. Allow debug sessions of this workspace to use it? You are asked once per workspace and role.",
          args: [account, roleName, portal, active ? `${o.accountName(active.accountId) ?? active.accountId}/${active.roleName}` : vscode.l10n.t('none')],
          comment: ['Detail of the modal; {0} account name or id, {1} IAM role name, {2} portal label, {3} account/role active now.'],
        }),
      },
      allow,
    );
  } catch (e) {
    // A host that cannot show the modal (VS Code under extension tests) is a refusal, not a yes.
    o.log.warn(`[debug] the question for ${roleKey(role)} could not be shown (${(e as Error).name}): refused`);
  }
  if (answer !== allow) {
    o.log.info(`[debug] "${oneLineLabel(configName)}" was refused credentials for ${roleKey(role)}: not allowed for this workspace`);
    return false;
  }
  await o.state.update(KEY, withApproval(Array.isArray(approved) ? approved : [], decision.key));
  o.log.info(`[debug] debug sessions of this workspace may use ${roleKey(role)} (the user allowed it)`);
  return true;
}
