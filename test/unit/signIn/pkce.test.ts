// The pure pieces of the authorization-code sign-in: PKCE values, the flow table, the forwarded
// redirect check, the /authorize address, and the loopback listener's handling of what arrives.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { IdcError } from '../../../src/core/common/errors';
import { authorizeUrl, forwardedRedirect } from '../../../src/core/signIn/authCodeFlow';
import { chooseFlow, parseFlowSetting, type SignInFlowSetting, type WindowKind } from '../../../src/core/signIn/flowChoice';
import { listenForRedirect } from '../../../src/core/signIn/loopbackRedirect';
import { newPkcePair, newState, newVerifier, s256Challenge } from '../../../src/core/signIn/pkce';

describe('PKCE values', () => {
  test('the RFC 7636 appendix B example', () => {
    assert.equal(s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });
  test('verifiers: 64 unreserved characters by default, 43 to 128 allowed, never twice the same', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const { verifier, challenge } = newPkcePair();
      assert.match(verifier, /^[A-Za-z0-9\-._~]{64}$/);
      assert.match(challenge, /^[A-Za-z0-9_-]{43}$/, 'base64url without padding');
      seen.add(verifier);
    }
    assert.equal(seen.size, 200);
    assert.equal(newVerifier(43).length, 43);
    assert.equal(newVerifier(128).length, 128);
    assert.throws(() => newVerifier(42), RangeError);
    assert.throws(() => newVerifier(129), RangeError);
    assert.match(newState(), /^[A-Za-z0-9_-]{22}$/);
    assert.notEqual(newState(), newState());
  });
});

describe('which flow a window signs in with', () => {
  const rows: [SignInFlowSetting, WindowKind, ReturnType<typeof chooseFlow>][] = [
    ['auto', 'desktop', { flow: 'authorizationCode', redirect: 'local' }],
    ['auto', 'web', { flow: 'deviceCode' }],
    ['auto', 'remote', { flow: 'authorizationCode', redirect: 'forwarded', fallback: 'deviceCode' }],
    ['authorizationCode', 'desktop', { flow: 'authorizationCode', redirect: 'local' }],
    ['authorizationCode', 'web', { flow: 'authorizationCode', redirect: 'local' }],
    ['authorizationCode', 'remote', { flow: 'authorizationCode', redirect: 'forwarded', fallback: 'local' }],
    ['deviceCode', 'desktop', { flow: 'deviceCode' }],
    ['deviceCode', 'web', { flow: 'deviceCode' }],
    ['deviceCode', 'remote', { flow: 'deviceCode' }],
  ];
  for (const [setting, window, want] of rows) test(`${setting} in a ${window} window`, () => assert.deepEqual(chooseFlow(setting, window), want));
  test('the setting: anything but the two flows is auto', () => {
    assert.equal(parseFlowSetting('authorizationCode'), 'authorizationCode');
    assert.equal(parseFlowSetting('deviceCode'), 'deviceCode');
    for (const v of [undefined, '', 'pkce', 'AUTO', 1, null]) assert.equal(parseFlowSetting(v), 'auto');
  });
});

describe('forwarded redirect (vscode.env.asExternalUri in a remote window)', () => {
  const local = 'http://127.0.0.1:41000/oauth/callback';
  const rows: [string, string | undefined][] = [
    ['http://127.0.0.1:52000/oauth/callback', 'http://127.0.0.1:52000/oauth/callback'],
    ['http://127.0.0.1:41000/oauth/callback', 'http://127.0.0.1:41000/oauth/callback'],
    ['http://localhost:52000/oauth/callback', undefined], // registered as 127.0.0.1
    ['https://127.0.0.1:52000/oauth/callback', undefined],
    ['https://name-41000.app.github.dev/oauth/callback', undefined], // Codespaces: not on the user's loopback
    ['http://127.0.0.1:8080/proxy/41000/oauth/callback', undefined], // code-server's proxy path
    ['http://127.0.0.1/oauth/callback', undefined], // no port
    ['http://127.0.0.1:52000/oauth/callback?x=1', undefined],
    ['http://user@127.0.0.1:52000/oauth/callback', undefined],
    ['http://127.0.0.1.evil.example:52000/oauth/callback', undefined],
    ['not a url', undefined],
  ];
  for (const [external, want] of rows) test(external, () => assert.equal(forwardedRedirect(local, external), want));
});

describe('the /authorize address', () => {
  test('on the OIDC endpoint, with the CLI parameters; only https or loopback http', () => {
    const url = new URL(
      authorizeUrl('https://oidc.eu-west-1.amazonaws.com/', { clientId: 'c1', redirectUri: 'http://127.0.0.1:5/oauth/callback', state: 's', challenge: 'x' }),
    );
    assert.equal(url.origin + url.pathname, 'https://oidc.eu-west-1.amazonaws.com/authorize');
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      response_type: 'code',
      client_id: 'c1',
      redirect_uri: 'http://127.0.0.1:5/oauth/callback',
      state: 's',
      code_challenge_method: 'S256',
      scopes: 'sso:account:access',
      code_challenge: 'x',
    });
    assert.ok(authorizeUrl('http://127.0.0.1:9', { clientId: 'c', redirectUri: 'r', state: 's', challenge: 'x' }).startsWith('http://127.0.0.1:9/authorize?'));
    assert.throws(() => authorizeUrl('http://oidc.example.com', { clientId: 'c', redirectUri: 'r', state: 's', challenge: 'x' }), IdcError);
  });
});

describe('the loopback listener', () => {
  test('binds 127.0.0.1 only; a wrong or missing state is refused and the wait goes on; then the right one is taken once', async () => {
    const listener = await listenForRedirect('the-state');
    assert.match(listener.redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    const waiting = listener.wait({ timeoutMs: 5_000 });
    const get = async (q: string, path = '/oauth/callback') => {
      const r = await fetch(`http://127.0.0.1:${listener.port}${path}${q}`);
      return { status: r.status, text: await r.text() };
    };
    const forged = await get('?code=evil&state=other');
    assert.equal(forged.status, 400);
    assert.match(forged.text, /not the one the editor is waiting for/);
    assert.ok(!forged.text.includes('evil'), 'nothing from the request is echoed');
    assert.equal((await get('?code=evil')).status, 400);
    assert.equal((await get('?code=c&state=the-state', '/other')).status, 404);
    assert.equal(listener.refused, 2);
    const ok = await get('?code=the-code&state=the-state');
    assert.equal(ok.status, 200);
    assert.ok(!ok.text.includes('the-code') && !ok.text.includes('the-state'));
    assert.equal(await waiting, 'the-code');
    await assert.rejects(fetch(`http://127.0.0.1:${listener.port}/oauth/callback`), 'closed after the redirect');
  });

  test('error=access_denied → denied; another error is named; server text is never repeated', async () => {
    for (const [query, kind, page] of [
      ['error=access_denied&error_description=%3Cscript%3E', 'denied', /Sign-in denied/],
      ['error=invalid_scope', 'service', /&#34;invalid_scope&#34;/],
      ['error=%3Cb%3Ebad%3C%2Fb%3E', 'service', /&#34;unknown&#34;/],
    ] as const) {
      const listener = await listenForRedirect('s');
      const waiting = listener.wait({ timeoutMs: 5_000 }).catch((e) => e);
      const r = await fetch(`http://127.0.0.1:${listener.port}/oauth/callback?${query}&state=s`);
      const text = await r.text();
      assert.match(text, page);
      assert.ok(!text.includes('<script>') && !text.includes('<b>'));
      const err = await waiting;
      assert.ok(err instanceof IdcError);
      assert.equal(err.kind, kind);
    }
  });
});
