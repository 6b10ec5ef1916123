// The authorization-code sign-in with PKCE, end to end: the real SDK client against the emulator's
// RegisterClient, /authorize consent page and CreateToken, the loopback listener, and a browser.
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { describe, test } from 'node:test';
import { IdcError } from '../../../src/core/common/errors';
import { SECRET_KEYS } from '../../../src/core/common/storageKeys';
import { chooseFlow } from '../../../src/core/signIn/flowChoice';
import { Session, type SignInInteraction } from '../../../src/core/signIn/session';
import { captureLog } from '../../support/cliFixtures';
import { browse, type BrowserVisit } from '../../support/authorizeBrowser';
import { REGION, START_URL, emulatorPerTest } from '../../support/emulator';
import { MemorySecrets } from '../../support/memorySecrets';

const target = { startUrl: START_URL, region: REGION };
const local = chooseFlow('auto', 'desktop');

/** Resolves once `port` on 127.0.0.1 can be bound again (the listener let it go). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

describe('Session with the authorization code and PKCE (emulator)', { timeout: 60_000 }, () => {
  const { emulator, client } = emulatorPerTest({ autoApprove: false });

  const log = captureLog();
  const lines = log.lines;
  const newSession = (store = new MemorySecrets()) => Session.create({ store, createClient: () => client(), log });
  const withBrowser = (action: 'allow' | 'deny' | 'none', seen: BrowserVisit[] = [], extra: Partial<SignInInteraction> = {}): SignInInteraction => ({
    onCode: () => assert.fail('no device code in the authorization-code flow'),
    plan: local,
    openBrowser: async (url) => void seen.push(await browse(url, action)),
    ...extra,
  });

  test('one Allow signs in: PKCE registration, no device authorization, a refresh token that works with its own client', async () => {
    const store = new MemorySecrets();
    const session = newSession(store);
    const seen: BrowserVisit[] = [];
    let port = 0;
    const result = await session.signIn(target, withBrowser('allow', seen, { onListening: (p) => (port = p) }));
    assert.deepEqual(result, { reusedFrom: undefined, flow: 'authorizationCode' });
    assert.equal(session.state.kind, 'signedIn');
    assert.equal(seen.length, 1, 'one browser page');
    assert.equal(seen[0].status, 200);
    assert.match(seen[0].text, /Signed in to AWS IAM Identity Center.*close this tab/);
    assert.deepEqual(
      seen[0].path.map((p) => new URL(p).pathname),
      ['/authorize', '/authorize/consent', '/authorize/consent', '/oauth/callback'],
    );
    assert.equal(emulator().calls({ operation: 'StartDeviceAuthorization' }).length, 0);
    const [registered] = emulator().state.clients.values();
    assert.deepEqual(registered.grantTypes, ['authorization_code', 'refresh_token']);
    assert.deepEqual(registered.redirectUris, ['http://127.0.0.1/oauth/callback']);
    assert.equal(registered.issuerUrl, START_URL);
    assert.deepEqual(registered.scopes, ['sso:account:access']);
    const pkceReg = JSON.parse(store.data.get(SECRET_KEYS.authCodeRegistration)!);
    assert.deepEqual(pkceReg.grantTypes, ['authorization_code', 'refresh_token']);
    assert.equal(JSON.parse(store.data.get(SECRET_KEYS.registration)!).clientId, pkceReg.clientId, "the token's client is the PKCE one");
    assert.ok(await portIsFree(port), 'the listener freed its port');
    const ic = await client();
    const accounts = await ic.listAccounts(await session.accessToken());
    assert.ok(accounts.items.length > 0, 'the token lists the portal');
    // Refresh with the PKCE client.
    await session.handleUnauthorized(new Error('test: force a refresh'));
    assert.deepEqual(
      emulator()
        .calls({ operation: 'CreateToken' })
        .map((c) => [c.grantType, c.status, c.clientId]),
      [
        ['authorization_code', 200, pkceReg.clientId],
        ['refresh_token', 200, pkceReg.clientId],
      ],
    );
    // No secret in the log: not the verifier, state or code either (the emulator issued the code).
    const secrets = emulator().issuedSecrets();
    lines.forEach((l, i) => assert.ok(!secrets.some((s) => l.includes(s)), `log line ${i} carries a secret`));
    session.dispose();
  });

  test('the PKCE registration is cached apart from the device one: each reused by its own flow only', async () => {
    const store = new MemorySecrets();
    const session = newSession(store);
    await session.signIn(target, withBrowser('allow'));
    await session.signOut();
    await session.signIn(target, withBrowser('allow'));
    assert.equal(emulator().calls({ operation: 'RegisterClient' }).length, 1, 'the second PKCE sign-in reuses its registration');
    await session.signOut();
    await session.signIn(target, { onCode: (p) => void setTimeout(() => emulator().approve(p.userCode), 100) });
    assert.equal(emulator().calls({ operation: 'RegisterClient' }).length, 2, 'the device flow registers its own client');
    assert.deepEqual(
      emulator()
        .calls({ operation: 'StartDeviceAuthorization' })
        .map((c) => c.status),
      [200],
    );
    await session.signOut();
    await session.signIn(target, withBrowser('allow'));
    assert.equal(emulator().calls({ operation: 'RegisterClient' }).length, 2, 'the PKCE registration survived the device sign-in');
    session.dispose();
  });

  test('a warm portal session redirects at once: the listener was bound before the browser opened', async () => {
    emulator().configure({ autoApprove: true });
    const session = newSession();
    const seen: BrowserVisit[] = [];
    await session.signIn(target, withBrowser('none', seen));
    assert.deepEqual(
      seen[0].path.map((p) => new URL(p).pathname),
      ['/authorize', '/oauth/callback'],
    );
    assert.equal(session.state.kind, 'signedIn');
    session.dispose();
  });

  test('Deny ends signed out with a clear message; the browser page says so; the port is freed', async () => {
    const session = newSession();
    const seen: BrowserVisit[] = [];
    let port = 0;
    const err = await session.signIn(target, withBrowser('deny', seen, { onListening: (p) => (port = p) })).catch((e) => e);
    assert.ok(err instanceof IdcError);
    assert.equal(err.kind, 'denied');
    assert.match(err.message, /denied in the browser.*Sign In/);
    assert.match(seen[0].text, /Sign-in denied/);
    assert.equal(session.state.kind, 'signedOut');
    assert.ok(await portIsFree(port));
    assert.equal(emulator().calls({ operation: 'CreateToken' }).length, 0);
    session.dispose();
  });

  test('cancel (abort) and timeout close the listener and free the port', async () => {
    const session = newSession();
    const abort = new AbortController();
    let port = 0;
    const cancelled = await session
      .signIn(
        target,
        withBrowser('none', [], { signal: abort.signal, onListening: (p) => (port = p), openBrowser: () => void setTimeout(() => abort.abort(), 100) }),
      )
      .catch((e) => e);
    assert.equal((cancelled as IdcError).kind, 'cancelled');
    assert.ok(await portIsFree(port), 'freed after cancel');
    const timedOut = await session
      .signIn(target, withBrowser('none', [], { timeoutMs: 300, onListening: (p) => (port = p), openBrowser: () => undefined }))
      .catch((e) => e);
    assert.equal((timedOut as IdcError).kind, 'timeout');
    assert.match((timedOut as IdcError).message, /did not come back.*Sign In/);
    assert.ok(await portIsFree(port), 'freed after the timeout');
    assert.equal(session.state.kind, 'signedOut');
    session.dispose();
  });

  test('a remote window without a loopback forward falls back to the device code under auto; with authorizationCode it keeps the local address', async () => {
    const session = newSession();
    const forwarded: string[] = [];
    await session.signIn(target, {
      plan: chooseFlow('auto', 'remote'),
      openBrowser: () => assert.fail('no browser page for the authorization code'),
      externalRedirect: async (u) => (forwarded.push(u), 'https://proxy.example/proxy/1234/oauth/callback'),
      onCode: (p) => void setTimeout(() => emulator().approve(p.userCode), 100),
    });
    assert.equal(forwarded.length, 1);
    assert.equal(emulator().calls({ operation: 'StartDeviceAuthorization' }).length, 1);
    await session.signOut();
    // A forward that gives a loopback address on the user's side (another port): used as the redirect.
    const result = await session.signIn(target, {
      plan: chooseFlow('auto', 'remote'),
      onCode: () => assert.fail('no device code'),
      externalRedirect: async (u) => u, // same machine: the forward is the address itself
      openBrowser: async (url) => void (await browse(url, 'allow')),
    });
    assert.equal(result.flow, 'authorizationCode');
    session.dispose();
  });
});
