// How each node of the Accounts tree is drawn: a portal, an account, a role (chained or not) and a
// message row. Pure drawing: what the node holds and whether it is active or pinned decide it.
import * as vscode from 'vscode';
import type { ActiveRoleChoice } from '../../core/accounts/activeRole';
import type { Account, RoleRef } from '../../core/common/model';
import type { PortalInfo } from '../../core/signIn/portals';

export type TreeNode =
  /** A signed-in portal (shown only while two or more are). */
  | { kind: 'portal'; portal: string; label: string }
  | { kind: 'account'; account: Account; portal?: string }
  /** Some of a big list's accounts (accountRangeNodes.ts); `list` is '' (the root) or a portal id. */
  | { kind: 'range'; id: string; list: string; portal?: string; accounts: readonly Account[]; previousAccounts: readonly Account[] }
  | { kind: 'role'; account: Account; role: RoleRef }
  | { kind: 'message'; id: string; text: string; icon: string; command?: string; tooltip?: string };

export type MessageNode = Extract<TreeNode, { kind: 'message' }>;

/** The role a node stands for, named for the status bar (a chained role by its settings name). */
export function choiceFromNode(node: Extract<TreeNode, { kind: 'role' }>): ActiveRoleChoice {
  return { ...node.role, accountName: node.role.via ? (node.role.chainName ?? node.role.roleName) : node.account.accountName };
}

export function messageItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.iconPath = new vscode.ThemeIcon(node.icon);
  item.contextValue = 'message';
  if (node.command) item.command = { command: node.command, title: node.text };
  if (node.tooltip) item.tooltip = node.tooltip;
  return item;
}

/** A portal's row (shown while two or more portals are signed in). */
export function portalItem(node: { portal: string; label: string }, info: PortalInfo | undefined, holdsActiveRole: boolean): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `portal:${node.portal}`;
  item.description = info?.region;
  item.contextValue = 'portal';
  item.iconPath = new vscode.ThemeIcon('cloud', holdsActiveRole ? new vscode.ThemeColor('charts.green') : undefined);
  item.tooltip = vscode.l10n.t({
    message: 'AWS access portal {0} ({1})',
    args: [info?.startUrl ?? node.label, info?.region ?? ''],
    comment: ['Tooltip of a portal node: {0} is the AWS access portal URL, {1} its region.'],
  });
  item.accessibilityInformation = {
    label: vscode.l10n.t({
      message: 'AWS access portal {0}, {1}',
      args: [node.label, info?.region ?? ''],
      comment: ['Screen-reader label of a portal node: {0} is its sso-session name or host, {1} its region.'],
    }),
  };
  return item;
}

/** An account's row; its tooltip is built on hover (resolveTreeItem), not for each of thousands of rows. */
export function accountItem(node: Extract<TreeNode, { kind: 'account' }>, o: { id: string; pinned: boolean; active: boolean; label: string }): vscode.TreeItem {
  const { account } = node;
  const item = new vscode.TreeItem(account.accountName, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = o.id;
  item.description = account.accountId;
  item.contextValue = o.pinned ? 'accountPinned' : 'account';
  item.iconPath = new vscode.ThemeIcon(o.pinned ? 'pinned' : 'organization', o.active ? new vscode.ThemeColor('charts.green') : undefined);
  // The screen-reader label comes made (accountRowLabels.ts): one l10n call per row per redraw was most of our cost.
  item.accessibilityInformation = { label: o.label };
  return item;
}

/** A range of a big list's accounts, named by its first and last (collapsed: its rows are drawn when opened). */
export function rangeItem(node: Extract<TreeNode, { kind: 'range' }>): vscode.TreeItem {
  const first = node.accounts[0]?.accountName ?? '';
  const last = node.accounts[node.accounts.length - 1]?.accountName ?? '';
  const count = node.accounts.length;
  const item = new vscode.TreeItem(
    vscode.l10n.t({
      message: '{0} … {1}',
      args: [first, last],
      comment: ['A range of accounts in the Accounts tree: {0} is its first account name, {1} its last.'],
    }),
    vscode.TreeItemCollapsibleState.Collapsed,
  );
  item.id = node.id;
  item.description = vscode.l10n.t({ message: '{0} accounts', args: [count], comment: ['Description of a range of accounts: {0} is how many it holds.'] });
  item.contextValue = 'accountRange';
  item.iconPath = new vscode.ThemeIcon('folder');
  item.accessibilityInformation = {
    label: vscode.l10n.t({
      message: 'Accounts {0} to {1}, {2} accounts',
      args: [first, last, count],
      comment: ['Screen-reader label of a range of accounts: {0} and {1} are its first and last account names, {2} how many it holds.'],
    }),
  };
  return item;
}

/** A role's row: an Identity Center role, or a chained role (assumed from it) shown under its source. */
export function roleItem(
  node: Extract<TreeNode, { kind: 'role' }>,
  o: { active: boolean; hasChained: boolean; id: string; /** The role's own region (Set Role Region), if any. */ region?: string },
): vscode.TreeItem {
  const { account, role } = node;
  const label = role.via ? (role.chainName ?? role.roleName) : role.roleName;
  const item = new vscode.TreeItem(label, o.hasChained ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  item.id = o.id;
  item.contextValue = o.active ? 'roleActive' : 'role';
  item.iconPath = new vscode.ThemeIcon(o.active ? 'pass-filled' : role.via ? 'link' : 'key', o.active ? new vscode.ThemeColor('charts.green') : undefined);
  const words = role.via ? chainedRoleWords(label, account, role, role.via.roleName, o.active) : plainRoleWords(account, role, o.active);
  item.description = o.region ? regionDescription(o.region, role, o.active) : words.description;
  item.tooltip = words.tooltip;
  item.accessibilityInformation = { label: words.a11y };
  return item;
}

/** The description of a role with its own region: whole sentences per case (never a translation edited afterwards). */
function regionDescription(region: string, role: RoleRef, active: boolean): string {
  const comment = ['Description of a role in the Accounts tree: {0} is the AWS region its terminals and console use, e.g. eu-central-1.'];
  const chainedComment = [
    'Description of a chained role in the tree: {0} is the IAM role name it assumes, {1} the 12-digit AWS account id, {2} the AWS region its terminals and console use.',
  ];
  if (role.via)
    return active
      ? vscode.l10n.t({ message: 'assumes {0} in {1} · {2} · active', args: [role.roleName, role.accountId, region], comment: chainedComment })
      : vscode.l10n.t({ message: 'assumes {0} in {1} · {2}', args: [role.roleName, role.accountId, region], comment: chainedComment });
  return active ? vscode.l10n.t({ message: '{0} · active', args: [region], comment }) : region;
}

interface RoleWords {
  description: string | undefined;
  tooltip: string;
  a11y: string;
}

function plainRoleWords(account: Account, role: RoleRef, active: boolean): RoleWords {
  const a11yComment = ['Screen-reader label: {0} is an IAM role name, {1} an AWS account name.'];
  const args = [role.roleName, account.accountName];
  return active
    ? {
        description: vscode.l10n.t({ message: 'active', comment: ['Description of the active role in the Accounts tree.'] }),
        tooltip: vscode.l10n.t({
          message: '{0} ({1}) / {2} — active role',
          args: [account.accountName, account.accountId, role.roleName],
          comment: ['Tooltip of the active role: {0} is the AWS account name, {1} its 12-digit id, {2} the IAM role name.'],
        }),
        a11y: vscode.l10n.t({ message: 'Role {0} in {1}, active', args, comment: a11yComment }),
      }
    : {
        description: undefined,
        tooltip: `${account.accountName} (${account.accountId}) / ${role.roleName}`,
        a11y: vscode.l10n.t({ message: 'Role {0} in {1}', args, comment: a11yComment }),
      };
}

function chainedRoleWords(label: string, account: Account, role: RoleRef, sourceRole: string, active: boolean): RoleWords {
  const descriptionComment = ['Short description of a chained role in the tree: {0} is the IAM role name it assumes, {1} the 12-digit AWS account id.'];
  const tooltipArgs = [label, role.roleName, role.accountId, account.accountName, account.accountId, sourceRole];
  const tooltipComment = [
    'Tooltip of a chained role: {0} is its name from the awsIdc.chainedRoles setting, {1} the IAM role it assumes in account {2} (12 digits), {3} and {4} the name and id of the account it is assumed from, {5} the source IAM role there.',
  ];
  const a11yArgs = [label, sourceRole, account.accountName];
  const a11yComment = ["Screen-reader label: {0} is the chained role's name, {1} the IAM role it is assumed from, {2} that role's AWS account name."];
  return active
    ? {
        description: vscode.l10n.t({ message: 'assumes {0} in {1} · active', args: [role.roleName, role.accountId], comment: descriptionComment }),
        tooltip: vscode.l10n.t({ message: '{0}: {1} in {2}, assumed from {3} ({4}) / {5} — active role', args: tooltipArgs, comment: tooltipComment }),
        a11y: vscode.l10n.t({ message: 'Chained role {0}, assumed from {1} in {2}, active', args: a11yArgs, comment: a11yComment }),
      }
    : {
        description: vscode.l10n.t({ message: 'assumes {0} in {1}', args: [role.roleName, role.accountId], comment: descriptionComment }),
        tooltip: vscode.l10n.t({ message: '{0}: {1} in {2}, assumed from {3} ({4}) / {5}', args: tooltipArgs, comment: tooltipComment }),
        a11y: vscode.l10n.t({ message: 'Chained role {0}, assumed from {1} in {2}', args: a11yArgs, comment: a11yComment }),
      };
}
