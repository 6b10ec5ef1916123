// Sign-in against an OIDC service sending absurd numbers or echoing what it was sent.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { IdcError } from '../../../src/core/common/errors';
import type { Logger } from '../../../src/core/common/log';
import { SECRET_KEYS } from '../../../src/core/common/storageKeys';
import { Session } from '../../../src/core/signIn/session';
import { fastClock } from '../../support/clocks';
import { REGION, START_URL, emulatorPerTest } from '../../support/emulator';
import { MemorySecrets } from '../../support/memorySecrets';

const target = { startUrl: START_URL, region: REGION };
const DAY_MS = 24 * 3600_000;

describe('Session against a misbehaving OIDC service', () => {
  const { emulator, client } = emulatorPerTest({ interval: 1, autoApprove: true });

  const lines: string[] = [];
  const log: Logger = { trace: (m) => lines.push(m), info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
  const newSession = (store = new MemorySecrets()) => Session.create({ store, clock: fastClock(1), log, createClient: () => client() });

  test('clientSecretExpiresAt of 1e13 seconds: sign-in works, the registration is kept at most 90 days (no RangeError)', async () => {
    emulator().configure({ wireValues: { clientSecretExpiresAt: 1e13 } });
    const store = new MemorySecrets();
    const session = newSession(store);
    await session.signIn(target, { onCode: () => undefined });
    assert.equal(session.state.kind, 'signedIn');
    const registration = JSON.parse(store.data.get(SECRET_KEYS.registration)!);
    assert.ok(registration.expiresAt <= Date.now() + 90 * DAY_MS && registration.expiresAt > Date.now() + 89 * DAY_MS);
    session.dispose();
  });

  test('clientSecretExpiresAt in the past or missing: treated as no usable expiry, registered again at the next sign-in', async () => {
    emulator().configure({ wireValues: { clientSecretExpiresAt: -1 } });
    const session = newSession();
    await session.signIn(target, { onCode: () => undefined });
    await session.signOut();
    await session.signIn(target, { onCode: () => undefined });
    assert.equal(emulator().calls({ operation: 'RegisterClient' }).length, 2);
    session.dispose();
  });

  for (const expiresIn of [1e16, 0, -5]) {
    test(`CreateToken expiresIn of ${expiresIn}: the sign-in is refused with a clear message, and nothing loops`, async () => {
      emulator().configure({ wireValues: { tokenExpiresIn: expiresIn } });
      const store = new MemorySecrets();
      const session = newSession(store);
      const err = await session.signIn(target, { onCode: () => undefined }).catch((e: unknown) => e);
      assert.ok(err instanceof IdcError, String(err));
      assert.match(err.message, /answered with a sign-in that lasts .* seconds, which no sign-in can; it was not used/);
      assert.equal(session.state.kind, 'signedOut');
      assert.equal(store.data.get(SECRET_KEYS.token), undefined);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(emulator().calls({ operation: 'CreateToken' }).length, 1, 'no refresh loop');
      session.dispose();
    });
  }

  for (const operation of ['StartDeviceAuthorization', 'CreateToken'] as const) {
    test(`an x-amzn-ErrorType echoing the client secret on ${operation} reaches neither the message nor the log`, async () => {
      emulator().injectFault({ operation, kind: 'echo', count: 1 });
      lines.length = 0;
      const store = new MemorySecrets();
      const session = newSession(store);
      const err = await session.signIn(target, { onCode: () => undefined }).catch((e: unknown) => e);
      assert.ok(err instanceof IdcError);
      const secret = JSON.parse(store.data.get(SECRET_KEYS.registration)!).clientSecret as string;
      assert.ok(secret.length > 20);
      const echoed = emulator()
        .calls({ operation })
        .find((c) => c.errorType === 'echo');
      assert.ok(echoed, 'the emulator did echo');
      const seen = [err.message, err.causeName ?? '', ...lines].join('\n');
      assert.ok(!seen.includes(secret), `client secret leaked into: ${seen.replace(secret, '<SECRET>')}`);
      assert.match(err.message, /UnrecognisedServerError/);
      session.dispose();
    });
  }
});
