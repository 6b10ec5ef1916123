// How the pieces react to each other: a portal's sign-in starts its listing (one per machine, shared
// by every window: sharedListing.ts), its sign-out forgets its accounts, listing and credentials (the
// other portals' stay), and the active role is kept fresh.
import * as vscode from 'vscode';
import { cachedListing, forgetListings, migrateListing } from '../core/accounts/listingCache';
import type { PortalCatalogs } from '../core/accounts/portalCatalogs';
import { SharedListing } from '../core/accounts/sharedListing';
import { ListingFiles, listingDir } from '../core/accounts/sharedListingFiles';
import type { ActiveRole } from '../core/accounts/activeRole';
import type { CredentialBroker } from '../core/credentials/broker';
import type { Disposable } from '../core/common/events';
import type { Logger } from '../core/common/log';
import { portalOf, roleKey, type RoleRef } from '../core/common/model';
import type { Portals } from '../core/signIn/portals';
import { Commands, ContextKeys } from './commands';
import { settings } from './config';
import { portalLabel } from './portalView';

export interface WiringOptions {
  portals: Portals;
  catalog: PortalCatalogs;
  broker: CredentialBroker;
  active: ActiveRole;
  /** Where the single-sign-in versions cached their listing (read once per portal, as a head start). */
  globalState: vscode.Memento;
  /** The machine-wide directory of the listings shared by every window (globalStorageUri). */
  listingRoot: string;
  log: Logger;
}

export function wireSession({ portals, catalog, broker, active, globalState, listingRoot, log }: WiringOptions): vscode.Disposable[] {
  /** The shared listing of each portal this window follows or lists. */
  const listed = new Map<string, SharedListing>();
  let wasSignedIn = false;
  let keepFresh: Disposable | undefined;
  let keptFresh: string | undefined;

  // Token refreshes also fire state changes; only a new role or a sign-in/out restarts this.
  const followActiveRole = (): void => {
    const role = active.current;
    const wanted = role && portals.forRole(role)?.state.kind === 'signedIn' ? roleKey(role) : undefined;
    if (wanted === keptFresh) return;
    keepFresh?.dispose();
    keptFresh = wanted;
    keepFresh = wanted && role ? broker.keepFresh(role) : undefined;
  };
  const onState = (): void => {
    void vscode.commands.executeCommand('setContext', ContextKeys.state, portals.summary);
    void vscode.commands.executeCommand('setContext', ContextKeys.severalPortals, portals.signedIn.length > 1);
    for (const { info, session } of portals.all) {
      const own = catalog.catalog(info.id);
      if (!own) continue;
      if (session.state.kind === 'signedIn' && !listed.has(info.id)) {
        const cached = cachedListing(globalState, info.id);
        if (cached) own.restore(cached);
        // One listing per machine: this window lists only if no other window is (sharedListing.ts).
        const shared = new SharedListing({ root: listingRoot, startUrl: info.startUrl, catalog: own, log });
        listed.set(info.id, shared);
        void shared.start().then(
          // The shared listing now holds it: the old cache would only go stale.
          () => cached && forgetListings(globalState, [info.id]),
          (e: Error) => {
            log.warn(`[accounts] shared listing unavailable (${e.name}); listing in this window`);
            void own.runPass(false);
          },
        );
      } else if (session.state.kind === 'signedOut' && listed.has(info.id)) {
        stopListing(info.id);
        own.clear();
        broker.forgetPortal(info.id);
      }
    }
    // Portals gone (signed out here or in another window): their credentials go too.
    for (const id of [...listed.keys()]) {
      if (portals.session(id)) continue;
      stopListing(id);
      broker.forgetPortal(id);
    }
    const anySignedIn = portals.summary === 'signedIn';
    if (wasSignedIn && !anySignedIn) {
      broker.clear();
      // broker.clear() cancelled the background refresh; a later sign-in starts it again.
      keptFresh = undefined;
    }
    wasSignedIn = anySignedIn;
    followActiveRole();
  };
  const stopListing = (portal: string): void => {
    listed.get(portal)?.dispose();
    listed.delete(portal);
  };

  const subscriptions: Disposable[] = [
    portals.onDidChange(onState),
    catalog.onDidChangeCatalogs(onState),
    active.onDidChange(followActiveRole),
    // Sharing switched on while signed in: the AWS CLI can use these sign-ins at once; switched off:
    // the token files we wrote go.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('awsIdc.shareWithAwsCli')) return;
      for (const { session } of portals.signedIn) void (settings.shareWithAwsCli() ? session.syncCliCache() : session.unshareCliCache());
    }),
    // Secret changes are not broadcast between windows in every host (VS Code for the Web).
    vscode.window.onDidChangeWindowState((w) => w.focused && void portals.reload()),
    catalog.onDidFail((err) => {
      const retry = vscode.l10n.t('Retry');
      // With several portals the message says whose listing failed.
      const info = err.portal && portals.signedIn.length > 1 ? portals.info(err.portal) : undefined;
      const message = info
        ? vscode.l10n.t({
            message: '{0}: {1}',
            args: [portalLabel(info), err.message],
            comment: ['{0}: an sso-session name or portal host; {1}: what went wrong'],
          })
        : err.message;
      void vscode.window.showErrorMessage(message, retry).then((c) => c === retry && vscode.commands.executeCommand(Commands.refresh));
    }),
    {
      dispose: () => {
        for (const id of [...listed.keys()]) stopListing(id);
        keepFresh?.dispose();
      },
    },
  ];
  void portals.ready.then(async () => {
    // State of the single-sign-in versions: remembered roles and the listing become the migrated portal's.
    const migrated = portals.migrated?.id;
    if (migrated) await active.assignPortal(migrated);
    await migrateListing(globalState, migrated);
    onState();
  });
  return subscriptions;
}

/**
 * Sign Out: one portal (given, or picked when several are signed in), or all. Ends the portal
 * session and forgets its cached listing (the signed-out state clears the rest). False when the
 * user backed out of the pick.
 */
export async function signOutPortals(portals: Portals, globalState: vscode.Memento, listingRoot: string, portal?: string): Promise<boolean> {
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
  for (const id of ids) {
    const startUrl = portals.info(id)?.startUrl;
    await portals.signOut(id);
    // The listing on this machine goes with the sign-in (every window signs out with it).
    if (startUrl) await new ListingFiles(listingDir(listingRoot, startUrl)).remove();
  }
  await forgetListings(globalState, ids);
  return true;
}

/** The portal a role belongs to, for messages (its label), if known. */
export function portalLabelOf(portals: Portals, role: RoleRef): string | undefined {
  const id = portalOf(role);
  const info = id === undefined ? undefined : portals.info(id);
  return info ? portalLabel(info) : undefined;
}
