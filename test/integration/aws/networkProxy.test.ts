// Every AWS call through a real proxy: Debian's squid (plain CONNECT, its access.log as the
// witness, basic auth for 407) and a TLS-inspecting proxy re-signing with a "company" CA; the real
// SDK clients behind our request handler, the emulator behind a TLS front for the AWS names.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { IdentityCenter } from '../../../src/core/aws/identityCenter';
import { DEFAULT_NETWORK_SETTINGS, setNetworkSettings, type NetworkSettings } from '../../../src/core/aws/network';
import { IdcError, toIdcError } from '../../../src/core/common/errors';
import { assumeChainedRole } from '../../../src/core/credentials/assumeRole';
import { consoleLoginUrl } from '../../../src/core/credentials/consoleSignIn';
import { Emulator } from '../../emulator/server';
import { START_URL } from '../../support/emulator';
import { startInterceptingProxy, type InterceptingProxy } from '../../support/interceptingProxy';
import { withEnv } from '../../support/processes';
import { SQUID, startSquid, type Squid } from '../../support/squid';
import { tempDirs } from '../../support/tempDirs';
import { AWS_TEST_HOSTS, createTestCa, type TestCa } from '../../support/testCa';
import { startTlsFront, type TlsFront } from '../../support/tlsFront';
import { NO_MACHINE_NETWORK_OR_PROFILE } from '../../support/isolatedEnv';

const OIDC = 'oidc.us-east-1.amazonaws.com';
const PORTAL = 'portal.sso.us-east-1.amazonaws.com';
const dirs = tempDirs('awsidc-proxy-');
const skip = !SQUID && 'squid is not installed (npm test installs it: bash scripts/system-packages.sh proxy)';

/** No proxy, CA or profile from the machine running the tests: only what each test sets. */
const CLEAN_ENV = {
  ...NO_MACHINE_NETWORK_OR_PROFILE,
  NODE_EXTRA_CA_CERTS: undefined,
  AWS_CA_BUNDLE: undefined,
};

describe('AWS calls through a real proxy', { skip, timeout: 120_000 }, () => {
  let em: Emulator;
  let awsCa: TestCa;
  let companyCa: TestCa;
  let front: TlsFront;
  let squid: Squid;
  let authSquid: Squid;
  let inspector: InterceptingProxy;

  const settings = (s: Partial<NetworkSettings>): void => setNetworkSettings({ ...DEFAULT_NETWORK_SETTINGS, ...s });
  const client = (): Promise<IdentityCenter> =>
    IdentityCenter.create({ region: 'us-east-1', endpoints: { oidc: front.url(OIDC), portal: front.url(PORTAL) }, requestTimeoutMs: 5_000, maxAttempts: 1 });
  const inEnv = <T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> => withEnv({ ...CLEAN_ENV, ...vars }, fn);

  /** Sign-in, the account list and one role's credentials: the calls a user's first minute makes. */
  async function signInAndList(ic: IdentityCenter) {
    const reg = await ic.registerClient('proxy-test');
    const device = await ic.startDeviceAuthorization(reg, START_URL);
    const { accessToken } = await ic.createTokenWithDeviceCode(reg, device.deviceCode);
    const accounts = await ic.listAccounts(accessToken);
    const roles = await ic.listAccountRoles(accessToken, accounts.items[0].accountId);
    const creds = await ic.getRoleCredentials(accessToken, roles.items[0]);
    return { accessToken, accounts, creds };
  }

  /** squid logs a CONNECT when its tunnel closes: wait until the log stops growing. */
  async function settledLog(proxy: Squid): Promise<string[]> {
    let last = -1;
    for (let i = 0; i < 40; i++) {
      const lines = proxy.accessLog();
      if (lines.length === last) return lines;
      last = lines.length;
      await new Promise((r) => setTimeout(r, 250));
    }
    return proxy.accessLog();
  }

  async function failure(p: Promise<unknown>, step = 'Sign-in'): Promise<IdcError> {
    try {
      await p;
    } catch (e) {
      return toIdcError(e, step, { region: 'us-east-1' });
    }
    assert.fail('expected a failure');
  }

  before(async () => {
    const dir = dirs();
    em = await Emulator.start({ autoApprove: true, interval: 1, accounts: 2 });
    awsCa = createTestCa(dir, 'aws');
    companyCa = createTestCa(dir, 'company');
    front = await startTlsFront(em.url, awsCa.issue(AWS_TEST_HOSTS));
    squid = await startSquid();
    authSquid = await startSquid({ auth: { user: 'dev', password: 'proxy-pass-1' } });
    inspector = await startInterceptingProxy({ ca: companyCa, upstreamCa: awsCa.cert, hosts: AWS_TEST_HOSTS });
  });
  afterEach(() => setNetworkSettings(DEFAULT_NETWORK_SETTINGS));
  after(async () => {
    await Promise.all([squid?.stop(), authSquid?.stop(), inspector?.stop(), front?.stop()]);
    await em?.stop();
  });

  test('http.proxy: sign-in, accounts, role credentials, STS AssumeRole and the console federation all go through squid', async () => {
    settings({ proxy: squid.url });
    const before = (await settledLog(squid)).length;
    await inEnv({ AWS_CA_BUNDLE: awsCa.certFile, AWS_ENDPOINT_URL_STS: front.url('sts.amazonaws.com') }, async () => {
      const ic = await client();
      try {
        const { accounts, creds } = await signInAndList(ic);
        assert.ok(accounts.items.length >= 1);
        const chained = await assumeChainedRole(
          { name: 'deploy', roleArn: 'arn:aws:iam::444455556666:role/Deployer', source: { accountId: creds.accountId, roleName: creds.roleName } },
          creds,
          { region: 'us-east-1' },
        );
        assert.match(chained.accessKeyId, /^ASIA/);
        const url = await consoleLoginUrl(creds, 'us-east-1', { env: { AWS_ENDPOINT_URL_SIGNIN: front.url('signin.aws.amazon.com') } });
        assert.match(url, /SigninToken=/);
      } finally {
        ic.dispose();
      }
    });
    const log = (await settledLog(squid)).slice(before).join('\n');
    for (const host of [OIDC, PORTAL, 'sts.amazonaws.com', 'signin.aws.amazon.com'])
      assert.match(log, new RegExp(`CONNECT ${host.replace(/\./g, '\\.')}:${front.port}`));
    assert.doesNotMatch(log, /TCP_DENIED/);
  });

  test('http.proxy: one kept-alive tunnel per AWS host serves a whole sign-in and listing, not one tunnel per request', async () => {
    settings({ proxy: squid.url });
    const before = (await settledLog(squid)).length;
    em.clearCalls();
    const requests = await inEnv({ AWS_CA_BUNDLE: awsCa.certFile }, async () => {
      const ic = await client();
      try {
        const { accessToken, accounts } = await signInAndList(ic);
        for (const account of accounts.items) await ic.listAccountRoles(accessToken, account.accountId);
        return em.calls().length;
      } finally {
        ic.dispose(); // closes the kept-alive tunnels: squid logs a CONNECT when its tunnel ends
      }
    });
    const connects = (await settledLog(squid)).slice(before).filter((l) => / CONNECT /.test(l));
    console.log(`      (${connects.length} CONNECT tunnels for ${requests} requests)`);
    assert.ok(requests >= 7, `${requests} requests`);
    // One per host (OIDC, portal); a handful leaves room for a tunnel the proxy closed between calls.
    assert.ok(connects.length <= 3, `${connects.length} CONNECT tunnels for ${requests} requests:\n${connects.join('\n')}`);
  });

  test('HTTPS_PROXY is followed without http.proxy; NO_PROXY sends the request direct (the name does not resolve here)', async () => {
    await inEnv({ AWS_CA_BUNDLE: awsCa.certFile, https_proxy: squid.url }, async () => {
      const ic = await client();
      try {
        await signInAndList(ic);
      } finally {
        ic.dispose();
      }
    });
    const before = (await settledLog(squid)).length;
    const err = await inEnv({ AWS_CA_BUNDLE: awsCa.certFile, HTTPS_PROXY: squid.url, NO_PROXY: 'localhost,.amazonaws.com' }, async () => {
      const ic = await client();
      try {
        return await failure(ic.registerClient('bypass'));
      } finally {
        ic.dispose();
      }
    });
    assert.equal(err.causeName, 'ENOTFOUND');
    assert.equal((await settledLog(squid)).length, before, 'a NO_PROXY host never reaches the proxy');
  });

  test('a changed proxy setting applies to the next call of the same client, without a reload', async () => {
    await inEnv({ AWS_CA_BUNDLE: awsCa.certFile }, async () => {
      const ic = await client();
      try {
        assert.equal((await failure(ic.registerClient('direct'))).causeName, 'ENOTFOUND');
        settings({ proxy: squid.url });
        assert.ok((await ic.registerClient('proxied')).clientId);
      } finally {
        ic.dispose();
      }
    });
  });

  test('TLS inspection: the company CA from ca_bundle in ~/.aws/config, or from NODE_EXTRA_CA_CERTS, is trusted', async () => {
    settings({ proxy: inspector.url });
    const config = join(dirs(), 'config');
    writeFileSync(config, `[default]\nregion = us-east-1\nca_bundle = ${companyCa.certFile}\n`);
    for (const vars of [{ AWS_CONFIG_FILE: config }, { NODE_EXTRA_CA_CERTS: companyCa.certFile }]) {
      const seen = inspector.connects.length;
      await inEnv(vars, async () => {
        const ic = await client();
        try {
          await signInAndList(ic);
        } finally {
          ic.dispose();
        }
      });
      assert.ok(inspector.connects.slice(seen).includes(`${OIDC}:${front.port}`), 'the request went through the inspecting proxy');
    }
  });

  test('TLS inspection by an untrusted CA: a certificate message that says where to put the CA, never UnknownError', async () => {
    settings({ proxy: inspector.url });
    const err = await inEnv({ AWS_CA_BUNDLE: awsCa.certFile }, async () => {
      const ic = await client();
      try {
        return await failure(ic.registerClient('untrusted'));
      } finally {
        ic.dispose();
      }
    });
    assert.equal(err.kind, 'network');
    assert.match(
      err.message,
      /certificate presented for IAM Identity Center is not trusted \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\)/,
    );
    for (const where of ['NODE_EXTRA_CA_CERTS', 'AWS_CA_BUNDLE', 'ca_bundle']) assert.ok(err.message.includes(where), where);
    assert.doesNotMatch(err.message, /Unknown/);
  });

  test('a proxy asking for credentials (407): a clear message; credentials in the URL or http.proxyAuthorization work', async () => {
    await inEnv({ AWS_CA_BUNDLE: awsCa.certFile }, async () => {
      const ic = await client();
      try {
        settings({ proxy: authSquid.url });
        const err = await failure(ic.registerClient('no-auth'));
        assert.equal(err.causeName, 'ProxyAuthenticationRequired');
        assert.match(err.message, new RegExp(`the proxy ${authSquid.url.replace(/\./g, '\\.')} \\(from http\\.proxy\\) asked for credentials \\(HTTP 407\\)`));
        settings({ proxy: authSquid.authUrl! });
        assert.ok((await ic.registerClient('url-auth')).clientId);
        settings({ proxy: authSquid.url, proxyAuthorization: `Basic ${Buffer.from('dev:proxy-pass-1').toString('base64')}` });
        assert.ok((await ic.registerClient('header-auth')).clientId);
        assert.ok(!err.message.includes('proxy-pass-1'));
      } finally {
        ic.dispose();
      }
    });
  });

  test('an unreachable proxy names the proxy and where it was set', async () => {
    const err = await inEnv({ AWS_CA_BUNDLE: awsCa.certFile, HTTPS_PROXY: 'http://user:secret-pw@127.0.0.1:9' }, async () => {
      const ic = await client();
      try {
        return await failure(ic.registerClient('unreachable'));
      } finally {
        ic.dispose();
      }
    });
    assert.equal(err.causeName, 'ProxyUnreachable');
    assert.match(err.message, /the proxy http:\/\/127\.0\.0\.1:9 \(from HTTPS_PROXY\) could not be reached \(ECONNREFUSED\)/);
    assert.ok(!err.message.includes('secret-pw'));
  });
});
