// The emulator against the REAL AWS SDK v3 clients (and the AWS CLI v1):
// if these pass, code under test cannot tell the emulator from the service.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateTokenCommand,
  RegisterClientCommand,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand,
  type CreateTokenCommandOutput,
  type RegisterClientCommandOutput,
  type StartDeviceAuthorizationCommandOutput,
} from '@aws-sdk/client-sso-oidc';
import {
  GetRoleCredentialsCommand,
  ListAccountRolesCommand,
  ListAccountsCommand,
  LogoutCommand,
  SSOClient,
  paginateListAccounts,
  type RoleCredentials,
} from '@aws-sdk/client-sso';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { EmulatorControl } from '../emulator/client';
import { DEFAULT_START_URL, type EmulatorOptions } from '../emulator/options';
import { MARKUP_NAME, NON_ASCII_NAME, ZERO_ROLE_NAME, generateAccounts } from '../emulator/seed';
import { Emulator } from '../emulator/server';
import { TokenBucket } from '../emulator/throttle';

const REGION = 'us-east-1';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const AWS_CLI = '/root/.pyenv/versions/3.11.7/bin/aws';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface SdkError {
  name: string;
  message: string;
  error?: string;
  error_description?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/** Await a rejection and check the SDK error class name (and status). */
async function rejects(p: Promise<unknown>, name: string, status?: number): Promise<SdkError> {
  let err: SdkError | undefined;
  try {
    await p;
  } catch (e) {
    err = e as SdkError;
  }
  assert.ok(err, `expected ${name} but the call succeeded`);
  assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
  if (status !== undefined) assert.equal(err.$metadata?.httpStatusCode, status);
  return err;
}

// One emulator per test keeps knobs independent; start/stop costs ~1 ms.
async function withEmu(options: EmulatorOptions, fn: (emu: Emulator) => Promise<void>): Promise<void> {
  const emu = await Emulator.start(options);
  try {
    await fn(emu);
  } finally {
    await emu.stop();
  }
}

const oidcClient = (emu: Emulator, extra: object = {}) => new SSOOIDCClient({ region: REGION, endpoint: emu.url, ...extra });
const ssoClient = (emu: Emulator, extra: object = {}) => new SSOClient({ region: REGION, endpoint: emu.url, ...extra });
const stsClient = (emu: Emulator, c: RoleCredentials) =>
  new STSClient({
    region: REGION,
    endpoint: emu.url,
    maxAttempts: 1,
    // No expiration on purpose: the SDK would refuse to sign with a key it knows is expired.
    credentials: { accessKeyId: c.accessKeyId!, secretAccessKey: c.secretAccessKey!, sessionToken: c.sessionToken! },
  });

interface Flow {
  oidc: SSOOIDCClient;
  reg: RegisterClientCommandOutput;
  da: StartDeviceAuthorizationCommandOutput;
}

/** scopes null: register without scopes, as the CLI does unless sso_registration_scopes is set. */
async function startFlow(emu: Emulator, scopes: string[] | null = ['sso:account:access']): Promise<Flow> {
  const oidc = oidcClient(emu);
  const reg = await oidc.send(new RegisterClientCommand({ clientName: 'emulator-test', clientType: 'public', scopes: scopes ?? undefined }));
  const da = await oidc.send(
    new StartDeviceAuthorizationCommand({
      clientId: reg.clientId,
      clientSecret: reg.clientSecret,
      startUrl: DEFAULT_START_URL,
    }),
  );
  return { oidc, reg, da };
}

const poll = (f: Flow): Promise<CreateTokenCommandOutput> =>
  f.oidc.send(
    new CreateTokenCommand({
      clientId: f.reg.clientId,
      clientSecret: f.reg.clientSecret,
      grantType: DEVICE_GRANT,
      deviceCode: f.da.deviceCode,
    }),
  );

async function signIn(emu: Emulator, scopes?: string[] | null): Promise<Flow & { tok: CreateTokenCommandOutput }> {
  const f = await startFlow(emu, scopes);
  assert.equal(emu.approve(f.da.userCode), f.da.userCode);
  return { ...f, tok: await poll(f) };
}

async function roleCreds(emu: Emulator, accessToken: string): Promise<RoleCredentials & { accountId: string; roleName: string }> {
  const account = emu.accounts().find((a) => a.roles.length > 0)!;
  const r = await ssoClient(emu).send(new GetRoleCredentialsCommand({ accessToken, accountId: account.accountId, roleName: account.roles[0] }));
  return { ...r.roleCredentials!, accountId: account.accountId, roleName: account.roles[0] };
}

/** Raw HTTP with an arbitrary Host header, like a browser opening device.sso.localhost. */
function rawRequest(
  emu: Emulator,
  method: string,
  path: string,
  body?: string,
  hostHeader = `device.sso.localhost:${emu.port}`,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: emu.port,
        method,
        path,
        headers: {
          host: hostHeader,
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('seed', () => {
  it('is deterministic and contains the special cases', () => {
    const a = generateAccounts(5);
    assert.deepEqual(a, generateAccounts(5));
    assert.ok(a.every((x) => /^\d{12}$/.test(x.accountId)));
    assert.equal(new Set(a.map((x) => x.accountId)).size, 5);
    assert.ok(a.some((x) => x.accountName === NON_ASCII_NAME));
    assert.deepEqual(a.find((x) => x.accountName === ZERO_ROLE_NAME)?.roles, []);
    assert.ok(a.filter((x) => x.accountName !== ZERO_ROLE_NAME).every((x) => x.roles.length >= 1 && x.roles.length <= 5));
    const plain = generateAccounts(5, false);
    assert.ok(plain.every((x) => x.roles.length > 0 && /^[\x20-\x7e]+$/.test(x.accountName)));
  });
});

describe('SSO OIDC device flow', () => {
  it('registers a client and starts a device authorization with realistic fields', () =>
    withEmu({}, async (emu) => {
      const before = Math.floor(Date.now() / 1000);
      const { reg, da } = await startFlow(emu);
      assert.match(reg.clientId!, /^[\w-]{10,}$/);
      assert.ok(reg.clientSecret!.length > 40);
      assert.ok(Math.abs(reg.clientIdIssuedAt! - before) <= 2, 'clientIdIssuedAt is epoch seconds');
      assert.ok(Math.abs(reg.clientSecretExpiresAt! - (before + 90 * 86400)) <= 2, 'secret lives 90 days');
      assert.deepEqual(emu.state.clients.get(reg.clientId!)?.scopes, ['sso:account:access']);
      assert.match(da.userCode!, /^[A-Z]{4}-[A-Z]{4}$/);
      assert.equal(da.verificationUri, `http://device.sso.localhost:${emu.port}/device`);
      assert.equal(da.verificationUriComplete, `http://device.sso.localhost:${emu.port}/device?user_code=${da.userCode}`);
      assert.equal(da.expiresIn, 600);
      assert.equal(da.interval, 1);
      assert.deepEqual(
        emu.pending().map((p) => p.userCode),
        [da.userCode],
      );
      assert.equal(emu.pending()[0].clientName, 'emulator-test');
    }));

  it('answers pending, slow_down, then a token with a refresh token after approval', () =>
    withEmu({ interval: 1 }, async (emu) => {
      const f = await startFlow(emu);
      await rejects(poll(f), 'AuthorizationPendingException', 400);
      const slow = await rejects(poll(f), 'SlowDownException', 400);
      assert.equal(slow.error, 'slow_down');
      await sleep(1000);
      await rejects(poll(f), 'AuthorizationPendingException', 400);
      assert.equal(emu.approve(f.da.userCode), f.da.userCode);
      assert.deepEqual(emu.pending(), []);
      const tok = await poll(f);
      assert.equal(tok.tokenType, 'Bearer');
      assert.equal(tok.expiresIn, 3600);
      assert.match(tok.accessToken!, /^aoa/);
      assert.match(tok.refreshToken!, /^aor/);
      assert.equal(tok.idToken, undefined);
      // The device code is single use.
      const used = await rejects(poll(f), 'InvalidGrantException', 400);
      assert.equal(used.error, 'invalid_grant');
      const ops = emu.calls({ operation: 'CreateToken' }).map((c) => c.errorType ?? c.status);
      assert.deepEqual(ops, ['AuthorizationPendingException', 'SlowDownException', 'AuthorizationPendingException', 200, 'InvalidGrantException']);
    }));

  it('does not penalise a client polling exactly at the interval, and slow_down can be switched off', () =>
    withEmu({ interval: 0.2 }, async (emu) => {
      const f = await startFlow(emu);
      await rejects(poll(f), 'AuthorizationPendingException');
      // Timers may fire a little early; 10% tolerance.
      emu.state.devices.get(f.da.deviceCode!)!.lastPollAt! -= 185;
      await rejects(poll(f), 'AuthorizationPendingException');
      emu.configure({ enforceSlowDown: false });
      await rejects(poll(f), 'AuthorizationPendingException');
    }));

  it('issues no refresh token without the sso:account:access scope; idToken is a knob', () =>
    withEmu({ autoApprove: true, issueIdToken: true }, async (emu) => {
      const f = await startFlow(emu, null);
      assert.deepEqual(emu.state.clients.get(f.reg.clientId!)?.scopes, []);
      assert.deepEqual(emu.pending(), [], 'autoApprove leaves nothing pending');
      const tok = await poll(f);
      assert.ok(tok.accessToken);
      assert.equal(tok.refreshToken, undefined);
      assert.ok(tok.idToken);
    }));

  it('maps deny to AccessDeniedException and expiry to ExpiredTokenException', () =>
    withEmu({}, async (emu) => {
      const denied = await startFlow(emu);
      assert.equal(emu.deny(), denied.da.userCode, 'no code: the latest pending one');
      const err = await rejects(poll(denied), 'AccessDeniedException', 400);
      assert.equal(err.error, 'access_denied');
      emu.configure({ deviceCodeTtlSec: 0.25 });
      const expiring = await startFlow(emu);
      assert.equal(expiring.da.expiresIn, 1, 'fractional lifetimes round up on the wire');
      await sleep(300);
      await rejects(poll(expiring), 'ExpiredTokenException', 400);
      assert.equal(emu.approve(expiring.da.userCode), undefined, 'expired codes cannot be approved');
    }));

  it('refreshes with rotation and rejects old or revoked refresh tokens with invalid_grant', () =>
    withEmu({}, async (emu) => {
      const first = await signIn(emu);
      const tok = first.tok;
      const refresh = (refreshToken: string, f: Flow = first) =>
        f.oidc.send(
          new CreateTokenCommand({
            clientId: f.reg.clientId,
            clientSecret: f.reg.clientSecret,
            grantType: 'refresh_token',
            refreshToken,
          }),
        );
      const next = await refresh(tok.refreshToken!);
      assert.ok(next.accessToken && next.accessToken !== tok.accessToken);
      assert.ok(next.refreshToken && next.refreshToken !== tok.refreshToken);
      assert.equal(next.expiresIn, 3600);
      const old = await rejects(refresh(tok.refreshToken!), 'InvalidGrantException', 400);
      assert.equal(old.error, 'invalid_grant');
      assert.equal(old.error_description, 'Invalid refresh token provided');
      await rejects(refresh('aor-made-up'), 'InvalidGrantException', 400);
      // Both access tokens still work until they expire.
      await ssoClient(emu).send(new ListAccountsCommand({ accessToken: tok.accessToken }));
      emu.revokeRefreshTokens();
      await rejects(refresh(next.refreshToken!), 'InvalidGrantException', 400);
      await ssoClient(emu).send(new ListAccountsCommand({ accessToken: next.accessToken }));
      emu.configure({ rotateRefreshTokens: false });
      const again = await signIn(emu);
      await rejects(refresh(again.tok.refreshToken!), 'InvalidGrantException', 400); // another client's token
      const kept = await refresh(again.tok.refreshToken!, again);
      assert.equal(kept.refreshToken, again.tok.refreshToken, 'without rotation the same refresh token comes back');
    }));

  it('rejects a bad client with InvalidClientException (401) and a bad start URL with InvalidRequestException', () =>
    withEmu({}, async (emu) => {
      const { oidc, reg, da } = await startFlow(emu);
      await rejects(
        oidc.send(new StartDeviceAuthorizationCommand({ clientId: reg.clientId, clientSecret: 'wrong', startUrl: DEFAULT_START_URL })),
        'InvalidClientException',
        401,
      );
      await rejects(
        oidc.send(new StartDeviceAuthorizationCommand({ clientId: 'nope', clientSecret: reg.clientSecret, startUrl: DEFAULT_START_URL })),
        'InvalidClientException',
        401,
      );
      const ct = await rejects(
        oidc.send(new CreateTokenCommand({ clientId: reg.clientId, clientSecret: 'wrong', grantType: DEVICE_GRANT, deviceCode: da.deviceCode })),
        'InvalidClientException',
        401,
      );
      assert.equal(ct.error, 'invalid_client');
      const bad = await rejects(
        oidc.send(new StartDeviceAuthorizationCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: 'https://other.awsapps.com/start' })),
        'InvalidRequestException',
        400,
      );
      assert.match(bad.error_description!, /Invalid start URL/);
      await rejects(
        oidc.send(new CreateTokenCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, grantType: 'password' })),
        'UnsupportedGrantTypeException',
        400,
      );
      // Extra start URLs and trailing slashes are accepted.
      emu.configure({ startUrl: [DEFAULT_START_URL, 'https://other.awsapps.com/start'] });
      await oidc.send(
        new StartDeviceAuthorizationCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: 'https://other.awsapps.com/start/' }),
      );
      emu.expire('clientSecrets');
      await rejects(
        oidc.send(new StartDeviceAuthorizationCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: DEFAULT_START_URL })),
        'InvalidClientException',
        401,
      );
    }));

  it('serves the verification page on any Host and approves or denies from it', () =>
    withEmu({}, async (emu) => {
      const oidc = oidcClient(emu);
      const reg = await oidc.send(new RegisterClientCommand({ clientName: '<script>alert(1)</script>', clientType: 'public' }));
      const start = () =>
        oidc.send(new StartDeviceAuthorizationCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: DEFAULT_START_URL }));
      const a = await start();
      const pageUrl = new URL(a.verificationUriComplete!);
      const page = await rawRequest(emu, 'GET', pageUrl.pathname + pageUrl.search);
      assert.equal(page.status, 200);
      assert.ok(page.text.includes(a.userCode!));
      assert.ok(page.text.includes('id="allow"') && page.text.includes('id="deny"'));
      assert.ok(page.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;') && !page.text.includes('<script>'), 'client name is escaped');
      const allowed = await rawRequest(emu, 'POST', '/device', `user_code=${a.userCode}&action=allow`, 'localhost:1');
      assert.match(allowed.text, /Request approved/);
      const tok = await poll({ oidc, reg, da: a });
      assert.ok(tok.accessToken);
      const d = await start();
      const denied = await rawRequest(emu, 'POST', '/device', `user_code=${d.userCode!.toLowerCase().replace('-', '')}&action=deny`);
      assert.match(denied.text, /Request denied/);
      await rejects(poll({ oidc, reg, da: d }), 'AccessDeniedException');
      const form = await rawRequest(emu, 'GET', '/device');
      assert.match(form.text, /name="user_code"/);
      assert.equal((await rawRequest(emu, 'GET', '/device?user_code=ZZZZ-ZZZZ')).status, 404);
      assert.deepEqual(
        emu.calls({ operation: 'VerificationSubmit' }).map((c) => c.userCode),
        [a.userCode, d.userCode],
      );
    }));
});

describe('SSO portal', () => {
  it('pages ListAccounts with max_result and defaults to 20 per page', () =>
    withEmu({ accounts: 25 }, async (emu) => {
      const { tok } = await signIn(emu);
      const sso = ssoClient(emu);
      const seen: string[] = [];
      const sizes: number[] = [];
      let nextToken: string | undefined;
      do {
        const page = await sso.send(new ListAccountsCommand({ accessToken: tok.accessToken, maxResults: 10, nextToken }));
        sizes.push(page.accountList!.length);
        seen.push(...page.accountList!.map((a) => a.accountId!));
        nextToken = page.nextToken;
      } while (nextToken);
      assert.deepEqual(sizes, [10, 10, 5]);
      assert.deepEqual(
        seen,
        emu.accounts().map((a) => a.accountId),
      );
      const first = await sso.send(new ListAccountsCommand({ accessToken: tok.accessToken }));
      assert.equal(first.accountList!.length, 20);
      assert.ok(first.nextToken);
      const viaPaginator: string[] = [];
      for await (const p of paginateListAccounts({ client: sso, pageSize: 7 }, { accessToken: tok.accessToken })) {
        viaPaginator.push(...p.accountList!.map((a) => a.accountId!));
      }
      assert.deepEqual(viaPaginator, seen);
      await rejects(sso.send(new ListAccountsCommand({ accessToken: tok.accessToken, maxResults: 101 })), 'InvalidRequestException', 400);
      await rejects(sso.send(new ListAccountsCommand({ accessToken: tok.accessToken, nextToken: 'garbage' })), 'InvalidRequestException', 400);
    }));

  it('round-trips non-ASCII and markup names and lists roles, including a zero-role account', () =>
    withEmu({}, async (emu) => {
      const { tok } = await signIn(emu);
      const sso = ssoClient(emu);
      const { accountList } = await sso.send(new ListAccountsCommand({ accessToken: tok.accessToken }));
      const names = accountList!.map((a) => a.accountName);
      assert.ok(names.includes(NON_ASCII_NAME));
      assert.ok(names.includes(MARKUP_NAME));
      for (const seed of emu.accounts()) {
        const roles = await sso.send(new ListAccountRolesCommand({ accessToken: tok.accessToken, accountId: seed.accountId, maxResults: 2 }));
        const all = roles.roleList!.map((r) => r.roleName);
        let next = roles.nextToken;
        while (next) {
          const more = await sso.send(new ListAccountRolesCommand({ accessToken: tok.accessToken, accountId: seed.accountId, maxResults: 2, nextToken: next }));
          all.push(...more.roleList!.map((r) => r.roleName));
          next = more.nextToken;
        }
        assert.deepEqual(all, seed.roles);
        assert.ok(roles.roleList!.every((r) => r.accountId === seed.accountId));
      }
      const zero = emu.accounts().find((a) => a.accountName === ZERO_ROLE_NAME)!;
      const none = await sso.send(new ListAccountRolesCommand({ accessToken: tok.accessToken, accountId: zero.accountId }));
      assert.deepEqual(none.roleList, []);
      assert.equal(none.nextToken, undefined);
      await rejects(sso.send(new ListAccountRolesCommand({ accessToken: tok.accessToken, accountId: '000000000000' })), 'ResourceNotFoundException', 404);
      // Explicit seed data works too.
      emu.configure({ accounts: [{ accountId: '111122223333', accountName: 'Only', emailAddress: 'o@example.com', roles: ['X'] }] });
      const only = await sso.send(new ListAccountsCommand({ accessToken: tok.accessToken }));
      assert.deepEqual(only.accountList, [{ accountId: '111122223333', accountName: 'Only', emailAddress: 'o@example.com' }]);
    }));

  it('issues role credentials with epoch-ms expiration and rejects unassigned roles', () =>
    withEmu({ roleCredentialTtlSec: 900 }, async (emu) => {
      const { tok } = await signIn(emu);
      const before = Date.now();
      const c = await roleCreds(emu, tok.accessToken!);
      assert.match(c.accessKeyId!, /^ASIA[A-Z0-9]{16}$/);
      assert.equal(c.secretAccessKey!.length, 40);
      assert.ok(c.sessionToken!.length > 300);
      assert.ok(c.expiration! >= before + 900_000 && c.expiration! <= Date.now() + 900_000, `expiration ${c.expiration} is epoch ms`);
      const key = emu.state.roleKeys.get(c.accessKeyId!)!;
      assert.deepEqual([key.accountId, key.roleName, key.expiresAt], [c.accountId, c.roleName, c.expiration]);
      const zero = emu.accounts().find((a) => a.roles.length === 0)!;
      await rejects(
        ssoClient(emu).send(new GetRoleCredentialsCommand({ accessToken: tok.accessToken, accountId: zero.accountId, roleName: 'ReadOnly' })),
        'ResourceNotFoundException',
        404,
      );
      const log = emu.calls({ operation: 'GetRoleCredentials' });
      assert.deepEqual(
        log.map((e) => [e.status, e.accountId, e.accessKeyId]),
        [
          [200, c.accountId, c.accessKeyId],
          [404, zero.accountId, undefined],
        ],
      );
    }));

  it('logs out: the access token and the session refresh token stop working', () =>
    withEmu({}, async (emu) => {
      const { oidc, reg, tok } = await signIn(emu);
      const other = await signIn(emu);
      const sso = ssoClient(emu);
      await sso.send(new LogoutCommand({ accessToken: tok.accessToken }));
      const err = await rejects(sso.send(new ListAccountsCommand({ accessToken: tok.accessToken })), 'UnauthorizedException', 401);
      assert.equal(err.message, 'Session token not found or invalid');
      await rejects(
        oidc.send(
          new CreateTokenCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, grantType: 'refresh_token', refreshToken: tok.refreshToken }),
        ),
        'InvalidGrantException',
        400,
      );
      await rejects(sso.send(new LogoutCommand({ accessToken: tok.accessToken })), 'UnauthorizedException', 401);
      // Another sign-in is unaffected.
      await sso.send(new ListAccountsCommand({ accessToken: other.tok.accessToken }));
      emu.revokeAllTokens();
      await rejects(sso.send(new ListAccountsCommand({ accessToken: other.tok.accessToken })), 'UnauthorizedException', 401);
    }));

  it('expires access tokens after accessTokenTtlSec', () =>
    withEmu({ accessTokenTtlSec: 1 }, async (emu) => {
      const { tok } = await signIn(emu);
      assert.equal(tok.expiresIn, 1);
      await ssoClient(emu).send(new ListAccountsCommand({ accessToken: tok.accessToken }));
      await sleep(1000);
      await rejects(ssoClient(emu).send(new ListAccountsCommand({ accessToken: tok.accessToken })), 'UnauthorizedException', 401);
    }));

  it('throttles portal calls through one shared token bucket (429 TooManyRequestsException)', () =>
    withEmu({ throttle: { ratePerSec: 0.2, burst: 3 } }, async (emu) => {
      // 0.2/s refills one token every 5 s, so the 4th call is throttled however slow the machine is.
      const { tok } = await signIn(emu);
      const sso = ssoClient(emu, { maxAttempts: 1 });
      const accountId = emu.accounts()[0].accountId;
      await sso.send(new ListAccountsCommand({ accessToken: tok.accessToken }));
      await sso.send(new ListAccountRolesCommand({ accessToken: tok.accessToken, accountId }));
      await sso.send(new GetRoleCredentialsCommand({ accessToken: tok.accessToken, accountId, roleName: emu.accounts()[0].roles[0] }));
      const err = await rejects(sso.send(new ListAccountRolesCommand({ accessToken: tok.accessToken, accountId })), 'TooManyRequestsException', 429);
      assert.equal(err.message, 'Rate exceeded');
      await sso.send(new LogoutCommand({ accessToken: (await signIn(emu)).tok.accessToken })); // Logout is not throttled
      assert.deepEqual(
        emu
          .calls()
          .filter((c) => c.status === 429)
          .map((c) => c.operation),
        ['ListAccountRoles'],
      );
      emu.configure({ throttle: null });
      for (let i = 0; i < 10; i++) await sso.send(new ListAccountsCommand({ accessToken: tok.accessToken }));
      // The SDK's standard retry treats 429 as throttling and retries it.
      emu.injectFault({ operation: 'ListAccounts', kind: '429' });
      const ok = await ssoClient(emu, { maxAttempts: 3 }).send(new ListAccountsCommand({ accessToken: tok.accessToken }));
      assert.equal(ok.$metadata.attempts, 2);
    }));

  it('token bucket refills at ratePerSec up to burst', () => {
    let now = 0;
    const bucket = new TokenBucket({ ratePerSec: 2, burst: 3 }, () => now);
    assert.deepEqual(
      [1, 2, 3, 4].map(() => bucket.tryTake()),
      [true, true, true, false],
    );
    now += 499;
    assert.equal(bucket.tryTake(), false);
    now += 1;
    assert.equal(bucket.tryTake(), true);
    now += 10_000;
    assert.deepEqual(
      [1, 2, 3, 4].map(() => bucket.tryTake()),
      [true, true, true, false],
    );
  });

  it('adds latencyMs to AWS calls', () =>
    withEmu({ latencyMs: 120, autoApprove: true }, async (emu) => {
      const t0 = Date.now();
      await startFlow(emu);
      assert.ok(Date.now() - t0 >= 240, 'two calls, 120 ms each');
    }));
});

describe('faults', () => {
  it("500/503/401 are answered in each service's own error shape and consumed per call", () =>
    withEmu({}, async (emu) => {
      const { tok, reg, da } = await signIn(emu);
      const sso = ssoClient(emu, { maxAttempts: 1 });
      emu.injectFault({ operation: 'ListAccounts', kind: '500', count: 2 });
      await rejects(sso.send(new ListAccountsCommand({ accessToken: tok.accessToken })), 'InternalServerException', 500);
      await rejects(sso.send(new ListAccountsCommand({ accessToken: tok.accessToken })), 'InternalServerException', 500);
      await sso.send(new ListAccountsCommand({ accessToken: tok.accessToken }));
      emu.injectFault({ operation: 'CreateToken', kind: '503' });
      const oidc1 = oidcClient(emu, { maxAttempts: 1 });
      await rejects(
        oidc1.send(new CreateTokenCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, grantType: DEVICE_GRANT, deviceCode: da.deviceCode })),
        'ServiceUnavailableException',
        503,
      );
      emu.injectFault({ operation: 'ListAccountRoles', kind: '401' });
      await rejects(
        sso.send(new ListAccountRolesCommand({ accessToken: tok.accessToken, accountId: emu.accounts()[0].accountId })),
        'UnauthorizedException',
        401,
      );
      emu.injectFault({ kind: '429' }); // '*' hits the next AWS call, whatever it is
      await rejects(
        sso.send(new GetRoleCredentialsCommand({ accessToken: tok.accessToken, accountId: emu.accounts()[0].accountId, roleName: emu.accounts()[0].roles[0] })),
        'TooManyRequestsException',
        429,
      );
      // With the default 3 attempts a single 500 is retried away.
      emu.injectFault({ operation: 'ListAccounts', kind: '500' });
      const ok = await ssoClient(emu).send(new ListAccountsCommand({ accessToken: tok.accessToken }));
      assert.equal(ok.$metadata.attempts, 2);
      assert.deepEqual(emu.snapshot().faults, []);
      assert.deepEqual(
        emu
          .calls()
          .filter((c) => c.fault)
          .map((c) => `${c.operation}:${c.fault}`),
        ['ListAccounts:500', 'ListAccounts:500', 'CreateToken:503', 'ListAccountRoles:401', 'GetRoleCredentials:429', 'ListAccounts:500'],
      );
    }));

  it('reset destroys the socket and stall never answers (SDK timeouts fire; stop() still returns)', () =>
    withEmu({}, async (emu) => {
      const { tok } = await signIn(emu);
      emu.injectFault({ operation: 'ListAccounts', kind: 'reset' });
      // The SDK reports a reset socket as name "TimeoutError", message "socket hang up", code ECONNRESET.
      const reset = await rejects(ssoClient(emu, { maxAttempts: 1 }).send(new ListAccountsCommand({ accessToken: tok.accessToken })), 'TimeoutError');
      assert.equal(reset.code, 'ECONNRESET');
      assert.match(reset.message, /socket hang up/);
      emu.injectFault({ operation: 'ListAccounts', kind: 'stall', count: 2 });
      const t0 = Date.now();
      // requestTimeout alone only logs a warning in this @smithy/node-http-handler; throwOnRequestTimeout makes it fail.
      const stalled = await rejects(
        ssoClient(emu, { maxAttempts: 1, requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true } }).send(
          new ListAccountsCommand({ accessToken: tok.accessToken }),
        ),
        'TimeoutError',
      );
      assert.match(stalled.message, /requestTimeout/);
      await rejects(
        ssoClient(emu, { maxAttempts: 1, requestHandler: { socketTimeout: 300 } }).send(new ListAccountsCommand({ accessToken: tok.accessToken })),
        'TimeoutError',
      );
      assert.ok(Date.now() - t0 < 2000);
      assert.deepEqual(
        emu.calls({ operation: 'ListAccounts' }).map((c) => c.fault),
        ['reset', 'stall', 'stall'],
      );
      emu.injectFault({ operation: 'ListAccounts', kind: 'stall' });
      const pending = ssoClient(emu, { maxAttempts: 1 })
        .send(new ListAccountsCommand({ accessToken: tok.accessToken }))
        .catch((e: Error) => e);
      await sleep(50);
      const s0 = Date.now();
      await emu.stop();
      assert.ok(Date.now() - s0 < 500, 'stop() does not wait for stalled requests');
      assert.ok((await pending) instanceof Error);
    }));
});

describe('STS', () => {
  it('GetCallerIdentity resolves the signing key to its role and flags expired keys', () =>
    withEmu({ roleCredentialTtlSec: 1 }, async (emu) => {
      const { tok } = await signIn(emu);
      const c = await roleCreds(emu, tok.accessToken!);
      const who = await stsClient(emu, c).send(new GetCallerIdentityCommand({}));
      assert.equal(who.Account, c.accountId);
      assert.equal(who.Arn, `arn:aws:sts::${c.accountId}:assumed-role/${c.roleName}/developer@example.com`);
      assert.match(who.UserId!, /^AROA[A-Z0-9]{17}:developer@example\.com$/);
      await sleep(1000);
      const err = await rejects(stsClient(emu, c).send(new GetCallerIdentityCommand({})), 'ExpiredToken', 403);
      assert.equal(err.message, 'The security token included in the request is expired');
      await rejects(stsClient(emu, { ...c, accessKeyId: 'ASIAUNKNOWNUNKNOWN00' }).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 403);
      const log = emu.calls({ operation: 'GetCallerIdentity' });
      assert.deepEqual(
        log.map((e) => [e.status, e.accessKeyId, e.expiredKey, e.roleName]),
        [
          [200, c.accessKeyId, false, c.roleName],
          [403, c.accessKeyId, true, c.roleName],
          [403, 'ASIAUNKNOWNUNKNOWN00', undefined, undefined],
        ],
      );
    }));

  it('AssumeRole issues new credentials that GetCallerIdentity recognises', () =>
    withEmu({}, async (emu) => {
      const { tok } = await signIn(emu);
      const c = await roleCreds(emu, tok.accessToken!);
      const sts = stsClient(emu, c);
      const before = Date.now();
      const r = await sts.send(
        new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::444455556666:role/path/Deployer', RoleSessionName: 'ci-run', DurationSeconds: 900 }),
      );
      const took = Date.now() - before;
      assert.ok(r.Credentials!.Expiration instanceof Date);
      // Expiration is in whole seconds from the server's clock, somewhere inside the request.
      const ttl = r.Credentials!.Expiration!.getTime() - before;
      assert.ok(ttl > 898_000 && ttl <= 900_000 + took, `ttl ${ttl} (request took ${took} ms)`);
      assert.equal(r.AssumedRoleUser!.Arn, 'arn:aws:sts::444455556666:assumed-role/Deployer/ci-run');
      assert.match(r.AssumedRoleUser!.AssumedRoleId!, /^AROA\w+:ci-run$/);
      const who = await stsClient(emu, {
        accessKeyId: r.Credentials!.AccessKeyId,
        secretAccessKey: r.Credentials!.SecretAccessKey,
        sessionToken: r.Credentials!.SessionToken,
      }).send(new GetCallerIdentityCommand({}));
      assert.equal(who.Arn, 'arn:aws:sts::444455556666:assumed-role/Deployer/ci-run');
      await rejects(sts.send(new AssumeRoleCommand({ RoleArn: 'not-an-arn', RoleSessionName: 'x1' })), 'ValidationError', 400);
      await rejects(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::444455556666:role/D', RoleSessionName: 'bad name' })), 'ValidationError', 400);
      assert.ok(emu.issuedSecrets().includes(r.Credentials!.SessionToken!));
    }));

  it('the AWS CLI v1 gets the caller identity from the emulator', { timeout: 15_000 }, async (t) => {
    if (!existsSync(AWS_CLI)) {
      t.skip(`AWS CLI v1 not installed at ${AWS_CLI}`);
      return;
    }
    await withEmu({}, async (emu) => {
      const { tok } = await signIn(emu);
      const c = await roleCreds(emu, tok.accessToken!);
      const home = mkdtempSync(join(tmpdir(), 'emu-cli-'));
      try {
        const { code, stdout, stderr } = await run(AWS_CLI, ['sts', 'get-caller-identity', '--output', 'json'], {
          PATH: process.env.PATH ?? '',
          HOME: home,
          AWS_CONFIG_FILE: join(home, 'config'),
          AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
          AWS_DEFAULT_REGION: REGION,
          AWS_ENDPOINT_URL_STS: emu.url,
          AWS_ACCESS_KEY_ID: c.accessKeyId!,
          AWS_SECRET_ACCESS_KEY: c.secretAccessKey!,
          AWS_SESSION_TOKEN: c.sessionToken!,
        });
        assert.equal(code, 0, stderr);
        const out = JSON.parse(stdout) as { Account: string; Arn: string };
        assert.equal(out.Account, c.accountId);
        assert.equal(out.Arn, `arn:aws:sts::${c.accountId}:assumed-role/${c.roleName}/developer@example.com`);
        const [entry] = emu.calls({ operation: 'GetCallerIdentity' });
        assert.equal(entry.accessKeyId, c.accessKeyId);
        assert.equal(entry.expiredKey, false);
        assert.match(entry.userAgent ?? '', /aws-cli\/1\./);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });
  });
});

describe('environment variables and control API', () => {
  it('the SDK clients find the emulator through AWS_ENDPOINT_URL_* alone', () =>
    withEmu({ autoApprove: true }, async (emu) => {
      const saved = { ...process.env };
      Object.assign(process.env, emu.env);
      try {
        const oidc = new SSOOIDCClient({ region: REGION });
        const reg = await oidc.send(new RegisterClientCommand({ clientName: 'env', clientType: 'public' }));
        const da = await oidc.send(
          new StartDeviceAuthorizationCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: DEFAULT_START_URL }),
        );
        const tok = await oidc.send(
          new CreateTokenCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, grantType: DEVICE_GRANT, deviceCode: da.deviceCode }),
        );
        const accounts = await new SSOClient({ region: REGION }).send(new ListAccountsCommand({ accessToken: tok.accessToken }));
        assert.equal(accounts.accountList!.length, 5);
        const c = await roleCreds(emu, tok.accessToken!);
        const who = await new STSClient({ region: REGION, credentials: { accessKeyId: c.accessKeyId!, secretAccessKey: c.secretAccessKey! } }).send(
          new GetCallerIdentityCommand({}),
        );
        assert.equal(who.Account, c.accountId);
        assert.deepEqual(
          emu.calls().map((e) => e.operation),
          ['RegisterClient', 'StartDeviceAuthorization', 'CreateToken', 'ListAccounts', 'GetRoleCredentials', 'GetCallerIdentity'],
        );
      } finally {
        for (const k of Object.keys(emu.env))
          if (saved[k] === undefined) delete process.env[k];
          else process.env[k] = saved[k];
      }
    }));

  it('EmulatorControl drives every knob over HTTP', () =>
    withEmu({ interval: 0.05 }, async (emu) => {
      const ctl = new EmulatorControl(emu.url);
      const state = await ctl.state();
      assert.equal(state.url, emu.url);
      assert.equal(state.counts.accounts, 5);
      assert.equal((await ctl.configure({ accounts: 3, latencyMs: 0 })).accounts, 3);
      assert.equal((await ctl.accounts()).length, 3);
      assert.equal(await ctl.pendingDevice(), undefined);

      const f = await startFlow(emu);
      const p = await ctl.waitForPending(1000);
      assert.equal(p.userCode, f.da.userCode);
      assert.equal(p.verificationUriComplete, f.da.verificationUriComplete);
      assert.equal(await ctl.approve(), f.da.userCode);
      assert.equal(await ctl.approve(), undefined, 'nothing left to approve');
      const tok = await poll(f);
      const g = await startFlow(emu);
      assert.equal(await ctl.deny(g.da.userCode), g.da.userCode);
      await rejects(poll(g), 'AccessDeniedException');

      await ctl.injectFault({ operation: 'ListAccounts', kind: '503', count: 1 });
      assert.deepEqual((await ctl.state()).faults, [{ operation: 'ListAccounts', kind: '503', remaining: 1 }]);
      await rejects(ssoClient(emu, { maxAttempts: 1 }).send(new ListAccountsCommand({ accessToken: tok.accessToken })), 'ServiceUnavailableException', 503);
      await ctl.injectFault({ kind: '500', count: 5 });
      await ctl.clearFaults();
      assert.deepEqual((await ctl.state()).faults, []);
      const c = await roleCreds(emu, tok.accessToken!);

      const calls = await ctl.calls({ operation: 'ListAccounts' });
      assert.deepEqual(
        calls.map((e) => e.status),
        [503],
      );
      // Canary scan: every secret is reported, none of them is in the call log.
      const secrets = await ctl.issuedSecrets();
      for (const s of [f.reg.clientSecret, f.da.deviceCode, tok.accessToken, tok.refreshToken, c.secretAccessKey, c.sessionToken]) {
        assert.ok(secrets.includes(s!), 'secret listed');
      }
      const logText = JSON.stringify(await ctl.calls());
      assert.ok(
        secrets.every((s) => !logText.includes(s)),
        'no secret value in the call log',
      );

      await ctl.configure({ roleCredentialTtlSec: 1 });
      assert.equal(await ctl.expire('roleCredentials'), 1);
      await rejects(stsClient(emu, c).send(new GetCallerIdentityCommand({})), 'ExpiredToken');
      await ctl.revokeRefreshTokens();
      await rejects(
        f.oidc.send(
          new CreateTokenCommand({ clientId: f.reg.clientId, clientSecret: f.reg.clientSecret, grantType: 'refresh_token', refreshToken: tok.refreshToken }),
        ),
        'InvalidGrantException',
      );
      await ssoClient(emu).send(new ListAccountsCommand({ accessToken: tok.accessToken }));
      await ctl.revokeAllTokens();
      await rejects(ssoClient(emu).send(new ListAccountsCommand({ accessToken: tok.accessToken })), 'UnauthorizedException');

      await ctl.clearCalls();
      assert.deepEqual(await ctl.calls(), []);
      await ctl.reset();
      const after = await ctl.state();
      assert.equal(after.counts.accounts, 5, 'reset restores the start options');
      assert.equal(after.options.interval, 0.05);
      assert.equal(after.counts.clients, 0);
      assert.ok((await ctl.issuedSecrets()).length >= secrets.length, 'issued secrets survive reset');
      await assert.rejects(ctl.configure({ throttle: { ratePerSec: 0 } }), /ratePerSec/);
      await assert.rejects(
        fetch(`${emu.url}/_emulator/nope`).then(async (r) => {
          if (!r.ok) throw new Error(String(r.status));
        }),
        /404/,
      );
    }));
});

describe('main.ts', () => {
  let child: ReturnType<typeof spawn> | undefined;
  after(() => child?.kill('SIGKILL'));
  before(() => assert.ok(existsSync(join(__dirname, '../emulator/main.js')), 'compiled main.js exists'));

  it('--json prints the URL once listening and SIGTERM stops it', { timeout: 10_000 }, async () => {
    child = spawn(process.execPath, [join(__dirname, '../emulator/main.js'), '--json', '--accounts', '12', '--rate', '50', '--interval', '2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child!.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        if (buf.includes('\n')) resolve(buf.split('\n')[0]);
      });
      child!.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    const info = JSON.parse(line) as { url: string; env: Record<string, string> };
    assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(info.env.AWS_ENDPOINT_URL_STS, info.url);
    const state = await new EmulatorControl(info.url).state();
    assert.equal(state.counts.accounts, 12);
    assert.deepEqual(state.options.throttle, { ratePerSec: 50, burst: 50 });
    assert.equal(state.options.interval, 2);
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    child = undefined;
  });
});

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
