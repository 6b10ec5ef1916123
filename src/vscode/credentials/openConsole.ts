// Open AWS Console: where to land (a common service, a recently used one, or any path typed on the
// console host), then the federation sign-in URL opened exactly as built.
import * as vscode from 'vscode';
import type { ActiveRoleChoice } from '../../core/accounts/activeRole';
import { IdcError } from '../../core/common/errors';
import type { RoleCredentialsSecret } from '../../core/common/model';
import { STATE_KEYS } from '../../core/common/storageKeys';
import { CONSOLE_SERVICES, checkConsolePath, consoleDestinationUrl, rememberPath } from '../../core/credentials/consoleDestination';
import { consoleLoginUrl } from '../../core/credentials/consoleSignIn';

export interface OpenConsoleDeps {
  region: string;
  state: vscode.Memento;
  credentials: (role: ActiveRoleChoice) => Promise<RoleCredentialsSecret>;
  served: (creds: RoleCredentialsSecret, consumer: string) => void;
}

/**
 * Signs `role` in to the console at a destination: `destination` when a caller passed a path (checked
 * like a typed one: the console host only), else the one the user picks.
 */
export async function openConsoleAs(role: ActiveRoleChoice, destination: unknown, d: OpenConsoleDeps): Promise<void> {
  const checked = typeof destination === 'string' ? checkConsolePath(destination) : undefined;
  if (checked && !checked.ok) throw new IdcError('badInput', checked.error);
  const path = checked?.path ?? (await pickConsoleDestination(d.state, d.region, `${role.accountName} / ${role.roleName}`));
  if (!path) return;
  const creds = await d.credentials(role);
  const url = await consoleLoginUrl(creds, d.region, { signal: AbortSignal.timeout(10_000), destination: path });
  d.served(creds, 'AWS console');
  await rememberConsolePath(d.state, path);
  await openExactUrl(url);
}

interface DestinationItem extends vscode.QuickPickItem {
  path?: string;
}

const recentPaths = (state: vscode.Memento): string[] => {
  const v = state.get<unknown>(STATE_KEYS.consoleDestinations);
  return Array.isArray(v) ? v.filter((p): p is string => typeof p === 'string' && checkConsolePath(p).ok) : [];
};

/** Remembers a path the user landed on (globalState: a path, never a key or token). */
export async function rememberConsolePath(state: vscode.Memento, path: string): Promise<void> {
  await state.update(STATE_KEYS.consoleDestinations, rememberPath(recentPaths(state), path));
}

/** Asks where the console should land in `region`; the checked path, or undefined when the user backed out. */
export async function pickConsoleDestination(state: vscode.Memento, region: string, roleLabel: string): Promise<string | undefined> {
  const pick = vscode.window.createQuickPick<DestinationItem>();
  pick.title = vscode.l10n.t({
    message: 'Open the AWS console as {0} in {1}',
    args: [roleLabel, region],
    comment: ['{0}: account name / role name; {1}: an AWS region'],
  });
  pick.placeholder = vscode.l10n.t({
    message: 'Pick a service, or type a console path such as /lambda/home#/functions',
    comment: ['/lambda/home#/functions is an example to keep as it is'],
  });
  pick.matchOnDescription = true;
  const recent = recentPaths(state);
  const item = (label: string, path: string): DestinationItem => ({
    label,
    description: label === path ? undefined : path,
    detail: consoleDestinationUrl(region, path),
    path,
  });
  const fixed: DestinationItem[] = [
    ...(recent.length ? [{ label: vscode.l10n.t('recently used'), kind: vscode.QuickPickItemKind.Separator }, ...recent.map((p) => item(p, p))] : []),
    { label: vscode.l10n.t('services'), kind: vscode.QuickPickItemKind.Separator },
    ...CONSOLE_SERVICES.filter((s) => !recent.includes(s.path)).map((s) => item(s.label, s.path)),
  ];
  const render = (): void => {
    const typed = pick.value.trim();
    const checked = typed ? checkConsolePath(typed) : undefined;
    const typedItem: DestinationItem[] = !checked
      ? []
      : checked.ok
        ? [{ ...item(checked.path, checked.path), alwaysShow: true, description: vscode.l10n.t('the path you typed') }]
        : [{ label: checked.error, alwaysShow: true, iconPath: new vscode.ThemeIcon('warning') }];
    // An explicit path comes first; a bare word ("lam") after the services it may be the start of.
    pick.items = typed.startsWith('/') ? [...typedItem, ...fixed] : [...fixed, ...typedItem];
  };
  pick.onDidChangeValue(render);
  render();
  try {
    return await new Promise<string | undefined>((resolve) => {
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0]?.path;
        if (!chosen) return; // the warning row: keep the pick open for a correction
        resolve(chosen);
        pick.hide();
      });
      pick.onDidHide(() => resolve(undefined));
      pick.show();
    });
  } finally {
    pick.dispose();
  }
}

/**
 * Opens `url` exactly as built. Given a vscode.Uri, the workbench's opener sends the browser
 * encodeURI(uri.toString(true)): the already-encoded Destination is decoded, its "?" re-encoded and
 * every "%" encoded again (`…/console/home%253Fregion=…`). Given the string, the extension host and
 * the opener keep it as it is (extHostWindow.openUri, MainThreadWindow.$openUri, OpenerService:
 * "open the url-string AS IS"; read in VS Code 1.100 and 1.139). microsoft/vscode#85930 is the
 * open request for this in the API's types.
 */
export function openExactUrl(url: string): Thenable<boolean> {
  return vscode.env.openExternal(url as unknown as vscode.Uri);
}
