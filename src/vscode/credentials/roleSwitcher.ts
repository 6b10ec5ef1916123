// Switch Role: a quick pick of every account/role of every signed-in portal, recent roles first,
// filterable by account name, id, role or portal. Items arrive as the catalogs fill, so it opens at
// once even mid-listing. With several portals each item names its portal.
import * as vscode from 'vscode';
import type { PortalCatalogs } from '../../core/accounts/portalCatalogs';
import type { ActiveRole, ActiveRoleChoice } from '../../core/accounts/activeRole';
import { accountQuery, accountsToLookUp, MAX_PER_PICK } from '../../core/accounts/roleSearch';
import { roleKey, type RoleRef } from '../../core/common/model';

interface RoleItem extends vscode.QuickPickItem {
  choice?: ActiveRoleChoice;
}

/** The item button that runs Set Role Region for that item's role. */
const regionButton = (): vscode.QuickInputButton => ({ iconPath: new vscode.ThemeIcon('globe'), tooltip: vscode.l10n.t('Set Role Region') });

/** `portalName`: the label of a role's portal, or undefined while only one portal is signed in. */
export async function pickRole(
  catalog: PortalCatalogs,
  active: ActiveRole,
  title: string,
  portalName: (role: RoleRef) => string | undefined = () => undefined,
  /** Chained roles to offer too (awsIdc.chainedRoles), each shown with its source role. */
  chained: () => readonly ActiveRoleChoice[] = () => [],
): Promise<ActiveRoleChoice | undefined> {
  const pick = vscode.window.createQuickPick<RoleItem>();
  pick.title = title;
  pick.placeholder = vscode.l10n.t('Type an account name, account id or role');
  pick.matchOnDescription = true;
  // Type-ahead: accounts the text names whose roles the background listing has not reached yet are
  // looked up now, ahead of it (roleSearch.ts); their roles appear as they arrive.
  const asked = new Set<string>();
  let waiting = 0;
  let typing: NodeJS.Timeout | undefined;
  let lookedUp = '';
  let shownFor = '';
  const lookUpTyped = (): void => {
    if (`${pick.value}#${catalog.accounts.length}` === lookedUp) return; // same text, no new accounts
    lookedUp = `${pick.value}#${catalog.accounts.length}`;
    const ids = accountsToLookUp(pick.value, catalog.accounts, (id) => (asked.has(id) ? { kind: 'loaded', roles: [] } : catalog.roles(id)));
    for (const id of ids.slice(0, MAX_PER_PICK - asked.size)) {
      asked.add(id);
      waiting++;
      pick.busy = true;
      void catalog.ensureRoles(id).finally(() => (pick.busy = --waiting > 0 || !catalog.listingComplete));
    }
  };
  pick.onDidChangeValue(() => {
    clearTimeout(typing); // once the typing pauses, not for every prefix on the way
    typing = setTimeout(render, 150); // render() looks the typed accounts up
  });
  const render = (): void => {
    const current = active.current ? roleKey(active.current) : undefined;
    // A recent role of a portal signed out since would only be refused: not offered.
    const signedIn = new Set(catalog.signedIn().map((p) => p.portal));
    const recent = active.recent.filter((r) => r.portal === undefined || signedIn.has(r.portal));
    const recentKeys = new Set(recent.map(roleKey));
    const item = (c: ActiveRoleChoice): RoleItem => ({
      label: `${c.accountName} / ${c.roleName}`,
      description: [c.accountId, portalName(c), roleKey(c) === current ? vscode.l10n.t('active') : undefined].filter(Boolean).join(' · '),
      iconPath: new vscode.ThemeIcon(roleKey(c) === current ? 'pass-filled' : 'key'),
      buttons: [regionButton()],
      choice: c,
    });
    const all = catalog
      .allRoles()
      .map((r) => ({ ...r, accountName: catalog.account(r.accountId)?.accountName ?? r.accountId }))
      .filter((c) => !recentKeys.has(roleKey(c)))
      .sort((a, b) => a.accountName.localeCompare(b.accountName) || a.roleName.localeCompare(b.roleName));
    const chainedItems = chained()
      .filter((c) => !recentKeys.has(roleKey(c)))
      .map((c) => chainedItem(c, catalog, roleKey(c) === current));
    const items: RoleItem[] = [];
    if (recent.length) items.push({ label: vscode.l10n.t('recent'), kind: vscode.QuickPickItemKind.Separator }, ...recent.map(item));
    if (all.length) items.push({ label: vscode.l10n.t('all roles'), kind: vscode.QuickPickItemKind.Separator }, ...all.map(item));
    if (chainedItems.length) items.push({ label: vscode.l10n.t('chained roles'), kind: vscode.QuickPickItemKind.Separator }, ...chainedItems);
    // While text is typed, the items are replaced only when what it names changes: a replacement
    // renumbers them, and an Enter pressed meanwhile can pick the item that took the highlighted
    // one's place (the quick pick refers to items by index).
    const query = accountQuery(pick.value);
    const named = query ? items.filter((i) => i.choice && (i.label.toLowerCase().includes(query) || i.choice.accountId.includes(query))) : undefined;
    const shown = named && `${query}\n${named.map((i) => i.label).join('\n')}`;
    if (!shown || shown !== shownFor) {
      const activeItem = pick.activeItems[0]?.choice;
      pick.items = items;
      // Keep the highlighted item, unless it is not what is being typed any more (then the first match).
      if (activeItem && activeItem.accountName.toLowerCase().includes(query))
        pick.activeItems = pick.items.filter((i) => i.choice && roleKey(i.choice) === roleKey(activeItem));
    }
    shownFor = shown ?? '';
    pick.busy = !catalog.listingComplete || waiting > 0;
    lookUpTyped(); // accounts listed since the text was typed
  };
  // The pick closes and Set Role Region opens for that role (one quick input at a time).
  pick.onDidTriggerItemButton((e) => e.item.choice && void vscode.commands.executeCommand('awsIdc.setRoleRegion', { kind: 'role', role: e.item.choice }));
  const sub = catalog.onDidChange(render);
  render();
  void catalog.whenIdle().then(() => (pick.busy = waiting > 0));
  try {
    return await new Promise<ActiveRoleChoice | undefined>((resolve) => {
      pick.onDidAccept(() => {
        resolve(pick.selectedItems[0]?.choice);
        pick.hide();
      });
      pick.onDidHide(() => resolve(undefined));
      pick.show();
    });
  } finally {
    clearTimeout(typing);
    sub.dispose();
    pick.dispose();
  }
}

/** A chained role in the pick: its settings name, what it assumes and the Identity Center role it starts from. */
function chainedItem(c: ActiveRoleChoice, catalog: PortalCatalogs, isActive: boolean): RoleItem {
  const via = c.via!;
  const source = vscode.l10n.t({
    message: 'assumes {0} in {1} from {2} / {3}',
    args: [c.roleName, c.accountId, catalog.account(via.accountId)?.accountName ?? via.accountId, via.roleName],
    comment: ['Describes a chained role in Switch Role: {0} the IAM role it assumes in account {1}; {2} / {3} the account name and role it is assumed from'],
  });
  return {
    label: c.accountName,
    description: isActive ? `${source} · ${vscode.l10n.t('active')}` : source,
    iconPath: new vscode.ThemeIcon(isActive ? 'pass-filled' : 'link'),
    choice: c,
  };
}
