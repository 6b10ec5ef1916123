// The cached listing of the single-sign-in versions moves to its portal; each portal keeps its own.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CachedListing } from '../../../src/core/accounts/catalog';
import { cachedListing, forgetListings, migrateListing, saveListing } from '../../../src/core/accounts/listingCache';
import { portalId } from '../../../src/core/common/model';
import { MemoryState } from '../../support/memoryState';

const A = 'https://first.awsapps.com/start';
const B = 'https://second.awsapps.com/start';
const listing = (startUrl: string, accountId: string): CachedListing => ({
  version: 1,
  startUrl,
  savedAt: 1,
  accounts: [{ accountId, accountName: `acct ${accountId}` }],
  roles: { [accountId]: ['Dev'] },
});

describe('listing cache per portal', () => {
  test('the single listing becomes its portal’s and the old key goes', async () => {
    const state = new MemoryState();
    state.data.set('awsIdc.listing', listing(`${A}/`, '111111111111'));
    await migrateListing(state, portalId(A));
    assert.equal(state.data.has('awsIdc.listing'), false);
    assert.equal(cachedListing(state, portalId(A))?.accounts[0].accountId, '111111111111');
    assert.equal(cachedListing(state, portalId(B)), undefined);
  });

  test('a listing of another portal than the migrated sign-in is dropped, not given to it', async () => {
    const state = new MemoryState();
    state.data.set('awsIdc.listing', listing(B, '222222222222'));
    await migrateListing(state, portalId(A));
    assert.equal(state.data.has('awsIdc.listing'), false);
    assert.equal(cachedListing(state, portalId(A)), undefined);
  });

  test('each portal keeps its own listing; signing one out forgets only its own', async () => {
    const state = new MemoryState();
    await saveListing(state, portalId(A), listing(A, '111111111111'));
    await saveListing(state, portalId(B), listing(B, '222222222222'));
    assert.equal(cachedListing(state, portalId(B))?.accounts[0].accountId, '222222222222');
    await forgetListings(state, [portalId(A)]);
    assert.equal(cachedListing(state, portalId(A)), undefined);
    assert.equal(cachedListing(state, portalId(B))?.accounts[0].accountId, '222222222222');
    await forgetListings(state, [portalId(B)]);
    assert.equal(state.data.has('awsIdc.listings'), false);
  });
});
