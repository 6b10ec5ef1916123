// Role credentials with absurd expirations from a real portal (the emulator over HTTP): refused with
// a clear error, never a RangeError, and never fetched again in a loop.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { portalRoleCredentials } from '../../../src/core/aws/portal';
import type { IdentityCenter } from '../../../src/core/aws/identityCenter';
import type { RoleRef } from '../../../src/core/common/model';
import { IdcError } from '../../../src/core/common/errors';
import { CredentialBroker } from '../../../src/core/credentials/broker';
import type { Emulator } from '../../emulator/server';
import { fastClock } from '../../support/clocks';
import { signedInPortal, type SignedInPortal } from '../aws/signedInPortal';

describe('CredentialBroker against absurd expirations', () => {
  let portal: SignedInPortal;
  let emulator: Emulator;
  let ic: IdentityCenter;
  let accessToken: string;
  let role: RoleRef;
  before(async () => {
    portal = await signedInPortal({ accounts: 3 });
    ({ emulator, ic, accessToken, role } = portal);
  });
  after(() => portal.stop());
  beforeEach(() => emulator.clearCalls());

  const broker = (clock = fastClock(1)) =>
    new CredentialBroker({
      clock,
      refreshBeforeMs: () => 15 * 60_000,
      fetch: portalRoleCredentials({ client: async () => ic, accessToken: async () => accessToken }),
    });
  const calls = () => emulator.calls({ operation: 'GetRoleCredentials' }).length;

  for (const [label, expiration, message] of [
    ['in the past', () => Date.now() - 60_000, /had already expired .*not used/],
    ['at 1e16', () => 1e16, /claim to stay valid for \d+ hours, longer than AWS issues; they were not used/],
  ] as const) {
    test(`an expiration ${label} is refused with a clear error, and asking again at once does not call the portal`, async () => {
      emulator.configure({ wireValues: { roleExpiration: expiration() } });
      const b = broker();
      const err = await b.get(role).catch((e: unknown) => e);
      assert.ok(err instanceof IdcError, `an IdcError, not ${String(err)}`);
      assert.match(err.message, message);
      assert.equal(err.causeName, 'ImplausibleExpiration');
      for (let i = 0; i < 20; i++) await assert.rejects(b.get(role), message);
      assert.equal(calls(), 1, 'backed off: one call for 21 gets');
      assert.equal(b.peek(role), undefined, 'nothing cached');
      b.dispose();
      emulator.configure({ wireValues: {} });
    });
  }

  test('keepFresh backs off instead of refetching every second (one simulated minute)', async () => {
    emulator.configure({ wireValues: { roleExpiration: Date.now() - 60_000 } });
    const clock = fastClock(20);
    const b = broker(clock);
    const keep = b.keepFresh(role);
    await new Promise((r) => setTimeout(r, 3_000)); // 60 s on the broker's clock
    keep.dispose();
    // Back-off 15 s, 30 s: calls at 0, 15 and 45 s.
    assert.ok(calls() <= 3, `${calls()} calls in a minute`);
    emulator.configure({ wireValues: {} });
    // Once the portal sends sane credentials again they are taken.
    b.clear();
    assert.ok((await b.get(role)).expiration > Date.now() + 30 * 60_000);
    b.dispose();
  });
});
