// How the pieces react to each other: sign-in starts a listing, sign-out forgets everything,
// the active role is kept fresh, and the last listing is cached (no secrets) for a fast start.
import * as vscode from 'vscode';
import type { AccountCatalog, CachedListing } from '../core/accounts/catalog';
import { SharedListing } from '../core/accounts/sharedListing';
import { ListingFiles, listingDir } from '../core/accounts/sharedListingFiles';
import type { ActiveRole } from '../core/accounts/activeRole';
import type { CredentialBroker } from '../core/credentials/broker';
import type { Disposable } from '../core/common/events';
import type { Logger } from '../core/common/log';
import { roleKey } from '../core/common/model';
import { STATE_KEYS } from '../core/common/storageKeys';
import type { Session } from '../core/signIn/session';
import { Commands, ContextKeys } from './commands';
import { settings } from './config';

const LISTING_KEY = STATE_KEYS.listing;

export interface WiringOptions {
  session: Session;
  catalog: AccountCatalog;
  broker: CredentialBroker;
  active: ActiveRole;
  /** Where the last listing was cached before the shared listing (read once, as a head start). */
  globalState: vscode.Memento;
  /** The machine-wide directory of the listing shared by every window (globalStorageUri). */
  listingRoot: string;
  log: Logger;
}

export function wireSession({ session, catalog, broker, active, globalState, listingRoot, log }: WiringOptions): vscode.Disposable[] {
  let listedFor: string | undefined;
  let shared: SharedListing | undefined;
  let keepFresh: Disposable | undefined;
  let keptFresh: string | undefined;

  // Token refreshes also fire state changes; only a new role or a sign-in/out restarts this.
  const followActiveRole = (): void => {
    const wanted = session.state.kind === 'signedIn' && active.current ? roleKey(active.current) : undefined;
    if (wanted === keptFresh) return;
    keepFresh?.dispose();
    keptFresh = wanted;
    keepFresh = wanted && active.current ? broker.keepFresh(active.current) : undefined;
  };
  const onState = (): void => {
    const state = session.state;
    void vscode.commands.executeCommand('setContext', ContextKeys.state, state.kind);
    if (state.kind === 'signedIn' && listedFor !== state.startUrl) {
      listedFor = state.startUrl;
      shared?.dispose();
      const cached = globalState.get<CachedListing>(LISTING_KEY);
      if (cached?.startUrl === state.startUrl) catalog.restore(cached);
      // One listing per machine: this window lists only if no other window is (sharedListing.ts).
      shared = new SharedListing({ root: listingRoot, startUrl: state.startUrl, catalog, log });
      void shared.start().catch((e: Error) => {
        log.warn(`[accounts] shared listing unavailable (${e.name}); listing in this window`);
        void catalog.runPass(false);
      });
    } else if (state.kind === 'signedOut' && listedFor !== undefined) {
      listedFor = undefined;
      shared?.dispose();
      shared = undefined;
      catalog.clear();
      broker.clear();
      // broker.clear() cancelled the background refresh; a later sign-in starts it again.
      keptFresh = undefined;
    }
    followActiveRole();
  };

  const subscriptions: Disposable[] = [
    session.onDidChange(onState),
    active.onDidChange(followActiveRole),
    // Sharing switched on while signed in: the AWS CLI can use this sign-in at once; switched off:
    // the token file we wrote goes.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('awsIdc.shareWithAwsCli')) void (settings.shareWithAwsCli() ? session.syncCliCache() : session.unshareCliCache());
    }),
    // Secret changes are not broadcast between windows in every host (VS Code for the Web).
    vscode.window.onDidChangeWindowState((w) => w.focused && void session.reload()),
    catalog.onDidFail((err) => {
      const retry = vscode.l10n.t('Retry');
      void vscode.window.showErrorMessage(err.message, retry).then((c) => c === retry && vscode.commands.executeCommand(Commands.refresh));
    }),
    {
      dispose: () => {
        shared?.dispose();
        keepFresh?.dispose();
      },
    },
  ];
  void session.ready.then(onState);
  return subscriptions;
}

/** Sign Out: end the portal session and forget the listing on this machine (the signed-out state clears the rest). */
export async function signOutEverywhere(session: Session, globalState: vscode.Memento, listingRoot: string): Promise<void> {
  const state = session.state;
  await session.signOut();
  await globalState.update(LISTING_KEY, undefined);
  if (state.kind === 'signedIn') await new ListingFiles(listingDir(listingRoot, state.startUrl)).remove();
}
