// How fresh the listing is, as the Accounts view's message ("Listed 5 min ago"): roles are listed
// again when old (core/accounts/freshness.ts), and this says how old they are. A message, not the
// description: the view's long title leaves no room for one in the sidebar.
import * as vscode from 'vscode';
import type { PortalCatalogs } from '../../core/accounts/portalCatalogs';

export interface ListingFreshnessOptions {
  view: vscode.TreeView<unknown>;
  catalog: PortalCatalogs;
  signedIn: () => boolean;
  /** Draws the tree again (the message row shifts it). */
  redraw: () => void;
}

/**
 * The message once every role is known. Not while the listing loads: a message set while the view's
 * first rows load made VS Code 1.139 keep showing "Loading accounts…" (the Scale suite after the
 * Several portals one), and the rows show the progress then.
 */
export function freshnessText(catalog: PortalCatalogs, signedIn: boolean, now = Date.now()): string | undefined {
  if (!signedIn) return undefined;
  const accounts = catalog.accounts.length;
  const { rolesKnown, oldestRolesAt } = catalog.freshnessInfo;
  if (accounts === 0 || rolesKnown < accounts || !catalog.listingComplete) return undefined;
  const minutes = Math.max(0, Math.round((now - (oldestRolesAt ?? now)) / 60_000));
  const comment = ['Shown above the accounts: how old the oldest listed roles are (roles are listed again when older than 12 hours, or on Refresh).'];
  if (minutes < 1) return vscode.l10n.t({ message: 'Listed just now', comment });
  if (minutes < 60) return vscode.l10n.t({ message: 'Listed {0} min ago', args: [minutes], comment });
  return vscode.l10n.t({ message: 'Listed {0} h ago', args: [Math.round(minutes / 60)], comment });
}

/** Keeps the view's message current: on every catalog change, and each minute as it ages. */
export function showListingFreshness(o: ListingFreshnessOptions): vscode.Disposable {
  const update = (): void => {
    const text = freshnessText(o.catalog, o.signedIn());
    // Only a changed text is sent: every assignment lays the view out again in the workbench.
    if (o.view.message === text) return;
    const appears = !o.view.message && !!text;
    o.view.message = text;
    if (appears) o.redraw();
  };
  const timer = setInterval(update, 60_000);
  const subscription = o.catalog.onDidChange(update);
  return { dispose: () => (clearInterval(timer), subscription.dispose()) };
}
