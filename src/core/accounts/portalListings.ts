// A portal's listing follows its sign-in. Signed in: this window follows the machine's one listing
// of that portal (sharedListing.ts; it lists only if no other window does), starting from the cache
// the single-sign-in versions kept. Signed out or gone: the listing stops and its accounts go (the
// other portals' stay). Signing out forgets the listing on this machine.
import * as l10n from '@vscode/l10n';
import type { IdcError } from '../common/errors';
import type { Disposable } from '../common/events';
import type { Logger } from '../common/log';
import type { StateStore } from '../common/stores';
import { portalLabel } from '../signIn/portalLabel';
import type { Portals } from '../signIn/portals';
import type { ActiveRole } from './activeRole';
import { cachedListing, forgetListings, migrateListing } from './listingCache';
import type { PortalCatalogs } from './portalCatalogs';
import { SharedListing } from './sharedListing';
import { ListingFiles, listingDir } from './sharedListingFiles';

export interface PortalListingsOptions {
  portals: Portals;
  catalog: PortalCatalogs;
  /** Remembered roles of the single-sign-in versions become the migrated portal's. */
  active: ActiveRole;
  /** Where the single-sign-in versions cached their listing (read once per portal, as a head start). */
  state: StateStore;
  /** The machine-wide directory of the listings shared by every window (globalStorage). */
  listingRoot: string;
  log?: Logger;
}

export class PortalListings implements Disposable {
  /** The shared listing of each portal this window follows or lists. */
  private readonly listed = new Map<string, SharedListing>();
  /** Nothing is listed before the older versions' state has moved: their cached listing is the head start. */
  private migrated = false;
  private readonly subscriptions: Disposable[];
  /** Settles once the older versions' state has moved over and the listings follow the sign-ins. */
  readonly ready: Promise<void>;

  constructor(private readonly o: PortalListingsOptions) {
    this.subscriptions = [o.portals.onDidChange(() => this.update()), o.catalog.onDidChangeCatalogs(() => this.update())];
    this.ready = o.portals.ready.then(async () => {
      const migrated = o.portals.migrated?.id;
      if (migrated) await o.active.assignPortal(migrated);
      await migrateListing(o.state, migrated);
      this.migrated = true;
      this.update();
    });
  }

  /** The portals whose listing this window follows. */
  get following(): string[] {
    return [...this.listed.keys()];
  }

  private update(): void {
    if (!this.migrated) return;
    const { portals, catalog, state, listingRoot, log } = this.o;
    for (const { info, session } of portals.all) {
      const own = catalog.catalog(info.id);
      if (!own) continue;
      if (session.state.kind === 'signedIn' && !this.listed.has(info.id)) {
        const cached = cachedListing(state, info.id);
        if (cached) own.restore(cached);
        const shared = new SharedListing({ root: listingRoot, startUrl: info.startUrl, catalog: own, log });
        this.listed.set(info.id, shared);
        void shared.start().then(
          // The shared listing now holds it: the old cache would only go stale.
          () => cached && forgetListings(state, [info.id]),
          (e: Error) => {
            log?.warn(`[accounts] shared listing unavailable (${e.name}); listing in this window`);
            void own.runPass(false);
          },
        );
      } else if (session.state.kind === 'signedOut' && this.listed.has(info.id)) {
        this.stop(info.id);
        own.clear();
      }
    }
    // Portals gone (signed out here or in another window).
    for (const id of this.following) if (!portals.session(id)) this.stop(id);
  }

  private stop(portal: string): void {
    this.listed.get(portal)?.dispose();
    this.listed.delete(portal);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const id of this.following) this.stop(id);
  }
}

/**
 * Signs out of these portals and forgets their listing on this machine (every window signs out with
 * it) and the older versions' cache of it. The signed-out state clears the rest.
 */
export async function signOutAndForget(portals: Portals, ids: readonly string[], where: { state: StateStore; listingRoot: string }): Promise<void> {
  for (const id of ids) {
    const startUrl = portals.info(id)?.startUrl;
    await portals.signOut(id);
    if (startUrl) await new ListingFiles(listingDir(where.listingRoot, startUrl)).remove();
  }
  await forgetListings(where.state, ids);
}

/** A listing failure as the user sees it: with several portals signed in, it says whose listing failed. */
export function listingFailureMessage(portals: Portals, err: IdcError & { portal?: string }): string {
  const info = err.portal && portals.signedIn.length > 1 ? portals.info(err.portal) : undefined;
  return info
    ? l10n.t({
        message: '{0}: {1}',
        args: [portalLabel(info), err.message],
        comment: ['{0}: an sso-session name or portal host; {1}: what went wrong'],
      })
    : err.message;
}
