// A portal's listing follows its sign-in, through the real SDK clients against the local Identity
// Center serving two portals: each signed-in portal is listed (through the machine's shared listing
// files), a sign-out stops and clears only that portal's, Sign Out forgets its files, the single-
// sign-in versions' state moves over, and a failure names its portal only when several are signed in.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ActiveRole } from '../../../src/core/accounts/activeRole';
import type { CachedListing } from '../../../src/core/accounts/catalog';
import { cachedListing, saveListing } from '../../../src/core/accounts/listingCache';
import { PortalCatalogs } from '../../../src/core/accounts/portalCatalogs';
import { listingFailureMessage, PortalListings, signOutAndForget } from '../../../src/core/accounts/portalListings';
import { listingDir } from '../../../src/core/accounts/sharedListingFiles';
import { IdcError } from '../../../src/core/common/errors';
import { portalId } from '../../../src/core/common/model';
import { SECRET_KEYS } from '../../../src/core/common/storageKeys';
import { Portals } from '../../../src/core/signIn/portals';
import { Session } from '../../../src/core/signIn/session';
import { fastClock } from '../../support/clocks';
import { REGION, START_URL } from '../../support/emulator';
import { SECOND_URL, twoPortalEmulator, until } from '../../support/twoPortals';
import { MemorySecrets } from '../../support/memorySecrets';
import { MemoryState } from '../../support/memoryState';
import { tempDirs } from '../../support/tempDirs';

const A = portalId(START_URL);
const B = portalId(SECOND_URL);
const noCode = { onCode: () => undefined };

describe('PortalListings (a listing per signed-in portal)', () => {
  const { emulator, client } = twoPortalEmulator();
  const newRoot = tempDirs('awsidc-portal-listings-');

  /** One window: its sign-ins, catalogs and listings, over a store and a listing root it may share. */
  const window = (store = new MemorySecrets(), root = newRoot(), state = new MemoryState()) => {
    const portals = Portals.create({ store, clock: fastClock(1), createClient: () => client() });
    const catalog = new PortalCatalogs({ portals, region: () => REGION });
    const active = new ActiveRole(new MemoryState(), state);
    const listings = new PortalListings({ portals, catalog, active, state, listingRoot: root });
    const dispose = () => (listings.dispose(), catalog.dispose(), active.dispose(), portals.dispose());
    return { portals, catalog, active, listings, state, root, dispose };
  };
  const idsOf = (accounts: { accountId: string }[]) => accounts.map((a) => a.accountId).sort();

  test('each signed-in portal is listed; signing one out stops and clears only its listing', async () => {
    const w = window();
    await w.listings.ready;
    assert.deepEqual(w.listings.following, [], 'nothing listed while signed out');
    await w.portals.signIn({ startUrl: START_URL, region: REGION }, noCode);
    await w.portals.signIn({ startUrl: SECOND_URL, region: REGION }, noCode);
    await until('both portals listed', () => w.catalog.catalog(A)?.accounts.length === 3 && w.catalog.catalog(B)?.accounts.length === 2);
    assert.deepEqual(w.listings.following.sort(), [A, B].sort());
    assert.deepEqual(idsOf(w.catalog.catalog(A)!.accounts), idsOf(emulator().accounts()));
    assert.deepEqual(idsOf(w.catalog.catalog(B)!.accounts), idsOf(emulator().portalAccounts(SECOND_URL)));
    assert.ok(existsSync(listingDir(w.root, START_URL)) && existsSync(listingDir(w.root, SECOND_URL)), 'each listing is shared through its own files');

    await w.portals.signOut(B);
    await until('B no longer followed', () => !w.listings.following.includes(B));
    assert.deepEqual(w.listings.following, [A]);
    assert.equal(w.catalog.catalog(B), undefined, "B's catalog went with it");
    assert.equal(w.catalog.catalog(A)!.accounts.length, 3, "A's accounts stay");
    assert.deepEqual(idsOf(w.catalog.accounts), idsOf(emulator().accounts()), 'only A is listed now');
    w.dispose();
  });

  test("a second window follows the first one's listing and makes no listing call of its own", async () => {
    const store = new MemorySecrets();
    const root = newRoot();
    const first = window(store, root);
    await first.portals.signIn({ startUrl: START_URL, region: REGION }, noCode);
    await until('the first window listed', () => first.catalog.catalog(A)?.accounts.length === 3 && first.catalog.catalog(A)!.listingComplete);
    await new Promise((r) => setTimeout(r, 200)); // the snapshot is written
    emulator().clearCalls();
    const second = window(store, root);
    await second.listings.ready;
    await until('the second window has the accounts', () => second.catalog.catalog(A)?.accounts.length === 3);
    assert.equal(emulator().calls({ operation: 'ListAccounts' }).length, 0, 'the second window did not list');
    second.dispose();
    first.dispose();
  });

  test('Sign Out forgets the portal’s listing files and its cached listing; the other portal’s stay', async () => {
    const w = window();
    await w.portals.signIn({ startUrl: START_URL, region: REGION }, noCode);
    await w.portals.signIn({ startUrl: SECOND_URL, region: REGION }, noCode);
    await until('both listed', () => w.catalog.catalog(A)?.accounts.length === 3 && w.catalog.catalog(B)?.accounts.length === 2);
    const cached: CachedListing = { version: 1, startUrl: SECOND_URL, savedAt: 1, accounts: [{ accountId: '222222222222', accountName: 'old' }], roles: {} };
    await saveListing(w.state, B, cached);
    await signOutAndForget(w.portals, [B], { state: w.state, listingRoot: w.root });
    assert.equal(w.portals.session(B), undefined, 'B is signed out');
    assert.equal(existsSync(listingDir(w.root, SECOND_URL)), false, "B's listing files are gone");
    assert.equal(cachedListing(w.state, B), undefined, "B's cached listing is gone");
    assert.ok(existsSync(listingDir(w.root, START_URL)), "A's listing files stay");
    assert.equal(w.portals.session(A)?.state.kind, 'signedIn');
    w.dispose();
  });

  test("the single-sign-in version's sign-in, active role and cached listing become the migrated portal's", async () => {
    const store = new MemorySecrets();
    const old = Session.create({ store, clock: fastClock(1), createClient: () => client() });
    await old.signIn({ startUrl: START_URL, region: REGION }, noCode);
    old.dispose();
    assert.ok(store.data.get(SECRET_KEYS.token), 'the old version left its token');
    const state = new MemoryState();
    const seedAccount = emulator().accounts()[0];
    state.data.set('awsIdc.activeRole', { accountId: seedAccount.accountId, roleName: seedAccount.roles[0], accountName: seedAccount.accountName });
    state.data.set('awsIdc.listing', {
      version: 1,
      startUrl: START_URL,
      savedAt: Date.now(),
      accounts: [{ accountId: seedAccount.accountId, accountName: seedAccount.accountName }],
      roles: {},
    } satisfies CachedListing);
    const w = window(store, newRoot(), state);
    await w.listings.ready;
    assert.equal(w.portals.migrated?.id, A);
    assert.equal(w.active.current?.portal, A, 'the remembered role is now the migrated portal’s');
    assert.equal(state.data.has('awsIdc.listing'), false, 'the old listing key is gone');
    assert.deepEqual(w.listings.following, [A], 'the migrated portal is listed without signing in again');
    await until('listed', () => w.catalog.catalog(A)?.accounts.length === 3);
    await until('the moved cache is dropped once the shared listing holds it', () => cachedListing(state, A) === undefined);
    w.dispose();
  });

  test('a listing failure names its portal only while several portals are signed in', async () => {
    const w = window();
    await w.portals.signIn({ startUrl: START_URL, region: REGION }, noCode);
    const err = Object.assign(new IdcError('network', 'Could not reach AWS.'), { portal: A });
    assert.equal(listingFailureMessage(w.portals, err), 'Could not reach AWS.');
    await w.portals.signIn({ startUrl: SECOND_URL, region: REGION, sessionName: 'second' }, noCode);
    assert.equal(listingFailureMessage(w.portals, err), 'emulator.awsapps.com: Could not reach AWS.');
    assert.equal(listingFailureMessage(w.portals, Object.assign(new IdcError('throttled', 'Throttled.'), { portal: B })), 'second: Throttled.');
    w.dispose();
  });
});
