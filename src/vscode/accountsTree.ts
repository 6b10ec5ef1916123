// The Accounts tree: accounts sorted by name (pinned first), roles under each, the active role
// marked. With two or more portals signed in, one node per portal holds that portal's accounts.
// It renders the catalogs' state and turns expansions into role look-ups.
import * as vscode from 'vscode';
import { DisposableStore } from '../core/common/events';
import type { CatalogChange } from '../core/accounts/catalog';
import type { PortalCatalogs } from '../core/accounts/portalCatalogs';
import type { Portals } from '../core/signIn/portals';
import type { ActiveRole, ActiveRoleChoice } from '../core/accounts/activeRole';
import { STATE_KEYS } from '../core/common/storageKeys';
import type { StateStore } from '../core/common/stores';
import { chainedRolesFrom, type ChainedRoleDefinition } from '../core/credentials/chainedRoles';
import type { Account, RoleRef } from '../core/common/model';
import { roleKey } from '../core/common/model';
import { AccountOrders } from './accountOrders';
import { accountTooltip } from './accountTooltip';
import { portalLabel, portalTreeItem } from './portalView';

export type TreeNode =
  /** A signed-in portal (shown only while two or more are). */
  | { kind: 'portal'; portal: string; label: string }
  | { kind: 'account'; account: Account; portal?: string }
  | { kind: 'role'; account: Account; role: RoleRef }
  | { kind: 'message'; id: string; text: string; icon: string; command?: string; tooltip?: string };

/** The role a node stands for, named for the status bar (a chained role by its settings name). */
export function choiceFromNode(node: Extract<TreeNode, { kind: 'role' }>): ActiveRoleChoice {
  return { ...node.role, accountName: node.role.via ? (node.role.chainName ?? node.role.roleName) : node.account.accountName };
}

/** Warnings shown above the accounts (e.g. long-term access keys found). */
export interface TreeBanner {
  nodes(): Extract<TreeNode, { kind: 'message' }>[];
  readonly onDidChange: vscode.Event<void>;
}

const PINNED_KEY = STATE_KEYS.pinnedAccounts;

export interface AccountsTreeOptions {
  /** Every portal's catalog. */
  catalog: PortalCatalogs;
  portals: Portals;
  active: ActiveRole;
  /** Where pinned accounts are kept (globalState). */
  state: StateStore;
  /** Signed out, the view is empty so its welcome content (Sign In) shows. */
  signedIn: () => boolean;
  /** Warnings shown above the accounts (e.g. long-term access keys found). */
  banner?: TreeBanner;
  /** Roles assumed from Identity Center roles (awsIdc.chainedRoles), shown under their source. */
  chained?: () => readonly ChainedRoleDefinition[];
}

export class AccountsTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables = new DisposableStore();
  private readonly orders = new AccountOrders(() => this.pinned());
  private readonly portalNodes = new Map<string, Extract<TreeNode, { kind: 'portal' }>>();
  /** One node object per account: VS Code finds elements to refresh by identity. */
  private readonly accountNodes = new Map<string, Extract<TreeNode, { kind: 'account' }>>();
  /** Accounts whose children VS Code has asked for (expanded at some point). */
  private readonly expanded = new Set<string>();

  constructor(private readonly o: AccountsTreeOptions) {
    this.disposables.add(
      this.changed,
      ...(o.banner ? [o.banner.onDidChange(() => this.refreshView())] : []),
      o.catalog.onDidChange((change) => this.onCatalogChange(change)),
      o.catalog.onDidChangeCatalogs(() => this.refreshView()),
      o.portals.onDidChange(() => this.onPortalsChange()),
      o.active.onDidChange(() => this.refreshView()),
    );
  }

  isPinned(accountId: string): boolean {
    return this.pinned().includes(accountId);
  }

  async setPinned(accountId: string, pinned: boolean): Promise<void> {
    const next = this.pinned().filter((id) => id !== accountId);
    if (pinned) next.push(accountId);
    await this.o.state.update(PINNED_KEY, next);
    this.refreshView();
  }

  /** Accounts in display order (every signed-in portal's): pinned first, then by name. */
  orderedAccounts(): Account[] {
    return this.orders.accounts(() => this.o.catalog.accounts);
  }

  /** One portal's accounts in display order. */
  orderedAccountsOf(portal: string): Account[] {
    return this.orders.accountsOf(portal, () => this.o.catalog.catalog(portal)?.accounts ?? []);
  }

  /** Whether the tree shows a node per portal (two or more signed in). */
  get byPortal(): boolean {
    return this.o.portals.signedIn.length > 1;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.kind === 'message') {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon(node.icon);
      item.contextValue = 'message';
      if (node.command) item.command = { command: node.command, title: node.text };
      if (node.tooltip) item.tooltip = node.tooltip;
      return item;
    }
    if (node.kind === 'portal') {
      const current = this.o.active.current;
      return portalTreeItem(node, this.o.portals.info(node.portal), !!current && this.o.portals.forRole(current) === this.o.portals.session(node.portal));
    }
    const current = this.o.active.current;
    if (node.kind === 'account') {
      const { account } = node;
      const pinned = this.isPinned(account.accountId);
      const item = new vscode.TreeItem(account.accountName, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = this.byPortal && node.portal ? `account:${node.portal}|${account.accountId}` : `account:${account.accountId}`;
      item.description = account.accountId;
      item.contextValue = pinned ? 'accountPinned' : 'account';
      const isActive = current?.accountId === account.accountId && (!current.portal || !node.portal || current.portal === node.portal);
      item.iconPath = new vscode.ThemeIcon(pinned ? 'pinned' : 'organization', isActive ? new vscode.ThemeColor('charts.green') : undefined);
      // The tooltip is built on hover (resolveTreeItem), not for each of thousands of rows.
      item.accessibilityInformation = {
        label: isActive
          ? vscode.l10n.t({
              message: 'Account {0}, {1}, has the active role',
              args: [account.accountName, account.accountId],
              comment: ['Screen-reader label of an account row: {0} is the AWS account name, {1} its 12-digit id.'],
            })
          : vscode.l10n.t({
              message: 'Account {0}, {1}',
              args: [account.accountName, account.accountId],
              comment: ['Screen-reader label of an account row: {0} is the AWS account name, {1} its 12-digit id.'],
            }),
      };
      return item;
    }
    const { account, role } = node;
    const isActive = current !== undefined && roleKey(current) === roleKey(role);
    const hasChained = chainedRolesFrom(this.chained(), role).length > 0;
    const label = role.via ? (role.chainName ?? role.roleName) : role.roleName;
    const item = new vscode.TreeItem(label, hasChained ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = `role:${roleKey(role)}`;
    item.contextValue = isActive ? 'roleActive' : 'role';
    const chainedText = role.via
      ? vscode.l10n.t({
          message: 'assumes {0} in {1}',
          args: [role.roleName, role.accountId],
          comment: ['Short description of a chained role in the tree: {0} is the IAM role name it assumes, {1} the 12-digit AWS account id.'],
        })
      : undefined;
    item.description = [chainedText, isActive ? vscode.l10n.t('active') : undefined].filter(Boolean).join(' · ') || undefined;
    item.iconPath = new vscode.ThemeIcon(isActive ? 'pass-filled' : role.via ? 'link' : 'key', isActive ? new vscode.ThemeColor('charts.green') : undefined);
    const activeSuffix = isActive ? ` — ${vscode.l10n.t('active role')}` : '';
    item.tooltip = role.via
      ? vscode.l10n.t({
          message: '{0}: {1} in {2}, assumed from {3} ({4}) / {5}',
          args: [label, role.roleName, role.accountId, account.accountName, account.accountId, role.via.roleName],
          comment: [
            'Tooltip of a chained role: {0} is its name from the awsIdc.chainedRoles setting, {1} the IAM role it assumes in account {2} (12 digits), {3} and {4} the name and id of the account it is assumed from, {5} the source IAM role there.',
          ],
        }) + activeSuffix
      : `${account.accountName} (${account.accountId}) / ${role.roleName}${activeSuffix}`;
    const activeA11y = isActive ? `, ${vscode.l10n.t('active')}` : '';
    item.accessibilityInformation = {
      label:
        (role.via
          ? vscode.l10n.t({
              message: 'Chained role {0}, assumed from {1} in {2}',
              args: [label, role.via.roleName, account.accountName],
              comment: ["Screen-reader label: {0} is the chained role's name, {1} the IAM role it is assumed from, {2} that role's AWS account name."],
            })
          : vscode.l10n.t({
              message: 'Role {0} in {1}',
              args: [role.roleName, account.accountName],
              comment: ['Screen-reader label: {0} is an IAM role name, {1} an AWS account name.'],
            })) + activeA11y,
    };
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (node.kind === 'account') item.tooltip = this.accountTooltip(node.account);
    return item;
  }

  accountTooltip(account: Account): vscode.MarkdownString {
    return accountTooltip(account, this.isPinned(account.accountId));
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      // Asked even when signed out: the welcome content mentions the same warning.
      const banner = this.o.banner?.nodes() ?? [];
      // Signed out, the view stays empty so its welcome content (Sign In) shows.
      if (!this.o.signedIn()) return [];
      if (this.byPortal) return [...banner, ...this.o.portals.signedIn.map(({ info }) => this.portalNode(info.id, portalLabel(info)))];
      const only = this.o.portals.signedIn[0]?.info.id;
      return [...banner, ...this.accountsOf(this.orderedAccounts(), this.o.catalog.listingComplete, only, '')];
    }
    if (node.kind === 'portal') {
      const own = this.o.catalog.catalog(node.portal);
      return this.accountsOf(this.orderedAccountsOf(node.portal), own?.listingComplete ?? false, node.portal, `${node.portal}|`);
    }
    if (node.kind === 'role') return chainedRolesFrom(this.chained(), node.role).map((role) => ({ kind: 'role', account: node.account, role }));
    if (node.kind !== 'account') return [];
    this.expanded.add(nodeKey(node.portal, node.account.accountId));
    const state = await this.o.catalog.ensureRoles(node.account.accountId, node.portal);
    const id = (node.portal && this.byPortal ? `${node.portal}|` : '') + node.account.accountId;
    if (state.kind === 'loaded') {
      if (state.roles.length === 0)
        return [{ kind: 'message', id: `noroles:${id}`, text: vscode.l10n.t('No roles assigned to you in this account'), icon: 'circle-slash' }];
      return state.roles.map((role) => ({ kind: 'role', account: node.account, role: node.portal ? { ...role, portal: node.portal } : role }));
    }
    if (state.kind === 'error') return [{ kind: 'message', id: `error:${id}`, text: state.message, icon: 'warning' }];
    return [
      {
        kind: 'message',
        id: `pending:${id}`,
        text: vscode.l10n.t({
          message: 'Roles not loaded yet — Refresh Accounts to retry',
          comment: ['"Refresh Accounts" is the title of a command (the refresh button of this view): use the same words as its translation.'],
        }),
        icon: 'info',
      },
    ];
  }

  refreshView(): void {
    this.orders.reset();
    this.changed.fire(undefined);
  }

  /** Roles arriving for collapsed accounts change nothing on screen; only expanded ones redraw. */
  private onCatalogChange(change: CatalogChange & { portal?: string }): void {
    if (change.accounts) {
      // The orders are brought up to date from what they were, not sorted again.
      this.orders.accountsChanged(change.portal);
      return this.changed.fire(undefined);
    }
    for (const id of change.roles) {
      const key = nodeKey(change.portal, id);
      const node = this.accountNodes.get(key);
      if (node && this.expanded.has(key)) this.changed.fire(node);
    }
  }

  /** Sign-ins and sign-outs redraw; a token refresh (same portals signed in) does not. */
  private shownPortals = '';
  private onPortalsChange(): void {
    const shown = this.o.portals.signedIn.map((p) => p.info.id).join(' ');
    if (shown === this.shownPortals) return;
    this.shownPortals = shown;
    this.refreshView();
  }

  /** A list of accounts, or what stands for it while loading or empty. */
  private accountsOf(accounts: Account[], complete: boolean, portal: string | undefined, idPrefix: string): TreeNode[] {
    if (accounts.length === 0 && !complete)
      return [{ kind: 'message', id: `${idPrefix}loading`, text: vscode.l10n.t('Loading accounts…'), icon: 'loading~spin' }];
    if (accounts.length === 0) return [{ kind: 'message', id: `${idPrefix}none`, text: vscode.l10n.t('No accounts are assigned to you.'), icon: 'info' }];
    return accounts.map((account) => this.accountNode(account, portal ?? this.o.catalog.portalOfAccount(account.accountId)));
  }

  private accountNode(account: Account, portal: string | undefined): Extract<TreeNode, { kind: 'account' }> {
    const key = nodeKey(portal, account.accountId);
    let node = this.accountNodes.get(key);
    if (!node) {
      node = { kind: 'account', account, ...(portal ? { portal } : {}) };
      this.accountNodes.set(key, node);
    }
    node.account = account;
    return node;
  }

  private portalNode(portal: string, label: string): Extract<TreeNode, { kind: 'portal' }> {
    let node = this.portalNodes.get(portal);
    if (!node) {
      node = { kind: 'portal', portal, label };
      this.portalNodes.set(portal, node);
    }
    node.label = label;
    return node;
  }

  dispose(): void {
    this.disposables.dispose();
  }

  private chained(): readonly ChainedRoleDefinition[] {
    return this.o.chained?.() ?? [];
  }

  private pinned(): string[] {
    const value = this.o.state.get<unknown>(PINNED_KEY);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }
}

const nodeKey = (portal: string | undefined, accountId: string): string => `${portal ?? ''}|${accountId}`;
