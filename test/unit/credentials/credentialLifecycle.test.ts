// Credentials follow the sign-ins, through the real SDK clients against the local Identity Center
// serving two portals: the active role is kept fresh while its portal is signed in, a portal's
// sign-out takes only its roles' credentials, and the last sign-out takes them all.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ActiveRole } from '../../../src/core/accounts/activeRole';
import { portalId, roleKey, type RoleRef } from '../../../src/core/common/model';
import { CredentialBroker } from '../../../src/core/credentials/broker';
import { CredentialLifecycle } from '../../../src/core/credentials/credentialLifecycle';
import { routedPortalCredentials } from '../../../src/core/credentials/portalRouting';
import { Portals } from '../../../src/core/signIn/portals';
import { fastClock } from '../../support/clocks';
import { REGION, START_URL } from '../../support/emulator';
import { SECOND_URL, twoPortalEmulator, until } from '../../support/twoPortals';
import { MemorySecrets } from '../../support/memorySecrets';
import { MemoryState } from '../../support/memoryState';

const A = portalId(START_URL);
const B = portalId(SECOND_URL);
const noCode = { onCode: () => undefined };

describe('CredentialLifecycle (credentials follow the sign-ins)', () => {
  const { emulator, client } = twoPortalEmulator();

  const build = async () => {
    const portals = Portals.create({ store: new MemorySecrets(), clock: fastClock(1), createClient: () => client() });
    const broker = new CredentialBroker({ fetch: routedPortalCredentials(portals), refreshBeforeMs: () => 15 * 60_000 });
    const active = new ActiveRole(new MemoryState(), new MemoryState());
    const lifecycle = new CredentialLifecycle({ portals, active, broker });
    await portals.signIn({ startUrl: START_URL, region: REGION }, noCode);
    await portals.signIn({ startUrl: SECOND_URL, region: REGION }, noCode);
    const first = emulator()
      .accounts()
      .find((a) => a.roles.length)!;
    const second = emulator()
      .portalAccounts(SECOND_URL)
      .find((a) => a.roles.length)!;
    const roleA: RoleRef = { accountId: first.accountId, roleName: first.roles[0], portal: A };
    const roleB: RoleRef = { accountId: second.accountId, roleName: second.roles[0], portal: B };
    const dispose = () => (lifecycle.dispose(), broker.clear(), active.dispose(), portals.dispose());
    return { portals, broker, active, lifecycle, roleA, roleB, first, dispose };
  };

  test('the active role is fetched and kept fresh in the background while its portal is signed in', async () => {
    const t = await build();
    assert.equal(t.lifecycle.keptFreshRole, undefined, 'no active role, nothing kept fresh');
    await t.active.set({ ...t.roleA, accountName: t.first.accountName });
    assert.equal(t.lifecycle.keptFreshRole, roleKey(t.roleA));
    await until('the active role’s credentials arrive without anyone asking', () => !!t.broker.peek(t.roleA));
    assert.equal(t.broker.peek(t.roleA)?.accountId, t.roleA.accountId);
    await t.portals.signOut(A);
    assert.equal(t.lifecycle.keptFreshRole, undefined, 'its portal signed out: no longer kept fresh');
    t.dispose();
  });

  test("one portal's sign-out takes only its roles' credentials; the last sign-out takes them all", async () => {
    const t = await build();
    await t.broker.get(t.roleA);
    await t.broker.get(t.roleB);
    await t.portals.signOut(B);
    assert.equal(t.broker.peek(t.roleB), undefined, "B's credentials are forgotten");
    assert.ok(t.broker.peek(t.roleA), "A's credentials stay");
    await t.portals.signOut(A);
    assert.equal(t.broker.peek(t.roleA), undefined, 'signed out everywhere: nothing is kept');
    t.dispose();
  });

  test('a sign-in that ends (revoked, then refused) forgets its credentials like a sign-out', async () => {
    const t = await build();
    await t.broker.get(t.roleA);
    await t.broker.get(t.roleB);
    const token = await t.portals.session(B)!.accessToken();
    emulator().state.revokeSession(emulator().state.accessTokens.get(token)!.sessionId);
    await t.portals.session(B)!.handleUnauthorized(new Error('test'));
    await until('B is signed out', () => t.portals.session(B)?.state.kind !== 'signedIn');
    assert.equal(t.broker.peek(t.roleB), undefined, "B's credentials are forgotten");
    assert.ok(t.broker.peek(t.roleA), "A's credentials stay");
    t.dispose();
  });
});
