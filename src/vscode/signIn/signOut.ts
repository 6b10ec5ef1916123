// Sign Out: one portal (given, or picked when several are signed in), or all. Core signs out and
// forgets the portal's listing on this machine; the signed-out state clears the rest.
import * as vscode from 'vscode';
import { signOutAndForget } from '../../core/accounts/portalListings';
import type { StateStore } from '../../core/common/stores';
import { portalLabel } from '../../core/signIn/portalLabel';
import type { Portals } from '../../core/signIn/portals';

export interface SignOutOptions {
  portals: Portals;
  /** Where the single-sign-in versions cached their listing (globalState). */
  state: StateStore;
  /** The machine-wide directory of the listings shared by every window. */
  listingRoot: string;
}

/** Signs out of `portal`, or of the one the user picks; false when the user backed out of the pick. */
export async function signOutPortals(o: SignOutOptions, portal?: string): Promise<boolean> {
  const { portals } = o;
  let ids: string[];
  if (portal !== undefined) ids = [portal];
  else if (portals.signedIn.length <= 1) ids = portals.all.map((p) => p.info.id);
  else {
    const all = vscode.l10n.t('All portals');
    const pick = await vscode.window.showQuickPick(
      [
        ...portals.signedIn.map(({ info }) => ({ label: portalLabel(info), description: `${info.startUrl} (${info.region})`, ids: [info.id] })),
        { label: all, description: '', ids: portals.all.map((p) => p.info.id) },
      ],
      { title: vscode.l10n.t('Sign out of which AWS access portal?') },
    );
    if (!pick) return false;
    ids = pick.ids;
  }
  await signOutAndForget(portals, ids, o);
  return true;
}
