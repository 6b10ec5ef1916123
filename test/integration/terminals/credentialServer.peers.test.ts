// Real clients against a credential-server binding: the AWS CLI v1 (botocore), Debian's AWS CLI v2
// and the JS SDK v3 providers, each given only AWS_CONTAINER_CREDENTIALS_FULL_URI and
// AWS_CONTAINER_AUTHORIZATION_TOKEN. The source reads a mutable "active role", so switching it
// must change what the same environment gets on the next fetch. Credentials come from the local
// Identity Center emulator through the real SDK clients and a CredentialBroker.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { CredentialBinding, CredentialServer } from '../../../src/core/terminals/credentialServer';
import { CredentialBroker } from '../../../src/core/credentials/broker';
import { IdcError } from '../../../src/core/common/errors';
import { RoleRef, roleKey } from '../../../src/core/common/model';
import { Emulator } from '../../emulator/server';
import { runProcess as run, withEnv } from '../../support/processes';
import { CONFLICTING_VARS, EmulatorSession, assumedRolePrefix, brokerFor, isolatedEnv, signIn, twoRoles } from '../../soak/emulatorSession';

const CLI_V1_CANDIDATES = ['/root/.pyenv/versions/3.11.7/bin/aws'];
const CLI_V2 = '/usr/bin/aws';

function findCliV1(): string | undefined {
  for (const p of CLI_V1_CANDIDATES) if (fs.existsSync(p)) return p;
  return undefined;
}

describe('peers: real SDKs and CLIs read the loopback endpoint', { timeout: 240_000 }, () => {
  let em: Emulator;
  let session: EmulatorSession;
  let broker: CredentialBroker;
  let server: CredentialServer;
  let binding: CredentialBinding;
  let roleA: RoleRef;
  let roleB: RoleRef;
  let active: RoleRef;
  let served = 0;
  let childEnv: NodeJS.ProcessEnv;
  let cleanupEnv: () => void;
  const refusals: string[] = [];
  /** This process's env as a terminal would get it: only the endpoint, nothing that would win over it. */
  const endpointOnlyVars = (): Record<string, string | undefined> => ({
    ...Object.fromEntries(CONFLICTING_VARS.map((v) => [v, undefined])),
    AWS_CONTAINER_CREDENTIALS_FULL_URI: binding.url,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: binding.token,
    AWS_ENDPOINT_URL_STS: em.url,
  });

  /** The access key the broker holds for a role (what every client must end up signing with). */
  const heldKey = (role: RoleRef): string => {
    const c = broker.peek(role);
    assert.ok(c, `broker holds nothing for ${roleKey(role)}`);
    return c.accessKeyId;
  };
  /** GetCallerIdentity calls the emulator saw since `since`, with the key that signed each. */
  const stsCallsSince = (since: number) => em.calls({ operation: 'GetCallerIdentity', since });

  before(async () => {
    em = await Emulator.start({ accounts: 5, roleCredentialTtlSec: 3600, autoApprove: true });
    session = await signIn(em);
    [roleA, roleB] = twoRoles(session.roles);
    broker = brokerFor(session, 15 * 60_000);
    server = await CredentialServer.start({
      log: { trace: () => void served++, info: () => undefined, warn: (m) => void refusals.push(m), error: (m) => void refusals.push(m) },
    });
    active = roleA;
    binding = server.bind('active role', () => broker.get(active));
    const iso = isolatedEnv({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: binding.url,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: binding.token,
      AWS_ENDPOINT_URL_STS: em.url,
    });
    childEnv = iso.env;
    cleanupEnv = iso.cleanup;
    for (const v of CONFLICTING_VARS) assert.equal(childEnv[v], undefined);
  });

  after(async () => {
    binding?.dispose();
    server?.dispose();
    broker?.dispose();
    session?.dispose();
    cleanupEnv?.();
    await em?.stop();
  });

  test('setup: two roles in different accounts, the source follows the active role', async () => {
    assert.notEqual(roleA.accountId, roleB.accountId);
    active = roleA;
    const a = await broker.get(active);
    active = roleB;
    const b = await broker.get(active);
    active = roleA;
    assert.notEqual(a.accessKeyId, b.accessKeyId);
    assert.equal(a.accountId, roleA.accountId);
  });

  test('AWS CLI v1 (pip, botocore) sts get-caller-identity prints the active role, then the switched one', async (t) => {
    const cli = findCliV1();
    if (!cli) return t.skip(`AWS CLI v1 not found at ${CLI_V1_CANDIDATES.join(', ')}`);
    const version = await run(cli, ['--version'], childEnv);
    t.diagnostic(`${cli}: ${(version.stdout + version.stderr).trim()}`);
    assert.match(version.stdout + version.stderr, /^aws-cli\/1\./);

    for (const role of [roleA, roleB, roleA]) {
      active = role;
      const since = em.calls().length ? em.calls().at(-1)!.t : 0;
      const servedBefore = served;
      const r = await run(cli, ['sts', 'get-caller-identity', '--output', 'json'], childEnv);
      assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
      const out = JSON.parse(r.stdout) as { Arn: string; Account: string };
      assert.ok(out.Arn.startsWith(assumedRolePrefix(role)), `${out.Arn} is not ${roleKey(role)}`);
      assert.equal(out.Account, role.accountId);
      assert.ok(served > servedBefore, 'the CLI did not fetch from the endpoint');
      const calls = stsCallsSince(since).filter((c) => c.userAgent?.includes('aws-cli/1.'));
      assert.equal(calls.at(-1)?.accessKeyId, heldKey(role), 'signed with a key the broker does not hold');
      t.diagnostic(`${roleKey(role)} → ${out.Arn} (${r.ms} ms, ${served - servedBefore} endpoint fetch(es))`);
    }
  });

  test('AWS CLI v2 (Debian 2.9) exports the active credentials and, with --endpoint-url, signs with them', async (t) => {
    if (!fs.existsSync(CLI_V2)) return t.skip(`AWS CLI v2 not found at ${CLI_V2}`);
    const version = await run(CLI_V2, ['--version'], childEnv);
    t.diagnostic(`${CLI_V2}: ${(version.stdout + version.stderr).trim()}`);
    assert.match(version.stdout + version.stderr, /^aws-cli\/2\./);

    for (const role of [roleA, roleB]) {
      active = role;
      const exp = await run(CLI_V2, ['configure', 'export-credentials', '--format', 'process'], childEnv);
      assert.equal(exp.code, 0, `export-credentials exit ${exp.code}: ${exp.stderr}`);
      const creds = JSON.parse(exp.stdout) as { Version: number; AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
      const held = broker.peek(role)!;
      assert.equal(creds.Version, 1);
      assert.equal(creds.AccessKeyId, held.accessKeyId);
      assert.equal(creds.SecretAccessKey, held.secretAccessKey);
      assert.equal(creds.SessionToken, held.sessionToken);
      assert.ok(Math.abs(Date.parse(creds.Expiration) - held.expiration) < 1000, `${creds.Expiration} vs ${new Date(held.expiration).toISOString()}`);

      const since = em.calls().length ? em.calls().at(-1)!.t : 0;
      const r = await run(CLI_V2, ['sts', 'get-caller-identity', '--output', 'json', '--endpoint-url', em.url], childEnv);
      assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
      const out = JSON.parse(r.stdout) as { Arn: string };
      assert.ok(out.Arn.startsWith(assumedRolePrefix(role)), `${out.Arn} is not ${roleKey(role)}`);
      const calls = stsCallsSince(since).filter((c) => c.userAgent?.includes('aws-cli/2.'));
      assert.equal(calls.at(-1)?.accessKeyId, held.accessKeyId);
      t.diagnostic(`${roleKey(role)} → ${out.Arn} (${r.ms} ms)`);
    }
  });

  test('AWS CLI v2 2.9 ignores AWS_ENDPOINT_URL_STS (so the STS call needs --endpoint-url)', async (t) => {
    if (!fs.existsSync(CLI_V2)) return t.skip(`AWS CLI v2 not found at ${CLI_V2}`);
    active = roleA;
    // Point the real STS host at a closed local port, so an ignored variable fails fast and offline.
    const before = stsCallsSince(0).length;
    const servedBefore = served;
    const r = await run(
      CLI_V2,
      ['sts', 'get-caller-identity', '--output', 'json', '--cli-connect-timeout', '2', '--cli-read-timeout', '2'],
      { ...childEnv, HTTPS_PROXY: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' },
      60_000,
    );
    assert.notEqual(r.code, 0, 'CLI v2 2.9 reached STS without --endpoint-url: it now honours AWS_ENDPOINT_URL_STS; simplify the test above');
    assert.equal(stsCallsSince(0).length, before, 'the emulator saw a call');
    assert.ok(served > servedBefore, 'credentials were not fetched from the endpoint first');
    t.diagnostic(`stderr: ${r.stderr.trim().split('\n').at(-1)}`);
    assert.match(r.stderr, /sts\.amazonaws\.com|sts\.us-east-1\.amazonaws\.com|proxy/i);
  });

  test('CLI v1 shows the endpoint message when signed out, and no secret', async (t) => {
    const cli = findCliV1();
    if (!cli) return t.skip('AWS CLI v1 not found');
    const message = "Not signed in to AWS IAM Identity Center. Run 'AWS Identity Center: Sign In' in VS Code.";
    const out = server.bind('signed-out', async () => {
      throw new IdcError('sessionEnded', message);
    });
    try {
      const env = { ...childEnv, AWS_CONTAINER_CREDENTIALS_FULL_URI: out.url, AWS_CONTAINER_AUTHORIZATION_TOKEN: out.token };
      const r = await run(cli, ['sts', 'get-caller-identity', '--output', 'json'], env);
      assert.notEqual(r.code, 0);
      t.diagnostic(`stderr: ${r.stderr.trim().split('\n').at(-1)}`);
      assert.ok(r.stderr.includes('Sign In'), r.stderr);
      assert.ok(!r.stderr.includes(out.token));
      const wrong = await run(cli, ['sts', 'get-caller-identity'], { ...env, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'wrong' });
      assert.notEqual(wrong.code, 0);
      assert.ok(!wrong.stderr.includes(out.token));
      t.diagnostic(`wrong token stderr: ${wrong.stderr.trim().split('\n').at(-1)}`);
    } finally {
      out.dispose();
    }
  });

  test('JS SDK v3: fromContainerMetadata, fromHttp and the default chain return the held keys; STS answers the ARN', async (t) => {
    const { fromContainerMetadata, fromHttp, fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
    const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
    await withEnv(
      {
        ...endpointOnlyVars(),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: `${childEnv.HOME}/no-config`,
        AWS_SHARED_CREDENTIALS_FILE: `${childEnv.HOME}/no-credentials`,
      },
      async () => {
        for (const role of [roleA, roleB]) {
          active = role;
          const held = await broker.get(role);
          const viaMetadata = await fromContainerMetadata()();
          assert.equal(viaMetadata.accessKeyId, held.accessKeyId);
          assert.equal(viaMetadata.secretAccessKey, held.secretAccessKey);
          assert.equal(viaMetadata.sessionToken, held.sessionToken);
          assert.equal(viaMetadata.accountId, role.accountId, 'fromContainerMetadata reads AccountId');
          assert.ok(Math.abs(viaMetadata.expiration!.getTime() - held.expiration) < 1000);
          const viaHttp = await fromHttp()();
          assert.equal(viaHttp.accessKeyId, held.accessKeyId);
          assert.equal(viaHttp.sessionToken, held.sessionToken);
          const viaChain = await fromNodeProviderChain()();
          assert.equal(viaChain.accessKeyId, held.accessKeyId);

          const sts = new STSClient({ region: 'us-east-1', credentials: fromHttp() });
          try {
            const since = em.calls().length ? em.calls().at(-1)!.t : 0;
            const id = await sts.send(new GetCallerIdentityCommand({}));
            assert.ok(id.Arn?.startsWith(assumedRolePrefix(role)), `${id.Arn} is not ${roleKey(role)}`);
            assert.equal(id.Account, role.accountId);
            assert.equal(stsCallsSince(since).at(-1)?.accessKeyId, held.accessKeyId);
            t.diagnostic(`${roleKey(role)} → ${id.Arn}`);
          } finally {
            sts.destroy();
          }
        }
      },
    );
  });

  test('JS SDK v3: a long-lived client keeps its cached role after a switch; a new client gets the new role', async (t) => {
    const { fromHttp } = await import('@aws-sdk/credential-providers');
    const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
    await withEnv(endpointOnlyVars(), async () => {
      active = roleA;
      const longLived = new STSClient({ region: 'us-east-1', credentials: fromHttp() });
      try {
        const first = await longLived.send(new GetCallerIdentityCommand({}));
        assert.ok(first.Arn?.startsWith(assumedRolePrefix(roleA)));
        const servedBefore = served;
        active = roleB;
        const second = await longLived.send(new GetCallerIdentityCommand({}));
        // The SDK memoizes credentials until 5 minutes before they expire: no fetch, old role.
        assert.equal(served, servedBefore, 'the long-lived client fetched again');
        assert.ok(second.Arn?.startsWith(assumedRolePrefix(roleA)), `expected the cached role, got ${second.Arn}`);
        const fresh = new STSClient({ region: 'us-east-1', credentials: fromHttp() });
        try {
          const third = await fresh.send(new GetCallerIdentityCommand({}));
          assert.ok(third.Arn?.startsWith(assumedRolePrefix(roleB)), `${third.Arn}`);
        } finally {
          fresh.destroy();
        }
        t.diagnostic('an already-running JS process keeps the previous role until its credentials are within 5 minutes of expiry');
      } finally {
        longLived.destroy();
        active = roleA;
      }
    });
  });

  test('no refusals were logged for the real clients (apart from the deliberate wrong token)', () => {
    const unexpected = refusals.filter((l) => !l.includes('signed-out') && !l.includes('[credentialServer] refused 401'));
    assert.deepEqual(unexpected, []);
    assert.ok(served >= 10, `only ${served} successful fetches`);
  });
});
