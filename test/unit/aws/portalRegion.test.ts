// A vanity access portal URL's region, learned as the AWS CLI does: one request that does not follow
// the redirect, the region read from the AWS-owned host it names; through VS Code's proxy setting
// (a TLS-inspecting proxy here: the vanity name does not even resolve on this machine).
import { strict as assert } from 'node:assert';
import * as https from 'node:https';
import { after, afterEach, before, describe, test } from 'node:test';
import { DEFAULT_NETWORK_SETTINGS, setNetworkSettings } from '../../../src/core/aws/network';
import { learnPortalRegion } from '../../../src/core/aws/portalRegion';
import { startInterceptingProxy, type InterceptingProxy } from '../../support/interceptingProxy';
import { NO_MACHINE_NETWORK_OR_PROFILE } from '../../support/isolatedEnv';
import { withEnv } from '../../support/processes';
import { tempDirs } from '../../support/tempDirs';
import { createTestCa, type TestCa } from '../../support/testCa';

const VANITY = 'sso.corp-example.test';
const dirs = tempDirs('awsidc-vanity-');

describe('learnPortalRegion (vanity URLs)', { timeout: 60_000 }, () => {
  let siteCa: TestCa;
  let companyCa: TestCa;
  let site: https.Server;
  let port = 0;
  let proxy: InterceptingProxy;
  const seen: string[] = [];
  /** path → [status, location] */
  const answers: Record<string, [number, string?]> = {
    '/start': [302, 'https://ssoins-7223a1b2c3d4e5f6.portal.eu-west-1.app.aws/start/'],
    '/head-refused': [405],
    '/awsapps': [301, 'https://d-1234567890.awsapps.com/start'],
    '/elsewhere': [302, 'https://login.evil.example/start'],
    '/lookalike': [302, 'https://x.portal.eu-west-1.app.aws.evil.example/'],
    '/plain-http': [302, 'http://ssoins-1.portal.eu-west-1.app.aws/'],
    '/no-redirect': [200],
  };

  before(async () => {
    const dir = dirs();
    siteCa = createTestCa(dir, 'site');
    companyCa = createTestCa(dir, 'company');
    site = https.createServer(siteCa.issue([VANITY]), (req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const path = req.url ?? '';
      if (path === '/head-refused' && req.method === 'GET') return res.writeHead(302, { location: 'https://ssoins-1.us-east-2.portal.amazonaws.com/' }).end();
      const [status, location] = answers[path] ?? [404];
      res.writeHead(status, location ? { location } : {}).end();
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    port = (site.address() as { port: number }).port;
    proxy = await startInterceptingProxy({ ca: companyCa, upstreamCa: siteCa.cert, hosts: [VANITY] });
    setNetworkSettings({ ...DEFAULT_NETWORK_SETTINGS, proxy: proxy.url });
  });
  afterEach(() => (seen.length = 0));
  after(async () => {
    setNetworkSettings(DEFAULT_NETWORK_SETTINGS);
    await proxy.stop();
    site.closeAllConnections();
    await new Promise((r) => site.close(r));
  });

  const learn = (path: string) =>
    withEnv({ ...NO_MACHINE_NETWORK_OR_PROFILE, NODE_EXTRA_CA_CERTS: undefined, AWS_CA_BUNDLE: companyCa.certFile }, () =>
      learnPortalRegion(`https://${VANITY}:${port}${path}`),
    );

  test('a redirect to …portal.<region>.app.aws gives the region; one HEAD, not followed; through the proxy', async () => {
    assert.deepEqual(await learn('/start'), { resolvedUrl: 'https://ssoins-7223a1b2c3d4e5f6.portal.eu-west-1.app.aws/start', region: 'eu-west-1' });
    assert.deepEqual(seen, ['HEAD /start']);
    assert.ok(proxy.connects.includes(`${VANITY}:${port}`), 'the request went through the proxy setting');
  });

  test('HEAD refused (405): GET, as the CLI does', async () => {
    assert.deepEqual(await learn('/head-refused'), { resolvedUrl: 'https://ssoins-1.us-east-2.portal.amazonaws.com', region: 'us-east-2' });
    assert.deepEqual(seen, ['HEAD /head-refused', 'GET /head-refused']);
  });

  test('no region when it cannot tell: an AWS host without one, another host, a lookalike, plain http, no redirect', async () => {
    assert.deepEqual(await learn('/awsapps'), { resolvedUrl: 'https://d-1234567890.awsapps.com/start' });
    for (const path of ['/elsewhere', '/lookalike', '/plain-http', '/no-redirect', '/missing']) assert.deepEqual(await learn(path), {}, path);
  });

  test('AWS-owned URLs and unreachable ones are not probed', async () => {
    assert.deepEqual(await learnPortalRegion('https://my-org.awsapps.com/start'), {});
    assert.deepEqual(await learnPortalRegion('http://sso.corp-example.test/start'), {});
    setNetworkSettings(DEFAULT_NETWORK_SETTINGS);
    try {
      assert.deepEqual(
        await withEnv({ ...NO_MACHINE_NETWORK_OR_PROFILE }, () => learnPortalRegion(`https://${VANITY}:${port}/start`, { timeoutMs: 2_000 })),
        {},
      );
    } finally {
      setNetworkSettings({ ...DEFAULT_NETWORK_SETTINGS, proxy: proxy.url });
    }
    assert.deepEqual(seen, []);
  });
});
