// Issue 24 item 4: where tokens travel. The real SDK clients follow AWS_ENDPOINT_URL (and the
// service-specific variables) wherever they point; a token-carrying request over plain http to a
// host that is not loopback is refused before a byte leaves. The witness is a listening socket set
// as the proxy every AWS call goes through: it would see the request (client secret and all) first.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { IdentityCenter } from '../../../src/core/aws/identityCenter';
import { DEFAULT_NETWORK_SETTINGS, setNetworkSettings } from '../../../src/core/aws/network';
import { IdcError } from '../../../src/core/common/errors';
import { assumeChainedRole } from '../../../src/core/credentials/assumeRole';
import type { RoleCredentialsSecret } from '../../../src/core/common/model';
import { Emulator } from '../../emulator/server';
import { withEnv } from '../../support/processes';
import { NO_MACHINE_NETWORK_OR_PROFILE } from '../../support/isolatedEnv';

/** Nothing from the machine running the tests: no proxy variables, no AWS config. */
const CLEAN_ENV = {
  ...NO_MACHINE_NETWORK_OR_PROFILE,
  AWS_ENDPOINT_URL: undefined,
  AWS_ENDPOINT_URL_SSO_OIDC: undefined,
  AWS_ENDPOINT_URL_SSO: undefined,
  AWS_ENDPOINT_URL_STS: undefined,
  AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: undefined,
};

const REGISTRATION = { clientId: 'client-id', clientSecret: 'CLIENT-SECRET-VALUE', expiresAt: Date.now() + 3600_000, region: 'us-east-1', scopes: [] };
const SOURCE: RoleCredentialsSecret = {
  accountId: '111111111111',
  roleName: 'Admin',
  accessKeyId: 'ASIAEXAMPLEEXAMPLE00',
  secretAccessKey: 'secret',
  sessionToken: 'SESSION-TOKEN-VALUE',
  expiration: Date.now() + 3600_000,
};

/** A socket that counts what reaches it and answers nothing (closes at once). */
function witness(): Promise<{ port: number; connections: () => number; bytes: () => number; close(): void }> {
  let connections = 0;
  let bytes = 0;
  const server = net.createServer((socket) => {
    connections++;
    socket.on('data', (d) => (bytes += d.length));
    socket.on('error', () => undefined);
    setTimeout(() => socket.destroy(), 50);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        connections: () => connections,
        bytes: () => bytes,
        close: () => server.close(),
      }),
    ),
  );
}

describe('tokens only over https or to loopback', { timeout: 60_000 }, () => {
  let proxy: Awaited<ReturnType<typeof witness>>;
  before(async () => {
    proxy = await witness();
    setNetworkSettings({ ...DEFAULT_NETWORK_SETTINGS, proxy: `http://127.0.0.1:${proxy.port}`, systemCertificates: false });
  });
  after(() => {
    setNetworkSettings(DEFAULT_NETWORK_SETTINGS);
    proxy.close();
  });

  const refusedBeforeSending = async (what: string, call: () => Promise<unknown>) => {
    const before = proxy.connections();
    await assert.rejects(call(), (e: unknown) => {
      assert.ok(e instanceof IdcError, `${what}: refused by us, not a network failure (${(e as Error)?.name}: ${(e as Error)?.message})`);
      assert.match(e.message, /localhost\.example/, 'the message names the host');
      assert.doesNotMatch(e.message, /CLIENT-SECRET-VALUE|REFRESH-TOKEN-VALUE|ACCESS-TOKEN-VALUE|SESSION-TOKEN-VALUE/);
      return true;
    });
    await new Promise((r) => setTimeout(r, 200));
    assert.strictEqual(proxy.connections() - before, 0, `${what}: the socket saw no connection`);
  };

  test('AWS_ENDPOINT_URL=http://localhost.example: the client secret, refresh token and access token are never sent', () =>
    withEnv({ ...CLEAN_ENV, AWS_ENDPOINT_URL: 'http://localhost.example:4566' }, async () => {
      const ic = await IdentityCenter.create({ region: 'us-east-1', maxAttempts: 1, requestTimeoutMs: 2_000 });
      try {
        await refusedBeforeSending('RegisterClient', () => ic.registerClient('guard-test'));
        await refusedBeforeSending('StartDeviceAuthorization', () => ic.startDeviceAuthorization(REGISTRATION, 'https://x.awsapps.com/start'));
        await refusedBeforeSending('CreateToken (refresh)', () => ic.createTokenWithRefreshToken(REGISTRATION, 'REFRESH-TOKEN-VALUE'));
        await refusedBeforeSending('GetRoleCredentials', () => ic.getRoleCredentials('ACCESS-TOKEN-VALUE', { accountId: '111111111111', roleName: 'Admin' }));
        await refusedBeforeSending('ListAccounts', () => ic.listAccounts('ACCESS-TOKEN-VALUE'));
      } finally {
        ic.dispose();
      }
      assert.strictEqual(proxy.bytes(), 0);
    }));

  test('a profile’s endpoint_url = http://localhost.example in ~/.aws/config: the access token is never sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'awsidc-guard-'));
    const config = join(dir, 'config');
    writeFileSync(config, '[default]\nendpoint_url = http://localhost.example:4566\n');
    try {
      await withEnv({ ...CLEAN_ENV, AWS_CONFIG_FILE: config }, async () => {
        const ic = await IdentityCenter.create({ region: 'us-east-1', maxAttempts: 1, requestTimeoutMs: 2_000 });
        try {
          await refusedBeforeSending('ListAccounts', () => ic.listAccounts('ACCESS-TOKEN-VALUE'));
        } finally {
          ic.dispose();
        }
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('AWS_ENDPOINT_URL_STS=http://sts.localhost.example: AssumeRole is never sent with the session token', () =>
    withEnv({ ...CLEAN_ENV, AWS_ENDPOINT_URL_STS: 'http://sts.localhost.example:4566' }, async () => {
      await refusedBeforeSending('AssumeRole', () =>
        assumeChainedRole({ name: 'chain', roleArn: 'arn:aws:iam::222222222222:role/Target' } as never, SOURCE, {
          region: 'us-east-1',
          sessionName: 'guard-test',
        }),
      );
      assert.strictEqual(proxy.bytes(), 0);
    }));

  test('https to a host that is not AWS is named to the user once, however many calls go there', () =>
    withEnv({ ...CLEAN_ENV, AWS_ENDPOINT_URL_SSO: 'https://idc-proxy.corp.example' }, async () => {
      const { setEndpointNotice } = await import('../../../src/core/aws/endpointGuard');
      const notices: string[] = [];
      setEndpointNotice((m) => notices.push(m));
      const ic = await IdentityCenter.create({ region: 'us-east-1', maxAttempts: 1, requestTimeoutMs: 2_000 });
      try {
        for (let i = 0; i < 3; i++) await assert.rejects(ic.listAccounts('ACCESS-TOKEN-VALUE'));
      } finally {
        ic.dispose();
        setEndpointNotice(() => undefined);
      }
      assert.strictEqual(notices.length, 1, `named once: ${JSON.stringify(notices)}`);
      assert.match(notices[0], /idc-proxy\.corp\.example/);
      assert.doesNotMatch(notices[0], /ACCESS-TOKEN-VALUE/);
    }));
});

describe('the verification page the server names', { timeout: 60_000 }, () => {
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
  });

  test('http to a host that is not loopback is refused before anything opens it; the emulator’s own (http://device.sso.localhost) is accepted', async () => {
    for (const [host, accepted] of [
      ['device.sso.localhost', true],
      ['device.attacker.example', false],
    ] as const) {
      emulator = await Emulator.start({ accounts: 1, verificationHost: host });
      const ic = await IdentityCenter.create({ region: 'us-east-1', endpoints: { oidc: emulator.url, portal: emulator.url }, maxAttempts: 1 });
      try {
        const reg = await ic.registerClient('guard-test');
        const started = ic.startDeviceAuthorization(reg, 'https://emulator.awsapps.com/start');
        if (accepted) assert.match((await started).verificationUriComplete, /^http:\/\/device\.sso\.localhost:/);
        else
          await assert.rejects(started, (e: unknown) => {
            assert.ok(e instanceof IdcError, `refused: ${(e as Error)?.message}`);
            assert.match(e.message, /verification page/);
            return true;
          });
      } finally {
        ic.dispose();
        await emulator.stop();
        emulator = undefined;
      }
    }
  });
});
