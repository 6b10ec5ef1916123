// assumeChainedRole with the real SDK STS client against moto_server (a second, independent STS:
// signatures, trust policy, durations) and against the emulator's STS (every parameter on the wire,
// trust/MFA refusals, the MFA prompt).
import { strict as assert } from 'node:assert';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import * as net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { assumeChainedRole, AssumeChainedRoleOptions } from '../../../src/core/credentials/assumeRole';
import { ChainedRoleDefinition, chainedRoleDefinition, chainedRolesFrom } from '../../../src/core/credentials/chainedRoles';
import { CredentialBroker } from '../../../src/core/credentials/broker';
import { RoleCredentialsSecret } from '../../../src/core/common/model';
import { REGION, TARGET, SRC, withEnv, refusal, assertNoSecrets, emulatorSourceRole } from '../../support/chainedRoleFixtures';

// ---- moto_server ----

const MOTO_SOURCE_ACCOUNT = '111111111111';
/** How the portal names the source role; MOTO_SOURCE_ROLE is the IAM role behind it. */
const MOTO_SRC = { accountId: MOTO_SOURCE_ACCOUNT, roleName: 'AdministratorAccess' };
const MOTO_SOURCE_ROLE = 'AWSReservedSSO_AdministratorAccess_0123456789abcdef';
const MOTO_USER = 'developer@example.com';
const MOTO_TRUSTING = `arn:aws:iam::${MOTO_SOURCE_ACCOUNT}:role/Auditor`;
const MOTO_EXTERNAL_ID = 'partner-7f3a';

// moto has IAM; this SDK install has no IAM client, so boto3 (moto's own dependency) seeds it.
const MOTO_SEED = `
import json, sys, boto3
ep, cfg = sys.argv[1], json.loads(sys.argv[2])
kw = dict(endpoint_url=ep, region_name='us-east-1')
c = boto3.client('sts', aws_access_key_id='AKIAIOSFODNN7EXAMPLE', aws_secret_access_key='seed', **kw).assume_role(
    RoleArn='arn:aws:iam::%s:role/seed' % cfg['account'], RoleSessionName='seed')['Credentials']
iam = boto3.client('iam', aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken'], **kw)
doc = lambda st: json.dumps({'Version': '2012-10-17', 'Statement': [st]})
iam.create_role(RoleName=cfg['source'], AssumeRolePolicyDocument=doc({'Effect': 'Allow', 'Principal': {'AWS': '*'}, 'Action': 'sts:AssumeRole'}))
iam.put_role_policy(RoleName=cfg['source'], PolicyName='chain', PolicyDocument=doc({'Effect': 'Allow', 'Action': 'sts:AssumeRole', 'Resource': '*'}))
iam.create_role(RoleName='Auditor', AssumeRolePolicyDocument=doc({'Effect': 'Allow', 'Principal': {'AWS': cfg['principal']},
    'Action': 'sts:AssumeRole', 'Condition': {'StringEquals': {'sts:ExternalId': cfg['externalId']}}}))
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net
      .createServer()
      .listen(0, '127.0.0.1', () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      })
      .on('error', reject);
  });
}

function runPython(script: string, args: string[]): Promise<{ ok: boolean; stderr: string }> {
  return new Promise((resolve) => {
    execFile('python3', ['-c', script, ...args], { timeout: 20_000 }, (err, _stdout, stderr) => resolve({ ok: !err, stderr: String(stderr).slice(-500) }));
  });
}

describe('assumeChainedRole against moto_server', { timeout: 30_000 }, () => {
  let moto: ChildProcess | undefined;
  let url = '';
  let source: RoleCredentialsSecret;
  let authOn = false;
  let missing = false;
  const MISSING = 'moto_server is not on PATH (pip install "moto[server]")';
  const seen: RoleCredentialsSecret[] = [];
  const sts = (c: RoleCredentialsSecret) =>
    new STSClient({
      region: REGION,
      maxAttempts: 1,
      credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken },
    });
  const inMoto = <T>(fn: () => Promise<T>) => withEnv({ AWS_ENDPOINT_URL_STS: url }, fn);
  const assume = (def: ChainedRoleDefinition, creds = source, opts: Partial<AssumeChainedRoleOptions> = {}) =>
    inMoto(async () => {
      const c = await assumeChainedRole(def, creds, { region: REGION, ...opts });
      seen.push(c);
      return c;
    });

  before(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // Own process group, so after() ends exactly this server (and any child it forks) by id.
    moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore', detached: true });
    const spawned = moto;
    const failure = await new Promise<string | undefined>((resolve) => {
      let settled = false;
      const settle = (why?: string) => {
        if (!settled) {
          settled = true;
          resolve(why);
        }
      };
      spawned.once('error', (e: NodeJS.ErrnoException) => settle(e.code === 'ENOENT' ? 'missing' : e.message));
      spawned.once('exit', (code) => settle(`moto_server exited (${code})`));
      const started = Date.now();
      const poll = (): void => {
        if (settled) return;
        fetch(`${url}/moto-api/data.json`).then(
          () => settle(),
          () => {
            if (Date.now() - started > 20_000) settle('moto_server did not start within 20 s');
            else setTimeout(poll, 100);
          },
        );
      };
      poll();
    });
    if (failure === 'missing') {
      missing = true; // like the peer tests' CLIs: skipped, with the reason, where moto is not installed
      return;
    }
    if (failure) throw new Error(failure);
    const seeded = await runPython(MOTO_SEED, [
      url,
      JSON.stringify({
        account: MOTO_SOURCE_ACCOUNT,
        source: MOTO_SOURCE_ROLE,
        externalId: MOTO_EXTERNAL_ID,
        principal: `arn:aws:sts::${MOTO_SOURCE_ACCOUNT}:assumed-role/${MOTO_SOURCE_ROLE}/${MOTO_USER}`,
      }),
    ]);
    // The "Identity Center role" session: moto issues and remembers these keys, so it can verify
    // signatures made with them once authentication is on.
    const out = await inMoto(() =>
      new STSClient({ region: REGION, credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'anything' } }).send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MOTO_SOURCE_ACCOUNT}:role/${MOTO_SOURCE_ROLE}`, RoleSessionName: MOTO_USER }),
      ),
    );
    const c = out.Credentials!;
    source = {
      ...MOTO_SRC,
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
      expiration: c.Expiration!.getTime(),
    };
    seen.push(source);
    if (seeded.ok) {
      // From here on moto checks SigV4 signatures, identity policies and (same-account) trust policies.
      const r = await fetch(`${url}/moto-api/reset-auth`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '0' });
      authOn = r.ok;
    }
  });

  after(() => {
    if (moto?.pid !== undefined && moto.exitCode === null) {
      try {
        process.kill(-moto.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
  });

  test('cross-account: the chained keys are the target role for GetCallerIdentity; duration and extra parameters accepted', async (t) => {
    if (missing) return t.skip(MISSING);
    const prompts: string[] = [];
    const def: ChainedRoleDefinition = {
      name: 'deploy',
      roleArn: TARGET,
      source: MOTO_SRC,
      durationSeconds: 900,
      externalId: 'any-external-id',
      sourceIdentity: 'alice',
      mfaSerial: `arn:aws:iam::${MOTO_SOURCE_ACCOUNT}:mfa/alice`,
    };
    const before = Date.now();
    const creds = await assume(def, source, {
      mfaCode: async (d) => {
        prompts.push(d.name);
        return '123 456';
      },
      sessionName: MOTO_USER,
    });
    assert.deepEqual(prompts, ['deploy'], 'one prompt per AssumeRole');
    assert.deepEqual(
      { ...creds, accessKeyId: '', secretAccessKey: '', sessionToken: '', expiration: 0 },
      {
        accountId: '222233334444',
        roleName: 'Deployer',
        via: MOTO_SRC,
        chainName: 'deploy',
        accessKeyId: '',
        secretAccessKey: '',
        sessionToken: '',
        expiration: 0,
      },
    );
    assert.notEqual(creds.accessKeyId, source.accessKeyId);
    // moto: Expiration = now + DurationSeconds exactly.
    assert.ok(Math.abs(creds.expiration - (before + 900_000)) < 30_000, `expiration ${new Date(creds.expiration).toISOString()}`);
    const who = await inMoto(() => sts(creds).send(new GetCallerIdentityCommand({})));
    assert.equal(who.Arn, `arn:aws:sts::222233334444:assumed-role/Deployer/${MOTO_USER}`);
    assert.equal(who.Account, '222233334444');
    t.diagnostic(`moto, auth ${authOn ? 'on' : 'off'}: ${who.Arn}, expires in ${Math.round((creds.expiration - Date.now()) / 1000)} s`);
  });

  test('without DurationSeconds moto gives one hour; the session name defaults to awsidc-<source role>', async (t) => {
    if (missing) return t.skip(MISSING);
    const creds = await assume({ name: 'default', roleArn: 'arn:aws:iam::222233334444:role/Reader', source: MOTO_SRC });
    assert.ok(Math.abs(creds.expiration - (Date.now() + 3_600_000)) < 30_000);
    const who = await inMoto(() => sts(creds).send(new GetCallerIdentityCommand({})));
    assert.equal(who.Arn, `arn:aws:sts::222233334444:assumed-role/Reader/awsidc-${SRC.roleName}`);
  });

  test("moto enforces the trust policy's sts:ExternalId (same account): right id works, wrong id is a clear denial", async (t) => {
    if (missing) return t.skip(MISSING);
    if (!authOn) return t.skip('moto IAM could not be seeded with boto3, so authentication stays off');
    const def: ChainedRoleDefinition = { name: 'audit', roleArn: MOTO_TRUSTING, source: MOTO_SRC, externalId: MOTO_EXTERNAL_ID, roleSessionName: 'audit-run' };
    const ok = await assume(def);
    const who = await inMoto(() => sts(ok).send(new GetCallerIdentityCommand({})));
    assert.equal(who.Arn, `arn:aws:sts::${MOTO_SOURCE_ACCOUNT}:assumed-role/Auditor/audit-run`);
    const err = await refusal(assume({ ...def, externalId: 'wrong-id' }));
    assert.equal(err.kind, 'denied');
    assert.equal(err.causeName, 'AccessDenied');
    assert.match(err.message, /Assuming "audit" \(arn:aws:iam::111111111111:role\/Auditor\) from AdministratorAccess in 111111111111 was denied/);
    assert.match(err.message, /trust policy/);
    assert.match(err.message, /externalId matches the trust policy's sts:ExternalId/);
    assert.ok(!err.message.includes('wrong-id'), 'the external id is not echoed');
    assertNoSecrets(err.message, seen);
  });

  test('moto verifies the SigV4 signature with the source secret: a wrong one is refused with advice, not the secret', async (t) => {
    if (missing) return t.skip(MISSING);
    if (!authOn) return t.skip('moto IAM could not be seeded with boto3, so authentication stays off');
    const forged = { ...source, secretAccessKey: `${source.secretAccessKey.slice(0, -4)}AAAA` };
    const err = await refusal(assume({ name: 'deploy', roleArn: TARGET, source: MOTO_SRC }, forged));
    assert.equal(err.causeName, 'SignatureDoesNotMatch');
    assert.match(err.message, /did not accept the AdministratorAccess credentials that signed the request \(SignatureDoesNotMatch\)/);
    assertNoSecrets(err.message, [...seen, forged]);
  });
});

// ---- the emulator's STS ----

describe('assumeChainedRole against the emulator STS', { timeout: 30_000 }, () => {
  const fx = emulatorSourceRole();
  const MFA = 'arn:aws:iam::111122223333:mfa/alice';
  const targetArn = 'arn:aws:iam::444455556666:role/Deployer';
  const def = (extra: Partial<ChainedRoleDefinition> = {}): ChainedRoleDefinition => ({
    name: 'deploy',
    roleArn: targetArn,
    source: { accountId: fx.sourceRole.accountId, roleName: fx.sourceRole.roleName },
    ...extra,
  });
  const inEmu = <T>(fn: () => Promise<T>) => withEnv({ AWS_ENDPOINT_URL_STS: fx.em.url }, fn);
  const assume = (d: ChainedRoleDefinition, opts: Partial<AssumeChainedRoleOptions> = {}, creds = fx.source) =>
    inEmu(() => assumeChainedRole(d, creds, { region: REGION, ...opts }));
  const lastAssume = () => fx.em.calls({ operation: 'AssumeRole' }).at(-1);
  const secrets = () => fx.em.issuedSecrets();

  test("every parameter reaches STS, signed with the source role's key; the result works for GetCallerIdentity", async () => {
    let prompts = 0;
    const d = def({ externalId: 'ext-123', mfaSerial: MFA, durationSeconds: 1800, sourceIdentity: 'alice', roleSessionName: 'alice-deploy' });
    const creds = await assume(d, {
      mfaCode: async () => {
        prompts++;
        return '246810';
      },
    });
    assert.equal(prompts, 1);
    const entry = lastAssume();
    assert.ok(entry);
    assert.deepEqual(
      {
        status: entry.status,
        accessKeyId: entry.accessKeyId,
        roleArn: entry.roleArn,
        roleSessionName: entry.roleSessionName,
        externalId: entry.externalId,
        sourceIdentity: entry.sourceIdentity,
        serialNumber: entry.serialNumber,
        tokenCode: entry.tokenCode,
        durationSeconds: entry.durationSeconds,
      },
      {
        status: 200,
        accessKeyId: fx.source.accessKeyId,
        roleArn: targetArn,
        roleSessionName: 'alice-deploy',
        externalId: 'ext-123',
        sourceIdentity: 'alice',
        serialNumber: MFA,
        tokenCode: '246810',
        durationSeconds: 1800,
      },
    );
    assert.ok(Math.abs(creds.expiration - (Date.now() + 1_800_000)) < 5_000);
    const who = await inEmu(() =>
      new STSClient({
        region: REGION,
        maxAttempts: 1,
        credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken },
      }).send(new GetCallerIdentityCommand({})),
    );
    assert.equal(who.Arn, 'arn:aws:sts::444455556666:assumed-role/Deployer/alice-deploy');
  });

  test('optional parameters left out are not sent; the session name comes from options or the source role', async () => {
    await assume(def());
    const bare = lastAssume()!;
    assert.equal(bare.roleSessionName, `awsidc-${fx.sourceRole.roleName}`);
    for (const k of ['externalId', 'sourceIdentity', 'serialNumber', 'tokenCode', 'durationSeconds'] as const) assert.equal(bare[k], undefined, k);
    await assume(def(), { sessionName: 'developer@example.com' });
    assert.equal(lastAssume()!.roleSessionName, 'developer@example.com');
  });

  test('a wrong or missing external id is refused with a message about the trust policy', async () => {
    fx.em.configure({ assumeRoleRequirements: { [targetArn]: { externalId: 'right-id' } } });
    try {
      const wrong = await refusal(assume(def({ externalId: 'wrong-id' })));
      assert.equal(wrong.kind, 'denied');
      assert.match(wrong.message, /was denied\. Check that the role's trust policy lets the Identity Center role .* externalId matches/);
      const missing = await refusal(assume(def()));
      assert.match(missing.message, /if it does, add "externalId"/);
      for (const e of [wrong, missing]) assertNoSecrets(e.message, [fx.source], secrets());
      await assume(def({ externalId: 'right-id' }));
      assert.equal(lastAssume()!.status, 200);
    } finally {
      fx.em.configure({ assumeRoleRequirements: {} });
    }
  });

  test('MFA: missing, wrong and right codes; one prompt per fetch through a broker; cached keys need no prompt', async () => {
    fx.em.configure({ assumeRoleRequirements: { [targetArn]: { mfaSerial: MFA, mfaCode: '135790' } } });
    try {
      const noMfa = await refusal(assume(def()));
      assert.match(noMfa.message, /was denied/);
      const wrong = await refusal(assume(def({ mfaSerial: MFA }), { mfaCode: async () => '000000' }));
      assert.equal(wrong.kind, 'denied');
      assert.match(wrong.message, /the MFA code was not accepted\. Wait for the next code from arn:aws:iam::111122223333:mfa\/alice/);
      assertNoSecrets(wrong.message, [fx.source], secrets());

      // Routed like any other role: the broker fetches chained refs through assumeChainedRole.
      const defs = [def({ mfaSerial: MFA })];
      let prompts = 0;
      const broker: CredentialBroker = new CredentialBroker({
        refreshBeforeMs: () => 15 * 60_000,
        fetch: async (role) => {
          const chained = chainedRoleDefinition(defs, role);
          if (!chained || !role.via) return fx.session.ic.getRoleCredentials(fx.session.accessToken, role);
          return assume(
            chained,
            {
              mfaCode: async () => {
                prompts++;
                return '135790';
              },
            },
            await broker.get(role.via),
          );
        },
      });
      const [ref] = chainedRolesFrom(defs, fx.sourceRole);
      const first = await broker.get(ref);
      const again = await broker.get(ref);
      assert.equal(prompts, 1, 'the second get is served from the cache');
      assert.equal(again.accessKeyId, first.accessKeyId);
      assert.equal(first.chainName, 'deploy');
      assert.deepEqual(first.via, { accountId: fx.sourceRole.accountId, roleName: fx.sourceRole.roleName });
      assert.notEqual(broker.peek(fx.sourceRole)?.accessKeyId, first.accessKeyId, 'source and chained role are cached apart');
      assert.equal(lastAssume()!.accessKeyId, broker.peek(fx.sourceRole)?.accessKeyId, "signed with the source role's key");
      broker.dispose();
    } finally {
      fx.em.configure({ assumeRoleRequirements: {} });
    }
  });

  test('a cancelled MFA prompt, malformed codes and no prompt at all stop before any request', async () => {
    const calls = fx.em.calls({ operation: 'AssumeRole' }).length;
    const cancelled = await refusal(assume(def({ mfaSerial: MFA }), { mfaCode: async () => undefined }));
    assert.equal(cancelled.kind, 'cancelled');
    assert.match(cancelled.message, /^MFA code needed to assume "deploy": the prompt was cancelled/);
    const none = await refusal(assume(def({ mfaSerial: MFA })));
    assert.match(none.message, /^MFA code needed to assume "deploy"/);
    const problems: (string | undefined)[] = [];
    const malformed = await refusal(
      assume(def({ mfaSerial: MFA }), {
        mfaCode: async (_d, problem) => {
          problems.push(problem);
          return '12345';
        },
      }),
    );
    assert.equal(problems.length, 3);
    assert.deepEqual(
      problems.slice(1).map((p) => /6 digits/.test(p ?? '')),
      [true, true],
    );
    assert.match(malformed.message, /must be the 6 digits/);
    assert.equal(fx.em.calls({ operation: 'AssumeRole' }).length, calls, 'no AssumeRole was sent');
    // A typo, then a good code: asked twice, sent once.
    let asked = 0;
    await assume(def({ mfaSerial: MFA }), { mfaCode: async () => (++asked === 1 ? '12a456' : '654321') });
    assert.equal(asked, 2);
    assert.equal(lastAssume()!.tokenCode, '654321');
  });

  test('STS refusals become advice: chaining over one hour, unknown source keys, cancellation', async () => {
    const long = await refusal(assume(def({ durationSeconds: 7200 }))); // the parser refuses this; STS must too
    assert.equal(long.causeName, 'ValidationError');
    assert.match(long.message, /lasts at most one hour/);
    const unknown = await refusal(assume(def(), {}, { ...fx.source, accessKeyId: 'ASIAUNKNOWNUNKNOWN00' }));
    assert.equal(unknown.causeName, 'InvalidClientTokenId');
    assert.match(unknown.message, /did not accept the .* credentials that signed the request/);
    const ac = new AbortController();
    ac.abort();
    const aborted = await refusal(assume(def(), { signal: ac.signal }));
    assert.equal(aborted.kind, 'cancelled');
    for (const e of [long, unknown, aborted]) assertNoSecrets(e.message, [fx.source], secrets());
  });

  test('an unreachable STS endpoint is a network error that names AWS_ENDPOINT_URL_STS', async () => {
    const closed = await freePort();
    const err = await refusal(
      withEnv({ AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${closed}` }, () =>
        assumeChainedRole({ name: 'deploy', roleArn: TARGET, source: fx.sourceRole }, fx.source, { region: REGION }),
      ),
    );
    assert.equal(err.kind, 'network');
    assert.match(err.message, /could not be reached \(ECONNREFUSED\).*AWS_ENDPOINT_URL_STS/);
    assertNoSecrets(err.message, [fx.source], secrets());
  });
});
