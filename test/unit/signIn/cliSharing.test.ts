// Sharing the sign-in with the AWS CLI: the session against its token cache (emulator). The real AWS CLI v1
// (pip) and v2 (Debian 2.9) are test/integration/signIn/cliSharing.cli.test.ts.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { CliTokenCache, formatCliToken, type CliTokenStore } from '../../../src/core/awsFiles/cliTokenCache';
import type { Logger } from '../../../src/core/common/log';
import type { ClientRegistrationSecret, SsoTokenSecret } from '../../../src/core/common/model';
import { SECRET_KEYS } from '../../../src/core/common/storageKeys';
import { REGISTERED_REDIRECT_URI, runAuthCodeFlow } from '../../../src/core/signIn/authCodeFlow';
import { Session } from '../../../src/core/signIn/session';
import { browse } from '../../support/authorizeBrowser';
import { REGION, START_URL, emulatorPerTest } from '../../support/emulator';
import { MemorySecrets } from '../../support/memorySecrets';
import { SESSION_NAME, target, redact, sameSecret, differentSecret, tempDir, captureLog } from '../../support/cliFixtures';

describe('Session with the AWS CLI token cache (emulator)', { timeout: 60_000 }, () => {
  let home: string;
  let cache: CliTokenCache;
  const { emulator, client } = emulatorPerTest({ autoApprove: true });
  beforeEach(() => {
    home = tempDir('sessionhome');
    cache = new CliTokenCache({ home });
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  const newSession = (opts: { store?: MemorySecrets; share?: boolean; log?: Logger; cliCache?: CliTokenStore } = {}) =>
    Session.create({
      store: opts.store ?? new MemorySecrets(),
      createClient: () => client(),
      cliCache: opts.cliCache ?? cache,
      shareWithCli: () => !!opts.share,
      log: opts.log,
    });

  /** A sign-in made outside our Session, saved the way `aws sso login` saves it. */
  async function cliLogin(expiresInMs?: number): Promise<{ token: SsoTokenSecret; registration: ClientRegistrationSecret }> {
    const ic = await client();
    const registration = await ic.registerClient(`botocore-client-${SESSION_NAME}`);
    const device = await ic.startDeviceAuthorization(registration, START_URL);
    const out = await ic.createTokenWithDeviceCode(registration, device.deviceCode);
    const token = {
      accessToken: out.accessToken,
      refreshToken: out.refreshToken,
      expiresAt: Date.now() + (expiresInMs ?? out.expiresIn * 1000),
      startUrl: START_URL,
      region: REGION,
    };
    writeLikeCli(token, registration);
    return { token, registration };
  }
  function writeLikeCli(token: SsoTokenSecret, registration: ClientRegistrationSecret): void {
    const ts = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';
    const file = cache.pathFor(target);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Spelled out rather than through formatCliToken, so the reader is checked against the CLI's bytes.
    fs.writeFileSync(
      file,
      `{"startUrl": "${token.startUrl}", "region": "${token.region}", "accessToken": "${token.accessToken}", "expiresAt": "${ts(token.expiresAt)}", ` +
        `"clientId": "${registration.clientId}", "clientSecret": "${registration.clientSecret}", "registrationExpiresAt": "${ts(registration.expiresAt)}", "refreshToken": "${token.refreshToken}"}`,
    );
  }
  const noSecretsIn = (lines: string[]): void => {
    const secrets = emulator().issuedSecrets();
    lines.forEach((line, i) => assert.ok(!secrets.some((s) => line.includes(s)), `log line ${i} carries a secret`));
  };

  test('signIn reuses a valid AWS CLI sign-in: no OIDC call, its registration kept for refresh, the portal accepts the token', async () => {
    const { registration } = await cliLogin();
    emulator().clearCalls();
    const store = new MemorySecrets();
    const log = captureLog();
    const session = newSession({ store, log });
    const result = await session.signIn(target, { onCode: () => assert.fail('no device code expected') });
    assert.deepEqual(result, { reusedFrom: 'awsCli' });
    assert.deepEqual(
      emulator()
        .calls()
        .map((c) => c.operation),
      ['ListAccounts'],
      'no RegisterClient, StartDeviceAuthorization or CreateToken: only the check that the token lists accounts',
    );
    assert.equal(session.state.kind === 'signedIn' && session.state.sessionName, SESSION_NAME);
    assert.equal(JSON.parse(store.data.get(SECRET_KEYS.token)!).sessionName, SESSION_NAME);
    assert.equal(JSON.parse(store.data.get(SECRET_KEYS.registration)!).clientId, registration.clientId);
    const ic = await client();
    assert.ok((await ic.listAccounts(await session.accessToken())).items.length > 0);
    await session.handleUnauthorized(new Error('test: force a refresh'));
    const refresh = emulator().calls({ operation: 'CreateToken' });
    assert.deepEqual(
      refresh.map((c) => [c.grantType, c.status, c.clientId]),
      [['refresh_token', 200, registration.clientId]],
      "refreshed with the CLI's client",
    );
    assert.ok(log.lines.some((l) => l.includes('reused the AWS CLI sign-in')));
    noSecretsIn(log.lines);
    session.dispose();
  });

  test('a CLI sign-in made with the authorization code (CLI 2.22+) is reused and refreshed with its PKCE client; a later device sign-in registers its own', async () => {
    const ic = await client();
    const pkceClient = await ic.registerClient(`botocore-client-${SESSION_NAME}`, undefined, { redirectUri: REGISTERED_REDIRECT_URI, issuerUrl: START_URL });
    const { tokens } = await runAuthCodeFlow(ic, {
      startUrl: START_URL,
      registration: async () => pkceClient,
      openBrowser: async (url) => void (await browse(url)),
    });
    writeLikeCli(
      {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expiresAt: Date.now() + tokens.expiresIn * 1000,
        startUrl: START_URL,
        region: REGION,
      },
      pkceClient,
    );
    emulator().clearCalls();
    const store = new MemorySecrets();
    const session = newSession({ store });
    assert.deepEqual(await session.signIn(target, { onCode: () => assert.fail('no device code expected') }), { reusedFrom: 'awsCli' });
    await session.handleUnauthorized(new Error('test: force a refresh'));
    assert.deepEqual(
      emulator()
        .calls({ operation: 'CreateToken' })
        .map((c) => [c.grantType, c.status, c.clientId]),
      [['refresh_token', 200, pkceClient.clientId]],
      "refreshed with the CLI's authorization-code client",
    );
    await session.signOut();
    fs.rmSync(cache.pathFor(target), { force: true });
    emulator().clearCalls();
    await session.signIn(target, { onCode: () => undefined });
    assert.deepEqual(
      emulator()
        .calls({ operation: 'RegisterClient' })
        .map((c) => c.status),
      [200],
      "the CLI's client (its grant types unknown) is not reused for a device sign-in",
    );
    assert.deepEqual(
      emulator()
        .calls({ operation: 'StartDeviceAuthorization' })
        .map((c) => c.status),
      [200],
    );
    session.dispose();
  });

  test('signIn does not reuse a CLI token with 15 minutes or less left, nor one for another portal', async () => {
    await cliLogin(14 * 60_000);
    emulator().clearCalls();
    const session = newSession();
    assert.deepEqual(await session.signIn(target, { onCode: () => undefined }), { reusedFrom: undefined, flow: 'deviceCode' });
    assert.equal(emulator().calls({ operation: 'StartDeviceAuthorization' }).length, 1);
    await session.signOut();
    await cliLogin(); // valid for an hour, but for START_URL
    emulator().clearCalls();
    emulator().configure({ startUrl: [START_URL, 'https://other.awsapps.com/start'] });
    assert.deepEqual(await session.signIn({ ...target, startUrl: 'https://other.awsapps.com/start' }, { onCode: () => undefined }), {
      reusedFrom: undefined,
      flow: 'deviceCode',
    });
    assert.equal(emulator().calls({ operation: 'StartDeviceAuthorization' }).length, 1);
    session.dispose();
  });

  test('sharing on: the device sign-in is written as the CLI would, with the sso-session name; sign-out removes only our file', async () => {
    const store = new MemorySecrets();
    const session = newSession({ store, share: true });
    await session.signIn(target, { onCode: () => undefined });
    const stored = JSON.parse(store.data.get(SECRET_KEYS.token)!) as SsoTokenSecret;
    assert.equal(stored.sessionName, SESSION_NAME, 'device-flow tokens carry the session name');
    const registration = JSON.parse(store.data.get(SECRET_KEYS.registration)!) as ClientRegistrationSecret;
    const text = fs.readFileSync(cache.pathFor(target), 'utf8');
    assert.ok(text === formatCliToken(stored, registration), `unexpected file: ${redact(text)}`);
    await session.signOut();
    assert.equal(fs.existsSync(cache.pathFor(target)), false, 'our file is removed on sign-out');

    await session.signIn(target, { onCode: () => undefined });
    await cliLogin(); // the CLI signs in again after us: a different token in the same file
    await session.signOut();
    assert.ok(fs.existsSync(cache.pathFor(target)), "the CLI's newer sign-in survives our sign-out");
    session.dispose();
  });

  test('sharing off writes nothing; a failing write is logged without secrets and does not fail the sign-in', async () => {
    const off = newSession();
    await off.signIn(target, { onCode: () => undefined });
    assert.equal(fs.existsSync(path.join(home, '.aws')), false);
    await off.signOut();
    off.dispose();

    const blocked = path.join(home, 'not-a-dir');
    fs.writeFileSync(blocked, '');
    const log = captureLog();
    const session = Session.create({
      store: new MemorySecrets(),
      createClient: () => client(),
      cliCache: new CliTokenCache({ home: blocked }),
      shareWithCli: () => true,
      log,
    });
    await session.signIn(target, { onCode: () => undefined });
    assert.equal(session.state.kind, 'signedIn');
    assert.ok(
      log.lines.some((l) => /could not write the AWS CLI token cache \((ENOTDIR|EEXIST)\)/.test(l)),
      log.lines.join('\n'),
    );
    noSecretsIn(log.lines);
    session.dispose();
  });

  test('linkCliSession names the sign-in after an [sso-session] made later and writes the file under that name', async () => {
    const store = new MemorySecrets();
    const session = newSession({ store, share: true });
    const legacy = { startUrl: START_URL, region: REGION };
    await session.signIn(legacy, { onCode: () => undefined });
    assert.ok(fs.existsSync(cache.pathFor(legacy)), 'without a session name the file is keyed by the start URL');
    await session.linkCliSession(SESSION_NAME);
    assert.equal(session.state.kind === 'signedIn' && session.state.sessionName, SESSION_NAME);
    assert.equal(JSON.parse(store.data.get(SECRET_KEYS.token)!).sessionName, SESSION_NAME);
    sameSecret((await cache.read(target))?.token.accessToken, await session.accessToken());
    const other = newSession({ store });
    await other.ready;
    assert.equal(other.state.kind === 'signedIn' && other.state.sessionName, SESSION_NAME, 'other windows see the name too');
    other.dispose();
    session.dispose();
  });

  test('refresh follows the CLI: a fresher token in the file is adopted instead of calling CreateToken', async () => {
    const store = new MemorySecrets();
    const session = newSession({ store, share: true });
    await session.signIn(target, { onCode: () => undefined });
    // Another tool refreshes the shared sign-in with the refresh token in the file (and rotates it).
    await new Promise((r) => setTimeout(r, 1100)); // the file holds whole seconds: make "later" visible
    const inFile = (await cache.read(target))!;
    const ic = await client();
    const out = await ic.createTokenWithRefreshToken(inFile.registration!, inFile.token.refreshToken!);
    await cache.write(
      { ...inFile.token, accessToken: out.accessToken, refreshToken: out.refreshToken, expiresAt: Date.now() + out.expiresIn * 1000 },
      inFile.registration,
    );
    emulator().clearCalls();
    await session.handleUnauthorized(new Error('test: force a refresh'));
    assert.equal(emulator().calls({ operation: 'CreateToken' }).length, 0, 'no refresh of our own');
    sameSecret(await session.accessToken(), out.accessToken);
    sameSecret(JSON.parse(store.data.get(SECRET_KEYS.token)!).refreshToken, out.refreshToken, 'the rotated refresh token is stored');
    await session.handleUnauthorized(new Error('test: and refresh again'));
    assert.deepEqual(
      emulator()
        .calls({ operation: 'CreateToken' })
        .map((c) => c.status),
      [200],
      'our next refresh uses the rotated token',
    );
    session.dispose();
  });
  test("a cached token that cannot list accounts (another tool's, other scopes, revoked) is not adopted: at sign-in, nor in a refresh", async () => {
    const foreign = {
      accessToken: 'aoa-another-tools-token',
      refreshToken: 'aor-another',
      expiresAt: Date.now() + 3600_000,
      startUrl: START_URL,
      region: REGION,
    };
    writeLikeCli(foreign, { clientId: 'toolkit', clientSecret: 'toolkit-secret', expiresAt: Date.now() + 86400_000, region: REGION, scopes: [] });
    const store = new MemorySecrets();
    const log = captureLog();
    const session = newSession({ store, log });
    emulator().clearCalls();
    assert.deepEqual(await session.signIn(target, { onCode: () => undefined }), { reusedFrom: undefined, flow: 'deviceCode' });
    assert.equal(emulator().calls({ operation: 'StartDeviceAuthorization' }).length, 1, 'signed in with the device flow instead');
    differentSecret(JSON.parse(store.data.get(SECRET_KEYS.token)!).accessToken, foreign.accessToken, 'the foreign token was not stored');
    assert.ok(
      log.lines.some((l) => /not using the AWS CLI's cached token for .*: it could not list accounts \(UnauthorizedException\)/.test(l)),
      log.lines.join('\n'),
    );
    assert.ok(!log.lines.some((l) => l.includes(foreign.accessToken) || l.includes(foreign.refreshToken)), 'no token in the log');
    // A refresh that finds it in the file (it looks fresher) refreshes itself instead of adopting it.
    writeLikeCli(
      { ...foreign, expiresAt: Date.now() + 7200_000 },
      { clientId: 'toolkit', clientSecret: 'toolkit-secret', expiresAt: Date.now() + 86400_000, region: REGION, scopes: [] },
    );
    emulator().clearCalls();
    await session.handleUnauthorized(new Error('test: force a refresh'));
    assert.deepEqual(
      emulator()
        .calls({ operation: 'CreateToken' })
        .map((c) => c.status),
      [200],
      'refreshed with our own refresh token',
    );
    differentSecret(await session.accessToken(), foreign.accessToken);
    session.dispose();
  });
});
