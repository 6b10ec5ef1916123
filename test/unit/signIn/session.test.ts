// Sign-in, refresh and sign-out through the real SDK clients against the local Identity Center.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { IdcError } from '../../../src/core/common/errors';
import { Session } from '../../../src/core/signIn/session';
import { SECRET_KEYS } from '../../../src/core/common/storageKeys';
import { fastClock } from '../../support/clocks';
import { REGION, START_URL, emulatorPerTest } from '../../support/emulator';
import { MemorySecrets } from '../../support/memorySecrets';

const target = { startUrl: START_URL, region: REGION };

describe('Session (device flow and refresh)', () => {
  const { emulator, client } = emulatorPerTest({ interval: 1, enforceSlowDown: true, autoApprove: false });

  const newSession = (store = new MemorySecrets(), clock = fastClock(1)) => Session.create({ store, clock, createClient: () => client() });

  test('signs in once the code is approved, registering with sso:account:access and keeping tokens only in the secret store', async () => {
    const store = new MemorySecrets();
    const session = newSession(store);
    const codes: string[] = [];
    await session.signIn(target, {
      onCode: (p) => {
        codes.push(p.userCode);
        setTimeout(() => emulator().approve(p.userCode), 300);
      },
    });
    assert.equal(session.state.kind, 'signedIn');
    assert.match(codes[0], /^[A-Z]{4}-[A-Z]{4}$/);
    const token = JSON.parse(store.data.get(SECRET_KEYS.token)!);
    assert.ok(token.accessToken && token.refreshToken, 'a refresh token is issued for the sso:account:access scope');
    assert.deepEqual(JSON.parse(store.data.get(SECRET_KEYS.registration)!).scopes, ['sso:account:access']);
    const register = emulator().calls({ operation: 'RegisterClient' });
    assert.equal(register.length, 1);
    // The registration is reused by the next sign-in.
    await session.signOut();
    await session.signIn(target, { onCode: (p) => void setTimeout(() => emulator().approve(p.userCode), 200) });
    assert.equal(emulator().calls({ operation: 'RegisterClient' }).length, 1);
    session.dispose();
  });

  test('a denied sign-in ends with a message that says so and what to do', async () => {
    const session = newSession();
    const err = await session.signIn(target, { onCode: (p) => void setTimeout(() => emulator().deny(p.userCode), 200) }).catch((e) => e);
    assert.ok(err instanceof IdcError);
    assert.equal(err.kind, 'denied');
    assert.match(err.message, /denied.*Sign In/);
    assert.equal(session.state.kind, 'signedOut');
    session.dispose();
  });

  test('an expired code ends with a clear message', async () => {
    emulator().configure({ deviceCodeTtlSec: 2 });
    const session = newSession();
    const err = await session.signIn(target, { onCode: () => undefined }).catch((e) => e);
    assert.equal(err.kind, 'codeExpired');
    assert.match(err.message, /not approved in time/);
    session.dispose();
  });

  test('SlowDownException adds 5 s to the polling interval', async () => {
    // A clock 10x fast polls too often for the server's real-time interval, which answers slow_down.
    const session = newSession(new MemorySecrets(), fastClock(10));
    await session.signIn(target, { onCode: (p) => void setTimeout(() => emulator().approve(p.userCode), 2500) });
    const polls = emulator().calls({ operation: 'CreateToken' });
    const slowDowns = polls.filter((c) => c.errorType === 'SlowDownException').length;
    assert.ok(slowDowns >= 1, 'the server asked to slow down');
    const gaps = polls.slice(1).map((c, i) => c.t - polls[i].t);
    assert.ok(gaps.at(-1)! >= 1000, `after slow_down the gap reaches the interval (gaps ${gaps.join(',')})`);
    session.dispose();
  });

  test('cancellation stops polling at once', async () => {
    const session = newSession();
    const abort = new AbortController();
    const started = Date.now();
    const err = await session.signIn(target, { signal: abort.signal, onCode: () => void setTimeout(() => abort.abort(), 100) }).catch((e) => e);
    assert.equal(err.kind, 'cancelled');
    assert.ok(Date.now() - started < 1500);
    session.dispose();
  });

  test('an unknown start URL is refused with advice to check the settings', async () => {
    const session = newSession();
    const err = await session.signIn({ startUrl: 'https://wrong.awsapps.com/start', region: REGION }, { onCode: () => undefined }).catch((e) => e);
    assert.equal(err.kind, 'badStartUrl');
    assert.match(err.message, /awsIdc\.startUrl/);
    session.dispose();
  });

  test('the access token is refreshed silently before it expires', async () => {
    emulator().configure({ accessTokenTtlSec: 4, autoApprove: true });
    const store = new MemorySecrets();
    const session = Session.create({ store, clock: fastClock(1), createClient: () => client(), refreshAheadMs: 2_000 });
    await session.signIn(target, { onCode: () => undefined });
    const first = JSON.parse(store.data.get(SECRET_KEYS.token)!).accessToken;
    await new Promise((r) => setTimeout(r, 2_600));
    const second = JSON.parse(store.data.get(SECRET_KEYS.token)!).accessToken;
    assert.notEqual(second, first, 'a background refresh replaced the token');
    assert.equal(await session.accessToken(), second);
    assert.equal(
      emulator()
        .calls({ operation: 'CreateToken' })
        .filter((c) => c.status === 200).length,
      2,
    );
    session.dispose();
  });

  test('a rejected refresh token ends the session and says to sign in again', async () => {
    emulator().configure({ accessTokenTtlSec: 2, autoApprove: true });
    const session = Session.create({ store: new MemorySecrets(), clock: fastClock(1), createClient: () => client(), refreshAheadMs: 60_000 });
    await session.signIn(target, { onCode: () => undefined });
    emulator().revokeRefreshTokens();
    // The background refresh (due at half-life) is refused: the session ends by itself.
    const ended = await new Promise<IdcError>((resolve) => session.onDidEnd(resolve));
    assert.equal(ended.kind, 'sessionEnded');
    assert.match(ended.message, /Sign in again/);
    assert.equal(session.state.kind, 'signedOut');
    const err = await session.accessToken().catch((e) => e);
    assert.equal(err.kind, 'sessionEnded');
    session.dispose();
  });

  test('two windows share one sign-in; sign-out in one signs out both', async () => {
    emulator().configure({ autoApprove: true });
    const store = new MemorySecrets();
    const a = newSession(store);
    const b = newSession(store);
    await b.ready;
    await a.signIn(target, { onCode: () => undefined });
    await new Promise((r) => setImmediate(r));
    assert.equal(b.state.kind, 'signedIn');
    assert.equal(await b.accessToken(), await a.accessToken());
    await b.signOut();
    await new Promise((r) => setImmediate(r));
    assert.equal(a.state.kind, 'signedOut');
    assert.equal(emulator().calls({ operation: 'Logout' }).length, 1);
    a.dispose();
    b.dispose();
  });

  test('two windows due to refresh at once: one refresh call, both adopt its token', async () => {
    emulator().configure({ accessTokenTtlSec: 3, autoApprove: true, rotateRefreshTokens: true });
    const store = new MemorySecrets();
    const a = Session.create({ store, clock: fastClock(1), createClient: () => client(), refreshAheadMs: 60_000 });
    const b = Session.create({ store, clock: fastClock(1), createClient: () => client(), refreshAheadMs: 60_000 });
    await b.ready;
    await a.signIn(target, { onCode: () => undefined });
    await new Promise((r) => setImmediate(r));
    const before = await a.accessToken();
    emulator().clearCalls();
    // Both windows schedule their background refresh for the same instant (half-life, 1.5 s).
    await new Promise((r) => setTimeout(r, 2_500));
    const [ta, tb] = await Promise.all([a.accessToken(), b.accessToken()]);
    assert.notEqual(ta, before, 'the token was refreshed');
    assert.equal(ta, tb, 'both windows use the same token');
    assert.equal(emulator().calls({ operation: 'CreateToken' }).length, 1, 'only one window refreshed');
    assert.equal(a.state.kind, 'signedIn');
    assert.equal(b.state.kind, 'signedIn');
    a.dispose();
    b.dispose();
  });
});
