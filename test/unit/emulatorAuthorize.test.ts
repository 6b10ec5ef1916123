// The emulator's authorization-code grant checked with the real SDK v3 SSO OIDC client: what
// RegisterClient accepts, what /authorize redirects where, and every check CreateToken makes.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { CreateTokenCommand, RegisterClientCommand, SSOOIDCClient, StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';
import { Emulator } from '../emulator/server';
import { START_URL } from '../support/emulator';

const REDIRECT = 'http://127.0.0.1/oauth/callback';

describe('emulator: authorization code with PKCE (real SDK client)', { timeout: 30_000 }, () => {
  let emulator: Emulator;
  let oidc: SSOOIDCClient;
  before(async () => {
    emulator = await Emulator.start();
    oidc = new SSOOIDCClient({ region: 'us-east-1', endpoint: emulator.url, maxAttempts: 1 });
  });
  after(async () => {
    oidc.destroy();
    await emulator.stop();
  });
  beforeEach(() => emulator.reset());

  const register = (extra: Record<string, unknown> = {}) =>
    oidc.send(
      new RegisterClientCommand({
        clientName: 'test',
        clientType: 'public',
        scopes: ['sso:account:access'],
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: [REDIRECT],
        issuerUrl: START_URL,
        ...extra,
      }),
    );
  const errorOf = (p: Promise<unknown>) =>
    p.then(
      () => 'no error',
      (e: Error) => e.name,
    );

  test('RegisterClient validates grant types, redirect URIs and issuer as the service does', async () => {
    assert.ok((await register()).clientId);
    assert.equal(await errorOf(register({ redirectUris: ['http://evil.example/cb'] })), 'InvalidRedirectUriException');
    assert.equal(await errorOf(register({ redirectUris: ['http://127.0.0.1/cb#frag'] })), 'InvalidRedirectUriException');
    assert.equal(await errorOf(register({ redirectUris: [] })), 'InvalidRequestException');
    assert.equal(await errorOf(register({ issuerUrl: undefined })), 'InvalidRequestException');
    assert.equal(await errorOf(register({ grantTypes: ['implicit'] })), 'UnsupportedGrantTypeException');
    assert.ok((await register({ redirectUris: ['https://app.example/cb'] })).clientId, 'https redirects are allowed');
  });

  /** /authorize → consent → Allow → the redirect's code, for a client and a verifier. */
  async function codeFor(clientId: string, verifier: string, redirectUri: string, state = 'st'): Promise<URL> {
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      state,
      code_challenge_method: 'S256',
      scopes: 'sso:account:access',
      code_challenge: challenge,
    });
    const first = await fetch(`${emulator.url}/authorize?${q}`, { redirect: 'manual' });
    assert.equal(first.status, 302);
    const consent = new URL(first.headers.get('location')!);
    assert.equal(consent.hostname, 'device.sso.localhost');
    const page = await (await fetch(`${emulator.url}${consent.pathname}${consent.search}`)).text();
    assert.match(page, /id="allow"/);
    assert.match(page, /id="deny"/);
    const request = /name="request" value="([^"]+)"/.exec(page)![1];
    const allowed = await fetch(`${emulator.url}/authorize/consent`, {
      method: 'POST',
      body: new URLSearchParams({ request, action: 'allow' }),
      redirect: 'manual',
    });
    assert.equal(allowed.status, 302);
    return new URL(allowed.headers.get('location')!);
  }

  test('Allow redirects to the redirect URI with code and state; CreateToken checks verifier, redirect URI, single use; refresh works', async () => {
    const { clientId, clientSecret } = await register();
    const verifier = randomBytes(48).toString('base64url');
    const redirectUri = 'http://127.0.0.1:43210/oauth/callback';
    const back = await codeFor(clientId!, verifier, redirectUri, 'xyz');
    assert.equal(`${back.origin}${back.pathname}`, redirectUri, 'any port on loopback matches the portless registration');
    assert.equal(back.searchParams.get('state'), 'xyz');
    const code = back.searchParams.get('code')!;
    const redeem = (over: Record<string, string>) =>
      oidc.send(new CreateTokenCommand({ clientId, clientSecret, grantType: 'authorization_code', code, codeVerifier: verifier, redirectUri, ...over }));
    // A wrong verifier spends the code (single use): the right one afterwards is refused too.
    assert.equal(await errorOf(redeem({ codeVerifier: `${verifier}x` })), 'InvalidGrantException');
    assert.equal(await errorOf(redeem({})), 'InvalidGrantException');

    const code2 = (await codeFor(clientId!, verifier, redirectUri)).searchParams.get('code')!;
    assert.equal(await errorOf(redeem({ code: code2, redirectUri: 'http://127.0.0.1:43211/oauth/callback' })), 'InvalidGrantException', 'another port');
    const code3 = (await codeFor(clientId!, verifier, redirectUri)).searchParams.get('code')!;
    const tokens = await redeem({ code: code3 });
    assert.ok(tokens.accessToken && tokens.refreshToken);
    assert.equal(await errorOf(redeem({ code: code3 })), 'InvalidGrantException', 'a code is single use');
    const refreshed = await oidc.send(new CreateTokenCommand({ clientId, clientSecret, grantType: 'refresh_token', refreshToken: tokens.refreshToken }));
    assert.ok(refreshed.accessToken);
  });

  test('an expired code is refused; a PKCE client cannot start a device authorization, nor a device client /authorize', async () => {
    const { clientId, clientSecret } = await register();
    const verifier = randomBytes(48).toString('base64url');
    const code = (await codeFor(clientId!, verifier, 'http://127.0.0.1:5000/oauth/callback')).searchParams.get('code')!;
    for (const c of emulator.state.authCodes.values()) c.expiresAt = Date.now() - 1;
    assert.equal(
      await errorOf(
        oidc.send(
          new CreateTokenCommand({
            clientId,
            clientSecret,
            grantType: 'authorization_code',
            code,
            codeVerifier: verifier,
            redirectUri: 'http://127.0.0.1:5000/oauth/callback',
          }),
        ),
      ),
      'InvalidGrantException',
    );
    assert.equal(await errorOf(oidc.send(new StartDeviceAuthorizationCommand({ clientId, clientSecret, startUrl: START_URL }))), 'UnauthorizedClientException');
    const device = await oidc.send(new RegisterClientCommand({ clientName: 'd', clientType: 'public' }));
    const r = await fetch(`${emulator.url}/authorize?client_id=${device.clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}&response_type=code`, {
      redirect: 'manual',
    });
    assert.equal(r.status, 400, 'an error page, never a redirect to an unregistered address');
  });

  test('listenAlso serves the same emulator on another loopback address (what the VS Code harness gives the browser)', async () => {
    const alias = await emulator.listenAlso('127.0.0.2');
    const viaAlias = new SSOOIDCClient({ region: 'us-east-1', endpoint: alias, maxAttempts: 1 });
    try {
      const { clientId } = await viaAlias.send(new RegisterClientCommand({ clientName: 'alias', clientType: 'public' }));
      assert.ok(clientId && emulator.state.clients.has(clientId), 'one state behind both addresses');
    } finally {
      viaAlias.destroy();
    }
  });

  test('Deny redirects with error=access_denied and the state; a bad request is sent back with invalid_request', async () => {
    const { clientId } = await register();
    const q = (over: Record<string, string> = {}) =>
      new URLSearchParams({
        response_type: 'code',
        client_id: clientId!,
        redirect_uri: 'http://127.0.0.1:7/oauth/callback',
        state: 'st',
        code_challenge_method: 'S256',
        code_challenge: 'a'.repeat(43),
        ...over,
      });
    const consent = new URL((await fetch(`${emulator.url}/authorize?${q()}`, { redirect: 'manual' })).headers.get('location')!);
    const request = consent.searchParams.get('request')!;
    const denied = await fetch(`${emulator.url}/authorize/consent`, {
      method: 'POST',
      body: new URLSearchParams({ request, action: 'deny' }),
      redirect: 'manual',
    });
    const back = new URL(denied.headers.get('location')!);
    assert.equal(back.searchParams.get('error'), 'access_denied');
    assert.equal(back.searchParams.get('state'), 'st');
    assert.equal(back.searchParams.get('code'), null);
    const plain = new URL((await fetch(`${emulator.url}/authorize?${q({ code_challenge_method: 'plain' })}`, { redirect: 'manual' })).headers.get('location')!);
    assert.equal(plain.searchParams.get('error'), 'invalid_request');
    assert.deepEqual(
      emulator.calls().map((c) => [c.operation, c.status, c.errorType]),
      [
        ['RegisterClient', 200, undefined],
        ['Authorize', 302, undefined],
        ['AuthorizeSubmit', 302, 'access_denied'],
        ['Authorize', 302, 'invalid_request'],
      ],
    );
  });
});
