// The last account listing of each portal (no secrets), kept in globalState under one key so the
// tree shows at once on the next start. The single listing of the single-sign-in versions moves
// to its portal the first time.
import { portalId } from '../common/model';
import { STATE_KEYS } from '../common/storageKeys';
import type { StateStore } from '../common/stores';
import type { CachedListing } from './catalog';

type Listings = Record<string, CachedListing>;

const all = (state: StateStore): Listings => {
  const value = state.get<unknown>(STATE_KEYS.listings);
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Listings) : {};
};

/** `portal`'s cached listing, if it is that portal's. */
export function cachedListing(state: StateStore, portal: string): CachedListing | undefined {
  const listing = all(state)[portal];
  return typeof listing?.startUrl === 'string' && portalId(listing.startUrl) === portal ? listing : undefined;
}

export async function saveListing(state: StateStore, portal: string, listing: CachedListing): Promise<void> {
  await state.update(STATE_KEYS.listings, { ...all(state), [portal]: listing });
}

/** Forgets the listings of `portals` (signed out); with none left the key goes. */
export async function forgetListings(state: StateStore, portals: readonly string[]): Promise<void> {
  const kept = Object.fromEntries(Object.entries(all(state)).filter(([id]) => !portals.includes(id)));
  await state.update(STATE_KEYS.listings, Object.keys(kept).length ? kept : undefined);
}

/** Moves the single-sign-in listing (`awsIdc.listing`) to `portal` when it is that portal's; the old key goes either way. */
export async function migrateListing(state: StateStore, portal: string | undefined): Promise<void> {
  const old = state.get<CachedListing>(STATE_KEYS.listing);
  if (!old) return;
  if (portal && typeof old.startUrl === 'string' && portalId(old.startUrl) === portal && !all(state)[portal]) await saveListing(state, portal, old);
  await state.update(STATE_KEYS.listing, undefined);
}
