// The Accounts tree: accounts sorted by name (pinned first), roles under each, the active role
// marked. With two or more portals signed in, one node per portal holds that portal's accounts.
// It turns the catalogs' state into nodes (drawn by treeItems.ts) and expansions into role look-ups.
import * as vscode from 'vscode';
import { DisposableStore, type Disposable } from '../../core/common/events';
import type { CatalogChange } from '../../core/accounts/catalog';
import { chainedRoleDefinition, chainedRolesFrom, type ChainedRoleDefinition } from '../../core/credentials/chainedRoles';
import { markScopedDown } from '../credentials/scopedRoleItem';
import type { Account } from '../../core/common/model';
import { roleKey } from '../../core/common/model';
import { portalLabel } from '../../core/signIn/portalLabel';
import { AccountOrders, byNameThenId } from './accountOrders';
import { AccountRangeNodes, type ShownList } from './accountRangeNodes';
import { accountTooltip } from './accountTooltip';
import { PinStore } from './pinStore';
import { AccountRowLabels } from './accountRowLabels';
import { systemClock } from '../../core/common/clock';
import { RedrawPacer } from '../../core/accounts/redrawPacer';
import { accountItem, messageItem, portalItem, rangeItem, roleItem, type TreeNode } from './treeItems';

export type { TreeNode } from './treeItems';

import type { AccountsTreeOptions, ChainedRoleSource, RoleRegionSource, TreeBanner } from './treeSources';
export type { AccountsTreeOptions, ChainedRoleSource, RoleRegionSource, TreeBanner } from './treeSources';

export class AccountsTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables = new DisposableStore();
  private readonly pins: PinStore;
  private readonly orders = new AccountOrders(() => this.pins.ids);
  private readonly portalNodes = new Map<string, Extract<TreeNode, { kind: 'portal' }>>();
  /** One node object per account: VS Code finds elements to refresh by identity. */
  private readonly accountNodes = new Map<string, Extract<TreeNode, { kind: 'account' }>>();
  /** Accounts whose children VS Code has asked for (expanded at some point). */
  private readonly expanded = new Set<string>();
  private banner: TreeBanner | undefined;
  private chainedSource: ChainedRoleSource | undefined;
  private readonly accountLabels = new AccountRowLabels();
  /** Big lists are shown in ranges (accountRangeNodes.ts). */
  private readonly ranges = new AccountRangeNodes(byNameThenId);
  /** Pages arriving redraw what changed at a pace that grows with the rows redrawn (redrawPacer.ts). */
  private readonly accountRedraws = new RedrawPacer(systemClock, () => this.redrawChangedAccounts());
  private roleRegions: RoleRegionSource | undefined;

  constructor(private readonly o: AccountsTreeOptions) {
    this.pins = new PinStore(o.state);
    this.disposables.add(
      this.changed,
      o.catalog.onDidChange((change) => this.onCatalogChange(change)),
      o.catalog.onDidChangeCatalogs(() => this.refreshView()),
      o.portals.onDidChange(() => this.onPortalsChange()),
      o.active.onDidChange(() => this.refreshView()),
    );
  }

  /** Shows `banner`'s rows above the accounts (another capability's warning) until disposed. */
  showBanner(banner: TreeBanner): Disposable {
    this.banner = banner;
    this.refreshView();
    return this.disposables.add(banner.onDidChange(() => this.refreshView()));
  }

  /** Shows chained roles under their source roles, following their definitions. */
  showChainedRoles(source: ChainedRoleSource): Disposable {
    this.chainedSource = source;
    this.refreshView();
    return this.disposables.add(source.onDidChange(() => this.refreshView()));
  }

  /** Shows each role's own region beside it, following changes. */
  showRoleRegions(source: RoleRegionSource): Disposable {
    this.roleRegions = source;
    this.refreshView();
    return this.disposables.add(source.onDidChange(() => this.refreshView()));
  }

  isPinned(accountId: string): boolean {
    return this.pins.has(accountId);
  }

  async setPinned(accountId: string, pinned: boolean): Promise<void> {
    await this.pins.set(accountId, pinned);
    this.orders.reset(); // the pins are part of the order: sorted again
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
    const current = this.o.active.current;
    if (node.kind === 'message') return messageItem(node);
    if (node.kind === 'portal')
      return portalItem(node, this.o.portals.info(node.portal), !!current && this.o.portals.forRole(current) === this.o.portals.session(node.portal));
    if (node.kind === 'range') return rangeItem(node);
    if (node.kind === 'account') {
      const { account } = node;
      const active = current?.accountId === account.accountId && (!current.portal || !node.portal || current.portal === node.portal);
      return accountItem(node, {
        id: this.byPortal && node.portal ? `account:${node.portal}|${account.accountId}` : `account:${account.accountId}`,
        pinned: this.isPinned(account.accountId),
        active,
        label: this.accountLabels.label(account, active),
      });
    }
    const active = current !== undefined && roleKey(current) === roleKey(node.role);
    const item = roleItem(node, {
      id: `role:${roleKey(node.role)}`,
      active,
      hasChained: chainedRolesFrom(this.chained(), node.role).length > 0,
      region: this.roleRegions?.regionOf(node.role),
    });
    markScopedDown(item, chainedRoleDefinition(this.chained(), node.role), active);
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
      const banner = this.banner?.nodes() ?? [];
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
    if (node.kind === 'range')
      return node.accounts.map((account) => this.accountNode(account, node.portal ?? this.o.catalog.portalOfAccount(account.accountId)));
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
    // Brought up to date from the known order, not sorted again (~100 ms at 10,000 accounts):
    // a redraw (the listing's freshness, the active role, a banner) rarely changes the accounts.
    this.orders.accountsChanged();
    this.ranges.takeChanges(); // the whole view redraws
    if (!this.o.signedIn()) this.ranges.clear();
    this.accountLabels.clear();
    this.changed.fire(undefined);
  }

  /** Roles arriving for collapsed accounts change nothing on screen; only expanded ones redraw. */
  private onCatalogChange(change: CatalogChange & { portal?: string }): void {
    if (change.accounts) {
      // The orders are brought up to date from what they were, not sorted again.
      this.orders.accountsChanged(change.portal);
      return this.accountRedraws.request();
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
    const shown = this.shownList(accounts, portal, idPrefix);
    const rows = (list: readonly Account[]): TreeNode[] => list.map((a) => this.accountNode(a, portal ?? this.o.catalog.portalOfAccount(a.accountId)));
    return [...rows(shown.top), ...(shown.ranged ? (shown.rest as TreeNode[]) : rows(shown.rest as Account[]))];
  }

  /** A list as shown: pinned accounts and the active role's at its top, the rest flat or in ranges when many. */
  private shownList(accounts: readonly Account[], portal: string | undefined, idPrefix: string): ShownList {
    const current = this.o.active.current;
    return this.ranges.shown(
      idPrefix,
      this.byPortal ? portal : undefined,
      accounts,
      (a) => this.pins.has(a.accountId) || (current?.accountId === a.accountId && (!current.portal || !portal || current.portal === portal)),
    );
  }

  /** After pages arrived: a range whose accounts changed redraws alone; a list whose ranges changed redraws whole. */
  private redrawChangedAccounts(): number {
    if (!this.o.signedIn()) return 0;
    const lists = this.byPortal
      ? this.o.portals.signedIn.map(({ info }) => ({ key: `${info.id}|`, portal: info.id, accounts: this.orderedAccountsOf(info.id) }))
      : [{ key: '', portal: this.o.portals.signedIn[0]?.info.id, accounts: this.orderedAccounts() }];
    const sizes = new Map(lists.map((l) => [l.key, l.accounts.length ? this.shownList(l.accounts, l.portal, l.key) : undefined]));
    const changes = this.ranges.takeChanges();
    // With no list drawn in ranges yet (or one changed shape), the whole view redraws, as before ranges.
    if (changes.lists.size || [...sizes.values()].some((s) => !s)) {
      this.changed.fire(undefined);
      return [...sizes.values()].reduce((n, s) => n + (s ? s.top.length + s.rest.length : 0), 0);
    }
    for (const range of changes.ranges) this.changed.fire(range);
    return changes.ranges.reduce((n, r) => n + r.accounts.length, 0);
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
    this.accountRedraws.dispose();
    this.disposables.dispose();
  }

  private chained(): readonly ChainedRoleDefinition[] {
    return this.chainedSource?.roles ?? [];
  }
}

const nodeKey = (portal: string | undefined, accountId: string): string => `${portal ?? ''}|${accountId}`;
