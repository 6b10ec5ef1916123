// Several portals signed in at once, through the real SDK clients against the local Identity Center
// serving two portals with different accounts: each sign-in has its own keys, refresh, end and
// sign-out; roles are routed to their own portal's token; the single sign-in of older versions moves over.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PortalCatalogs } from '../../../src/core/accounts/portalCatalogs';
import { ActiveRole } from '../../../src/core/accounts/activeRole';
import { IdcError } from '../../../src/core/common/errors';
import { portalId, type RoleRef } from '../../../src/core/common/model';
import { SECRET_KEYS, portalSecretKeys } from '../../../src/core/common/storageKeys';
import { routedPortalCredentials } from '../../../src/core/credentials/portalRouting';
import { Portals } from '../../../src/core/signIn/portals';
import { Session } from '../../../src/core/signIn/session';
import { fastClock } from '../../support/clocks';
import { REGION, START_URL, emulatorPerTest } from '../../support/emulator';
import { MemorySecrets } from '../../support/memorySecrets';
import { MemoryState } from '../../support/memoryState';

const SECOND_URL = 'https://second-org.awsapps.com/start';
const A = portalId(START_URL);
const B = portalId(SECOND_URL);

describe('Portals (several sign-ins at once)', () => {
  const { emulator, client } = emulatorPerTest({ interval: 1, autoApprove: true, accounts: 3, portals: { [SECOND_URL]: 2 } });

  const build = (store = new MemorySecrets(), refreshAheadMs?: number) =>
    Portals.create({ store, clock: fastClock(1), createClient: () => client(), refreshAheadMs });
  const noCode = { onCode: () => undefined };
  const tokenOf = (store: MemorySecrets, portal: string) => JSON.parse(store.data.get(portalSecretKeys(portal).token)!);
  const revokeSignIn = (accessToken: string) => emulator().state.revokeSession(emulator().state.accessTokens.get(accessToken)!.sessionId);

  test('two portals sign in side by side, each under its own keys, and list their own accounts', async () => {
    const store = new MemorySecrets();
    const portals = build(store);
    await portals.signIn({ startUrl: START_URL, region: REGION }, noCode);
    await portals.signIn({ startUrl: SECOND_URL, region: 'eu-west-1', sessionName: 'second' }, noCode);
    assert.deepEqual(
      portals.signedIn.map((p) => p.info.id),
      [A, B],
    );
    assert.notEqual(tokenOf(store, A).accessToken, tokenOf(store, B).accessToken);
    assert.equal(store.data.get(SECRET_KEYS.token), undefined, 'nothing under the single-sign-in key');
    assert.ok(store.data.get(portalSecretKeys(A).registration) && store.data.get(portalSecretKeys(B).registration), 'a registration per portal');
    const index = JSON.parse(store.data.get(SECRET_KEYS.portals)!);
    assert.deepEqual(
      index.map((p: { id: string; region: string }) => [p.id, p.region]),
      [
        [A, REGION],
        [B, 'eu-west-1'],
      ],
    );
    const catalogs = new PortalCatalogs({ portals, region: (s) => (s.state.kind === 'signedIn' ? s.state.region : REGION) });
    await catalogs.refresh();
    await catalogs.whenIdle();
    const ofA = catalogs.catalog(A)!.accounts.map((a) => a.accountId);
    const ofB = catalogs.catalog(B)!.accounts.map((a) => a.accountId);
    assert.deepEqual(
      ofA.sort(),
      emulator()
        .accounts()
        .map((a) => a.accountId)
        .sort(),
    );
    assert.deepEqual(
      ofB.sort(),
      emulator()
        .portalAccounts(SECOND_URL)
        .map((a) => a.accountId)
        .sort(),
    );
    assert.equal(catalogs.accounts.length, 5);
    assert.ok(
      catalogs.allRoles().every((r) => r.portal === (ofA.includes(r.accountId) ? A : B)),
      'every role carries its portal',
    );
    catalogs.dispose();
    portals.dispose();
  });

  test("a role is fetched with its own portal's token; a role of a portal that ended is refused, never served by another", async () => {
    const portals = build();
    await portals.signIn({ startUrl: START_URL, region: REGION }, noCode);
    await portals.signIn({ startUrl: SECOND_URL, region: REGION }, noCode);
    const fetch = routedPortalCredentials(portals);
    const second = emulator()
      .portalAccounts(SECOND_URL)
      .find((a) => a.roles.length)!;
    const roleB: RoleRef = { accountId: second.accountId, roleName: second.roles[0], portal: B };
    const creds = await fetch(roleB);
    assert.equal(creds.accountId, second.accountId);
    assert.equal(creds.portal, B);
    // The same account asked through the other portal is not reachable there (the emulator refuses).
    await assert.rejects(fetch({ ...roleB, portal: A }));
    await portals.signOut(B);
    const refused = await fetch(roleB).catch((e) => e);
    assert.ok(refused instanceof IdcError);
    assert.equal(refused.causeName, 'PortalSignedOut');
    assert.match(refused.message, /second-org\.awsapps\.com.*Sign In/, 'the refusal names the portal that ended');
    const noPortal = await fetch({ accountId: second.accountId, roleName: second.roles[0] }).catch((e) => e);
    assert.equal(noPortal.causeName, 'PortalSignedOut', 'a role without a portal is never guessed');
    assert.equal(portals.session(A)?.state.kind, 'signedIn', 'the other portal stays signed in');
    const first = emulator()
      .accounts()
      .find((a) => a.roles.length)!;
    assert.equal((await fetch({ accountId: first.accountId, roleName: first.roles[0], portal: A })).accountId, first.accountId);
    portals.dispose();
  });

  test('signing out of one portal ends only its portal session (Logout with its token) and forgets it in every window', async () => {
    const store = new MemorySecrets();
    const window1 = build(store);
    const window2 = build(store);
    await window2.ready;
    await window1.signIn({ startUrl: START_URL, region: REGION }, noCode);
    await window1.signIn({ startUrl: SECOND_URL, region: REGION }, noCode);
    const tokenA = tokenOf(store, A).accessToken;
    const tokenB = tokenOf(store, B).accessToken;
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(
      window2.signedIn.map((p) => p.info.id),
      [A, B],
      'the other window follows both sign-ins',
    );
    await window1.signOut(A);
    assert.ok(emulator().state.accessTokens.get(tokenA)!.revoked, "portal A's sign-in was ended");
    assert.ok(!emulator().state.accessTokens.get(tokenB)!.revoked, "portal B's was not");
    assert.equal(store.data.get(portalSecretKeys(A).token), undefined);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(
      window2.all.map((p) => p.info.id),
      [B],
    );
    assert.equal(await window2.session(B)!.accessToken(), tokenB);
    window1.dispose();
    window2.dispose();
  });

  test('each portal refreshes on its own: one refresh leaves the other token and lease alone', async () => {
    emulator().configure({ accessTokenTtlSec: 4 });
    const store = new MemorySecrets();
    const portals = build(store, 2_000);
    await portals.signIn({ startUrl: START_URL, region: REGION }, noCode);
    emulator().configure({ accessTokenTtlSec: 3600 });
    await portals.signIn({ startUrl: SECOND_URL, region: REGION }, noCode);
    const beforeA = tokenOf(store, A).accessToken;
    const beforeB = tokenOf(store, B).accessToken;
    await new Promise((r) => setTimeout(r, 2_600));
    assert.notEqual(tokenOf(store, A).accessToken, beforeA, 'portal A (4 s token) was refreshed in the background');
    assert.equal(tokenOf(store, B).accessToken, beforeB, 'portal B (1 h token) was not touched');
    assert.equal(await portals.session(A)!.accessToken(), tokenOf(store, A).accessToken);
    assert.equal(store.data.get(portalSecretKeys(A).refreshLease), undefined, 'the lease was given back');
    portals.dispose();
  });

  test('a sign-in that ends (revoked, refresh refused) ends only its own portal, and says which', async () => {
    const portals = build();
    await portals.signIn({ startUrl: START_URL, region: REGION }, noCode);
    await portals.signIn({ startUrl: SECOND_URL, region: REGION }, noCode);
    const ended: string[] = [];
    portals.onDidEnd(({ portal }) => ended.push(portal.id));
    revokeSignIn(await portals.session(B)!.accessToken());
    const catalogs = new PortalCatalogs({ portals, region: () => REGION });
    await catalogs.catalog(B)!.refresh();
    assert.deepEqual(ended, [B]);
    assert.equal(portals.session(B)?.state.kind, 'signedOut');
    assert.equal(portals.session(A)?.state.kind, 'signedIn');
    await catalogs.catalog(A)!.refresh();
    assert.equal(catalogs.catalog(A)!.accounts.length, 3, 'portal A still lists');
    assert.deepEqual(
      portals.signedIn.map((p) => p.info.id),
      [A],
    );
    catalogs.dispose();
    portals.dispose();
  });

  test('an expired sign-in without refresh token ends on its own when next used', async () => {
    emulator().configure({ issueRefreshTokens: false, accessTokenTtlSec: 3 });
    const portals = build();
    await portals.signIn({ startUrl: START_URL, region: REGION }, noCode);
    emulator().configure({ accessTokenTtlSec: 3600 });
    await portals.signIn({ startUrl: SECOND_URL, region: REGION }, noCode);
    await new Promise((r) => setTimeout(r, 2_000)); // portal A's 3 s token is now within seconds of its end
    const err = await portals
      .session(A)!
      .accessToken()
      .catch((e) => e);
    assert.equal(err.kind, 'sessionEnded');
    assert.equal(portals.session(A)!.state.kind, 'signedOut');
    assert.equal(portals.session(B)!.state.kind, 'signedIn');
    assert.ok(await portals.session(B)!.accessToken());
    portals.dispose();
  });

  test('the same start URL under two sso-session names is one portal', async () => {
    const portals = build();
    await portals.signIn({ startUrl: `${SECOND_URL}/`, region: REGION, sessionName: 'one' }, noCode);
    assert.ok(portals.isSignedIn(SECOND_URL));
    assert.ok(portals.isSignedIn(` ${SECOND_URL}// `));
    assert.equal(portals.all.length, 1);
    assert.equal(portals.all[0].info.id, B);
    portals.dispose();
  });

  test('migration: the single sign-in moves to its portal without signing in again, and refreshes there', async () => {
    // What the single-sign-in version left: tokens and registration under the old keys.
    const store = new MemorySecrets();
    const old = Session.create({ store, clock: fastClock(1), createClient: () => client() });
    await old.signIn({ startUrl: START_URL, region: REGION, sessionName: 'work' }, noCode);
    const oldToken = JSON.parse(store.data.get(SECRET_KEYS.token)!);
    const oldRegistration = store.data.get(SECRET_KEYS.registration);
    old.dispose();
    const deviceFlows = emulator().calls({ operation: 'StartDeviceAuthorization' }).length;

    const portals = build(store);
    await portals.ready;
    assert.equal(store.data.get(SECRET_KEYS.token), undefined, 'the old token key is gone');
    assert.equal(store.data.get(SECRET_KEYS.registration), undefined, 'the old registration key is gone');
    assert.equal(tokenOf(store, A).accessToken, oldToken.accessToken);
    assert.equal(store.data.get(portalSecretKeys(A).registration), oldRegistration);
    assert.equal(portals.session(A)?.state.kind, 'signedIn');
    assert.equal(portals.migrated?.id, A);
    assert.equal(portals.migrated?.sessionName, 'work');
    // The moved refresh token still works with the moved registration.
    await portals.session(A)!.handleUnauthorized(new Error('test'));
    assert.notEqual(tokenOf(store, A).accessToken, oldToken.accessToken);
    assert.equal(portals.session(A)?.state.kind, 'signedIn');
    assert.equal(emulator().calls({ operation: 'StartDeviceAuthorization' }).length, deviceFlows, 'no new sign-in');
    // A second start (or window) finds nothing left to move and keeps the same sign-in.
    const again = build(store);
    await again.ready;
    assert.equal(again.session(A)?.state.kind, 'signedIn');
    assert.equal(again.migrated?.id, A);
    again.dispose();
    portals.dispose();
  });

  test('migration: remembered roles without a portal become the migrated portal’s', async () => {
    const workspace = new MemoryState();
    const global = new MemoryState();
    workspace.data.set('awsIdc.activeRole', { accountId: '111111111111', roleName: 'Dev', accountName: 'Sandbox' });
    global.data.set('awsIdc.activeRole', { accountId: '222222222222', roleName: 'Ops', accountName: 'Prod' });
    global.data.set('awsIdc.recentRoles', [
      { accountId: '111111111111', roleName: 'Dev', accountName: 'Sandbox' },
      { accountId: '333333333333', roleName: 'X', accountName: 'Y', via: { accountId: '111111111111', roleName: 'Dev' }, chainName: 'deploy' },
    ]);
    const active = new ActiveRole(workspace, global);
    await active.assignPortal(A);
    assert.equal(active.current?.portal, A);
    assert.equal((workspace.get('awsIdc.activeRole') as RoleRef).portal, A);
    assert.equal((global.get('awsIdc.activeRole') as RoleRef).portal, A);
    const recent = active.recent;
    assert.equal(recent[0].portal, A);
    assert.equal(recent[1].via?.portal, A, 'a chained role takes its portal through its source');
    // A role that already names a portal keeps it.
    await active.set({ accountId: '444444444444', roleName: 'R', accountName: 'Z', portal: B });
    await active.assignPortal(A);
    assert.equal(active.current?.portal, B);
    active.dispose();
  });
});
