// Sharing the sign-in with the real AWS CLI v1 (pip) and v2 (Debian 2.9) against the local Identity Center
// emulator. The session against the CLI's token cache alone is test/unit/signIn/cliSharing.test.ts.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { saveCliProfile } from '../../../src/core/awsFiles/awsConfigSave';
import { CliTokenCache, formatCliToken, type CliTokenStore } from '../../../src/core/awsFiles/cliTokenCache';
import { IdentityCenter } from '../../../src/core/aws/identityCenter';
import type { ClientRegistrationSecret } from '../../../src/core/common/model';
import { SECRET_KEYS } from '../../../src/core/common/storageKeys';
import { chooseFlow } from '../../../src/core/signIn/flowChoice';
import { Session } from '../../../src/core/signIn/session';
import { browse } from '../../support/authorizeBrowser';
import type { Emulator } from '../../emulator/server';
import { isolatedEnv } from '../../soak/emulatorSession';
import { REGION, START_URL, startEmulator } from '../../support/emulator';
import { MemorySecrets } from '../../support/memorySecrets';
import { runProcess as execFileAsync, withEnv } from '../../support/processes';
import { CLI_V1, CLI_V2, SESSION_NAME, target, redact, sameSecret, differentSecret } from '../../support/cliFixtures';

// Real AWS CLIs. CLI v1 (botocore 1.43) honours AWS_ENDPOINT_URL_SSO/_SSO_OIDC/_STS; Debian's
// CLI v2 2.9 predates them (2.13), so it reaches the emulator through a local HTTPS proxy that
// terminates TLS with a throwaway CA given to it as AWS_CA_BUNDLE.

/** An HTTPS proxy that answers CONNECT to any AWS host with a certificate from its own CA and forwards to `upstream`. */
async function startInterceptingProxy(upstream: URL, dir: string): Promise<{ url: string; caFile: string; hosts: string[]; close(): Promise<void> } | string> {
  const ca = path.join(dir, 'ca');
  const names = ['oidc.us-east-1.amazonaws.com', 'portal.sso.us-east-1.amazonaws.com', 'sts.us-east-1.amazonaws.com', 'sts.amazonaws.com'];
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'];
  const mk = await execFileAsync('openssl', [
    'req',
    '-x509',
    ...key,
    '-subj',
    '/CN=awsidc test CA',
    '-keyout',
    `${ca}.key`,
    '-out',
    `${ca}.pem`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  ]);
  if (mk.code !== 0) return `openssl could not make a CA (${mk.stderr.trim() || mk.code})`;
  const leaf = await execFileAsync('openssl', [
    'req',
    '-x509',
    ...key,
    '-subj',
    '/CN=aws',
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${ca}.key`,
    '-keyout',
    `${dir}/leaf.key`,
    '-out',
    `${dir}/leaf.pem`,
    '-addext',
    `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
  ]);
  if (leaf.code !== 0) return `openssl could not make a certificate (${leaf.stderr.trim() || leaf.code})`;
  const secureContext = tls.createSecureContext({ key: fs.readFileSync(`${dir}/leaf.key`), cert: fs.readFileSync(`${dir}/leaf.pem`) });
  const forward = http.createServer((req, res) => {
    const up = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  const hosts: string[] = [];
  const proxy = http.createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req: http.IncomingMessage, socket: import('node:net').Socket, head: Buffer) => {
    hosts.push(req.url ?? '');
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) socket.unshift(head);
    forward.emit('connection', new tls.TLSSocket(socket, { isServer: true, secureContext }));
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const close = async (): Promise<void> => {
    proxy.closeAllConnections();
    forward.closeAllConnections();
    await new Promise((r) => proxy.close(r));
  };
  return { url: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`, caFile: `${ca}.pem`, hosts, close };
}

describe('real AWS CLIs share the sign-in', { timeout: 120_000 }, () => {
  let emulator: Emulator;
  let client: () => Promise<IdentityCenter>;
  let home: string;
  let configFile: string;
  let cache: CliTokenCache;
  let role: { accountId: string; roleName: string };
  let proxy: Awaited<ReturnType<typeof startInterceptingProxy>>;
  let baseEnv: NodeJS.ProcessEnv;
  let cleanupEnv: () => void;
  const hasV1 = fs.existsSync(CLI_V1);
  const hasV2 = fs.existsSync(CLI_V2);
  const profile = 'idc-dev';

  before(async () => {
    ({ emulator, client } = await startEmulator({ autoApprove: true }));
    const iso = isolatedEnv({});
    baseEnv = iso.env;
    cleanupEnv = iso.cleanup;
    home = iso.home;
    configFile = path.join(home, '.aws', 'config');
    baseEnv.AWS_CONFIG_FILE = configFile;
    cache = new CliTokenCache({ home });
    const account = emulator.accounts().find((a) => a.roles.length > 0)!;
    role = { accountId: account.accountId, roleName: account.roles[0] };
    await saveCliProfile(configFile, {
      profileName: profile,
      sessionName: SESSION_NAME,
      startUrl: START_URL,
      region: REGION,
      accountId: role.accountId,
      roleName: role.roleName,
    });
    proxy = hasV2 ? await startInterceptingProxy(new URL(emulator.url), fs.mkdtempSync(path.join(home, 'tls-'))) : 'CLI v2 missing';
  });
  after(async () => {
    if (typeof proxy === 'object') await proxy.close();
    await emulator.stop();
    cleanupEnv();
  });

  const envV1 = (): NodeJS.ProcessEnv => ({
    ...baseEnv,
    AWS_ENDPOINT_URL_SSO: emulator.url,
    AWS_ENDPOINT_URL_SSO_OIDC: emulator.url,
    AWS_ENDPOINT_URL_STS: emulator.url,
  });
  const envV2 = (): NodeJS.ProcessEnv => {
    assert.ok(typeof proxy === 'object');
    return { ...baseEnv, HTTPS_PROXY: proxy.url, https_proxy: proxy.url, AWS_CA_BUNDLE: proxy.caFile };
  };
  /** `aws --profile idc-dev sts get-caller-identity`, with the CLI's own role-credential cache cleared so it uses the token. */
  async function callerArn(cli: string, env: NodeJS.ProcessEnv): Promise<string> {
    fs.rmSync(path.join(home, '.aws', 'cli', 'cache'), { recursive: true, force: true });
    const r = await execFileAsync(cli, ['--profile', profile, 'sts', 'get-caller-identity', '--output', 'text', '--query', 'Arn'], env);
    assert.equal(r.code, 0, `${cli} exit ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    return r.stdout.trim();
  }
  const arnPrefix = (): string => `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/`;
  const cliRefreshes = (ua: string) => emulator.calls({ operation: 'CreateToken' }).filter((c) => c.grantType === 'refresh_token' && c.userAgent?.includes(ua));
  const fileText = (): string => fs.readFileSync(cache.pathFor(target), 'utf8');
  const newSession = (store: MemorySecrets, share: boolean) =>
    Session.create({ store, createClient: () => client(), cliCache: cache, shareWithCli: () => share });

  test('versions and reachability', async (t) => {
    for (const [cli, has] of [
      [CLI_V1, hasV1],
      [CLI_V2, hasV2],
    ] as const) {
      if (!has) {
        t.diagnostic(`SKIPPED: ${cli} is not installed`);
        continue;
      }
      const v = await execFileAsync(cli, ['--version'], baseEnv);
      t.diagnostic(`${cli}: ${(v.stdout + v.stderr).trim()}`);
    }
    if (typeof proxy === 'string') t.diagnostic(`CLI v2 tests skipped: ${proxy}`);
  });

  test('after our sign-in (sharing on) and saveCliProfile, `aws --profile` prints the role ARN at once: CLI v1 and v2', async (t) => {
    const session = newSession(new MemorySecrets(), true);
    await session.signIn(target, { onCode: () => undefined });
    const ours = await session.accessToken();
    emulator.clearCalls();
    if (hasV1) {
      const arn = await callerArn(CLI_V1, envV1());
      assert.ok(arn.startsWith(arnPrefix()), arn);
      t.diagnostic(`CLI v1 → ${arn}`);
    } else t.diagnostic(`SKIPPED CLI v1: ${CLI_V1} missing`);
    if (typeof proxy === 'object') {
      const arn = await callerArn(CLI_V2, envV2());
      assert.ok(arn.startsWith(arnPrefix()), arn);
      t.diagnostic(`CLI v2 → ${arn} (via ${[...new Set(proxy.hosts)].join(', ')})`);
    } else t.diagnostic(`SKIPPED CLI v2: ${proxy}`);
    assert.equal(emulator.calls({ operation: 'CreateToken' }).length, 0, 'the CLIs used our token as it was (no refresh, no sign-in)');
    assert.ok(emulator.calls({ operation: 'GetRoleCredentials' }).length >= (hasV1 ? 1 : 0) + (typeof proxy === 'object' ? 1 : 0));
    sameSecret((await cache.read(target))?.token.accessToken, ours, 'the file still holds our token');
    await session.signOut();
    session.dispose();
  });

  test('our authorization-code sign-in (sharing on): CLI v2 uses it at once, then refreshes it with our PKCE client', async (t) => {
    if (typeof proxy !== 'object') return t.skip(`CLI v2 unavailable: ${proxy}`);
    const store = new MemorySecrets();
    const session = newSession(store, true);
    const result = await session.signIn(target, {
      onCode: () => assert.fail('no device code expected'),
      plan: chooseFlow('auto', 'desktop'),
      openBrowser: async (url) => void (await browse(url)),
    });
    assert.equal(result.flow, 'authorizationCode');
    const pkceClient = JSON.parse(store.data.get(SECRET_KEYS.registration)!) as ClientRegistrationSecret;
    assert.deepEqual(pkceClient.grantTypes, ['authorization_code', 'refresh_token']);
    emulator.clearCalls();
    assert.ok((await callerArn(CLI_V2, envV2())).startsWith(arnPrefix()));
    assert.equal(emulator.calls({ operation: 'CreateToken' }).length, 0, 'CLI v2 used our token as it was');
    // Under 15 minutes left: botocore refreshes with the client in the file, our PKCE one.
    emulator.configure({ accessTokenTtlSec: 600 });
    await session.handleUnauthorized(new Error('test: force a refresh'));
    await new Promise((r) => setTimeout(r, 1000));
    emulator.clearCalls();
    assert.ok((await callerArn(CLI_V2, envV2())).startsWith(arnPrefix()));
    assert.deepEqual(
      cliRefreshes('aws-cli/2.').map((c) => [c.status, c.clientId]),
      [[200, pkceClient.clientId]],
      'CLI v2 refreshed with our authorization-code client',
    );
    emulator.configure({ accessTokenTtlSec: 3600 });
    await session.signOut();
    session.dispose();
  });

  test('CLI v1 refreshes the shared sign-in (rotating the refresh token); we follow it, also when it races our refresh; then the CLI follows ours', async (t) => {
    if (!hasV1) return t.skip(`${CLI_V1} missing`);
    // Under 15 minutes left: botocore refreshes on every run; ours refreshes 5 minutes before expiry.
    emulator.configure({ accessTokenTtlSec: 600 });
    const store = new MemorySecrets();
    let cliDuringNextRead: (() => Promise<void>) | undefined;
    // The real cache, with a hook to run the CLI between our pre-refresh check and our CreateToken.
    const racing: CliTokenStore = {
      read: async (tg, o) => {
        const found = await cache.read(tg, o);
        const hook = cliDuringNextRead;
        cliDuringNextRead = undefined;
        await hook?.();
        return found;
      },
      write: (tok, reg) => cache.write(tok, reg),
      remove: (tok) => cache.remove(tok),
    };
    const session = Session.create({ store, createClient: () => client(), cliCache: racing, shareWithCli: () => true });
    const ended: string[] = [];
    session.onDidEnd((e) => void ended.push(e.message));
    await session.signIn(target, { onCode: () => undefined });
    const first = await session.accessToken();
    await new Promise((r) => setTimeout(r, 1000)); // whole-second timestamps: the CLI's token must expire visibly later

    // 1. The CLI refreshes; our next (forced) refresh adopts its token without a CreateToken of ours.
    emulator.clearCalls();
    assert.ok((await callerArn(CLI_V1, envV1())).startsWith(arnPrefix()));
    assert.deepEqual(
      cliRefreshes('aws-cli/1.').map((c) => c.status),
      [200],
      'botocore refreshed the token',
    );
    const afterCli = fileText();
    const cliToken = (await cache.read(target))!;
    differentSecret(cliToken.token.accessToken, first);
    assert.ok(afterCli === formatCliToken(cliToken.token, cliToken.registration), `botocore's bytes differ from ours: ${redact(afterCli)}`);
    emulator.clearCalls();
    await session.handleUnauthorized(new Error('test: force a refresh'));
    assert.equal(emulator.calls({ operation: 'CreateToken' }).length, 0, 'we adopted the CLI token instead of refreshing');
    sameSecret(await session.accessToken(), cliToken.token.accessToken);

    // 2. The CLI refreshes again right after our check of the file: our refresh token is refused, we adopt its token.
    cliDuringNextRead = async () => void assert.ok((await callerArn(CLI_V1, envV1())).startsWith(arnPrefix()));
    emulator.clearCalls();
    await session.handleUnauthorized(new Error('test: force a refresh'));
    const ours = emulator.calls({ operation: 'CreateToken' }).filter((c) => !c.userAgent?.includes('aws-cli'));
    assert.deepEqual(
      ours.map((c) => c.errorType),
      ['InvalidGrantException'],
      'our refresh lost the race',
    );
    assert.equal(session.state.kind, 'signedIn');
    assert.deepEqual(ended, [], 'the session did not end');
    sameSecret(await session.accessToken(), (await cache.read(target))?.token.accessToken, "we use the CLI's newest token");
    assert.ok((await (await client()).listAccounts(await session.accessToken())).items.length > 0);

    // 3. Our refresh rotates the token and rewrites the file; the CLI's next refresh uses it and succeeds.
    emulator.clearCalls();
    await session.handleUnauthorized(new Error('test: force a refresh'));
    assert.deepEqual(
      emulator.calls({ operation: 'CreateToken' }).map((c) => c.status),
      [200],
    );
    sameSecret((await cache.read(target))?.token.accessToken, await session.accessToken(), 'the file holds our refreshed token');
    assert.ok((await callerArn(CLI_V1, envV1())).startsWith(arnPrefix()));
    assert.deepEqual(
      cliRefreshes('aws-cli/1.').map((c) => c.status),
      [200],
      'botocore refreshed with the refresh token we wrote',
    );
    t.diagnostic('CLI refresh → adopted; CLI refresh racing ours → invalid_grant → adopted; our refresh → CLI refresh OK');
    session.dispose();
    emulator.configure({ accessTokenTtlSec: 3600 });
  });

  test('JS SDK v3 fromSSO uses the shared file, refreshes it in its own format (pretty, milliseconds, not atomic), and we follow', async (t) => {
    emulator.configure({ accessTokenTtlSec: 240 }); // under 5 minutes: the JS SDK refreshes
    const store = new MemorySecrets();
    const session = newSession(store, true);
    await session.signIn(target, { onCode: () => undefined });
    await new Promise((r) => setTimeout(r, 1000)); // whole-second timestamps: the SDK's token must expire visibly later
    emulator.clearCalls();
    const { fromSSO } = await import('@aws-sdk/credential-providers');
    const creds = await withEnv(
      {
        HOME: home,
        USERPROFILE: undefined,
        AWS_CONFIG_FILE: configFile,
        AWS_PROFILE: undefined,
        AWS_ENDPOINT_URL_SSO: emulator.url,
        AWS_ENDPOINT_URL_SSO_OIDC: emulator.url,
      },
      () => fromSSO({ profile, ignoreCache: true } as Parameters<typeof fromSSO>[0])(),
    );
    assert.ok(creds.accessKeyId && creds.sessionToken);
    const fetched = emulator.calls({ operation: 'GetRoleCredentials' }).at(-1);
    assert.deepEqual([fetched?.accountId, fetched?.roleName], [role.accountId, role.roleName]);
    assert.deepEqual(
      emulator.calls().map((c) => [c.operation, c.grantType ?? '', c.status]),
      [
        ['CreateToken', 'refresh_token', 200],
        ['GetRoleCredentials', '', 200],
      ],
      'the SDK refreshed, then fetched the role',
    );
    const text = fileText();
    assert.match(
      redact(text),
      /^\{\n {2}"startUrl": .*"expiresAt": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"/s,
      'the JS SDK pretty-prints and writes milliseconds',
    );
    const inFile = (await cache.read(target))!;
    differentSecret(inFile.token.accessToken, await session.accessToken());
    emulator.clearCalls();
    await session.handleUnauthorized(new Error('test: force a refresh'));
    assert.equal(emulator.calls({ operation: 'CreateToken' }).length, 0, "we adopted the SDK's token instead of refreshing");
    sameSecret(await session.accessToken(), inFile.token.accessToken);
    t.diagnostic(`the JS SDK wrote ${redact(text).replace(/\s+/g, ' ')}`);
    await session.signOut();
    session.dispose();
    emulator.configure({ accessTokenTtlSec: 3600 });
  });

  test('`aws sso login` (CLI v2) signs in; Session.signIn reuses it with zero StartDeviceAuthorization, and keeps the CLI working after our refresh (sharing off)', async (t) => {
    if (typeof proxy !== 'object') return t.skip(`CLI v2 unavailable: ${proxy}`);
    fs.rmSync(path.dirname(cache.pathFor(target)), { recursive: true, force: true });
    emulator.clearCalls();
    const login = await execFileAsync(CLI_V2, ['sso', 'login', '--sso-session', SESSION_NAME, '--no-browser'], envV2());
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stdout, /Successfully logged into Start URL: https:\/\/emulator\.awsapps\.com\/start/);
    assert.deepEqual(
      emulator.calls().map((c) => c.operation),
      ['RegisterClient', 'StartDeviceAuthorization', 'CreateToken'],
    );
    const written = fileText();
    const parsed = (await cache.read(target))!;
    assert.ok(parsed.registration && parsed.token.refreshToken);
    assert.ok(written === formatCliToken(parsed.token, parsed.registration), `the CLI's bytes differ from ours: ${redact(written)}`);
    t.diagnostic(`aws sso login wrote ${redact(written)}`);

    emulator.clearCalls();
    const store = new MemorySecrets();
    const session = newSession(store, false);
    assert.deepEqual(await session.signIn(target, { onCode: () => assert.fail('no device code expected') }), { reusedFrom: 'awsCli' });
    assert.equal(emulator.calls({ operation: 'StartDeviceAuthorization' }).length, 0);
    assert.deepEqual(
      emulator.calls().map((c) => c.operation),
      ['ListAccounts'],
      'no OIDC call at all: only the check that the token lists accounts',
    );
    sameSecret(await session.accessToken(), parsed.token.accessToken);

    // Our refresh spends the refresh token the file holds: with sharing off we still rewrite that
    // file, or the CLI's next refresh would fail.
    emulator.configure({ accessTokenTtlSec: 600 });
    await session.handleUnauthorized(new Error('test: force a refresh'));
    assert.deepEqual(
      emulator.calls({ operation: 'CreateToken' }).map((c) => [c.status, c.clientId]),
      [[200, parsed.registration.clientId]],
    );
    sameSecret((await cache.read(target))?.token.accessToken, await session.accessToken());
    emulator.clearCalls();
    assert.ok((await callerArn(CLI_V2, envV2())).startsWith(arnPrefix()));
    assert.deepEqual(
      cliRefreshes('aws-cli/2.').map((c) => c.status),
      [200],
      'CLI v2 refreshed with the token we wrote',
    );
    emulator.configure({ accessTokenTtlSec: 3600 });
    session.dispose();
  });
});
