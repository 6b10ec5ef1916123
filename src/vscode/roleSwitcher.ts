// Switch Role: a quick pick of every account/role of every signed-in portal, recent roles first,
// filterable by account name, id, role or portal. Items arrive as the catalogs fill, so it opens at
// once even mid-listing. With several portals each item names its portal.
import * as vscode from 'vscode';
import type { PortalCatalogs } from '../core/accounts/portalCatalogs';
import type { ActiveRole, ActiveRoleChoice } from '../core/accounts/activeRole';
import { roleKey, type RoleRef } from '../core/common/model';

interface RoleItem extends vscode.QuickPickItem {
  choice?: ActiveRoleChoice;
}

/** `portalName`: the label of a role's portal, or undefined while only one portal is signed in. */
export async function pickRole(
  catalog: PortalCatalogs,
  active: ActiveRole,
  title: string,
  portalName: (role: RoleRef) => string | undefined = () => undefined,
): Promise<ActiveRoleChoice | undefined> {
  const pick = vscode.window.createQuickPick<RoleItem>();
  pick.title = title;
  pick.placeholder = vscode.l10n.t('Type an account name, account id or role');
  pick.matchOnDescription = true;
  const render = (): void => {
    const current = active.current ? roleKey(active.current) : undefined;
    const recent = active.recent;
    const recentKeys = new Set(recent.map(roleKey));
    const item = (c: ActiveRoleChoice): RoleItem => ({
      label: `${c.accountName} / ${c.roleName}`,
      description: [c.accountId, portalName(c), roleKey(c) === current ? vscode.l10n.t('active') : undefined].filter(Boolean).join(' · '),
      iconPath: new vscode.ThemeIcon(roleKey(c) === current ? 'pass-filled' : 'key'),
      choice: c,
    });
    const all = catalog
      .allRoles()
      .map((r) => ({ ...r, accountName: catalog.account(r.accountId)?.accountName ?? r.accountId }))
      .filter((c) => !recentKeys.has(roleKey(c)))
      .sort((a, b) => a.accountName.localeCompare(b.accountName) || a.roleName.localeCompare(b.roleName));
    const items: RoleItem[] = [];
    if (recent.length) items.push({ label: vscode.l10n.t('recent'), kind: vscode.QuickPickItemKind.Separator }, ...recent.map(item));
    if (all.length) items.push({ label: vscode.l10n.t('all roles'), kind: vscode.QuickPickItemKind.Separator }, ...all.map(item));
    const activeItem = pick.activeItems[0]?.choice;
    pick.items = items;
    if (activeItem) pick.activeItems = pick.items.filter((i) => i.choice && roleKey(i.choice) === roleKey(activeItem));
    pick.busy = !catalog.listingComplete;
  };
  const sub = catalog.onDidChange(render);
  render();
  void catalog.whenIdle().then(() => (pick.busy = false));
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
    sub.dispose();
    pick.dispose();
  }
}
