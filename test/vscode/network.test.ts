// Issue 19: behind a corporate proxy and TLS inspection, in the real VS Code. The AWS names do not
// resolve here, so the extension reaches the emulator only through a proxy: Debian's squid (plain
// CONNECT, its access.log as the witness) or a TLS-inspecting proxy re-signing with a test CA.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { IdcError } from '../../src/core/common/errors';
import { harness } from '../harness/bridgeClient';
import { startInterceptingProxy, type InterceptingProxy } from '../support/interceptingProxy';
import { SQUID, startSquid, type Squid } from '../support/squid';
import { AWS_TEST_HOSTS, createTestCa, type TestCa } from '../support/testCa';
import { startTlsFront, type TlsFront } from '../support/tlsFront';
import { EmulatorControl } from '../emulator/client';
import { api, runInTerminal, START_URL, TestApi } from './support';

const OIDC = 'oidc.us-east-1.amazonaws.com';
const PORTAL = 'portal.sso.us-east-1.amazonaws.com';
/** A region no other suite signs in to: the session builds its client for it with this suite's endpoints. */
const REGION = 'eu-central-1';
const ENV_NAMES = ['AWS_ENDPOINT_URL_SSO_OIDC', 'AWS_ENDPOINT_URL_SSO', 'AWS_CA_BUNDLE', 'NODE_EXTRA_CA_CERTS'];
const HTTP_SETTINGS = ['proxy', 'noProxy', 'proxyStrictSSL'];

function cliV1(): string | undefined {
  return [process.env.AWSIDC_AWS_CLI_V1, '/root/.pyenv/versions/3.11.7/bin/aws'].find((c) => c && fs.existsSync(c));
}

/** The URL field of squid's native log lines (time elapsed client code/status bytes method URL …). */
const loggedUrls = (lines: string[]): string[] => lines.map((l) => l.trim().split(/\s+/)[6] ?? '');

async function setHttp(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('http').update(key, value, vscode.ConfigurationTarget.Global);
}

suite('Network', function () {
  this.timeout(180_000);
  let a: TestApi;
  let dir: string;
  let awsCa: TestCa;
  let companyCa: TestCa;
  let front: TlsFront;
  let squid: Squid;
  let inspector: InterceptingProxy;
  const savedEnv: Record<string, string | undefined> = {};
  const savedHttp: Record<string, unknown> = {};
  let savedRegion: unknown;
  let savedFlow: unknown;
  /** Made before the endpoint variables point at the AWS names (support's emulator() reads them). */
  let control: EmulatorControl;

  async function signInAutoApproved(): Promise<unknown> {
    await control.configure({ autoApprove: true });
    try {
      return await vscode.commands.executeCommand('awsIdc.signIn');
    } finally {
      await control.configure({ autoApprove: false });
    }
  }

  /** squid logs a CONNECT when its tunnel closes (idle tunnels close after 2 s): wait until the log stops growing. */
  async function settledLog(): Promise<string[]> {
    let last = -1;
    for (let i = 0; i < 40; i++) {
      const lines = squid.accessLog();
      if (lines.length === last) return lines;
      last = lines.length;
      await new Promise((r) => setTimeout(r, 1_500));
    }
    return squid.accessLog();
  }

  /** Log lines after `from` once they include every host in `hosts` (or 30 s have passed). */
  async function loggedSince(from: number, hosts: string[]): Promise<string[]> {
    const deadline = Date.now() + 30_000;
    let urls: string[] = [];
    while (Date.now() < deadline) {
      urls = loggedUrls(squid.accessLog().slice(from));
      if (hosts.every((h) => urls.includes(h))) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    return urls;
  }

  suiteSetup(async function () {
    if (!harness.available || !SQUID || !process.env.AWSIDC_EMULATOR_URL) this.skip();
    a = await api();
    for (const n of ENV_NAMES) savedEnv[n] = process.env[n];
    for (const k of HTTP_SETTINGS) savedHttp[k] = vscode.workspace.getConfiguration('http').inspect(k)?.globalValue;
    savedRegion = vscode.workspace.getConfiguration('awsIdc').inspect('region')?.globalValue;
    savedFlow = vscode.workspace.getConfiguration('awsIdc').inspect('signIn.flow')?.globalValue;
    // The AWS names exist only behind the proxy, which the harness's browser does not use: /authorize
    // could not open there. The device code keeps the browser out of it (its page is on the emulator's own host).
    await vscode.workspace.getConfiguration('awsIdc').update('signIn.flow', 'deviceCode', vscode.ConfigurationTarget.Global);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'awsidc-network-'));
    awsCa = createTestCa(dir, 'aws');
    companyCa = createTestCa(dir, 'company');
    front = await startTlsFront(process.env.AWSIDC_EMULATOR_URL!, awsCa.issue(AWS_TEST_HOSTS));
    squid = await startSquid({ idleTunnelSeconds: 2 });
    inspector = await startInterceptingProxy({ ca: companyCa, upstreamCa: awsCa.cert, hosts: AWS_TEST_HOSTS });
    if (a.session.state.kind === 'signedIn') await vscode.commands.executeCommand('awsIdc.signOut');
    control = EmulatorControl.fromEnv({ AWS_ENDPOINT_URL_SSO_OIDC: process.env.AWSIDC_EMULATOR_URL });
    await control.configure({ roleCredentialTtlSec: 3600, throttle: null });
    // The extension reaches Identity Center by its AWS names; only the proxy knows where they are.
    process.env.AWS_ENDPOINT_URL_SSO_OIDC = front.url(OIDC);
    process.env.AWS_ENDPOINT_URL_SSO = front.url(PORTAL);
    process.env.AWS_CA_BUNDLE = awsCa.certFile;
    // VS Code's own requests (the test bridge, the emulator control) stay off the proxy.
    await setHttp('noProxy', ['127.0.0.1', 'localhost']);
    const config = vscode.workspace.getConfiguration('awsIdc');
    await config.update('startUrl', START_URL, vscode.ConfigurationTarget.Global);
    await config.update('region', REGION, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    if (!a) return;
    if (a.session.state.kind === 'signedIn') await vscode.commands.executeCommand('awsIdc.signOut');
    for (const [k, v] of Object.entries(savedHttp)) await setHttp(k, v);
    await vscode.workspace.getConfiguration('awsIdc').update('region', savedRegion, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('awsIdc').update('signIn.flow', savedFlow, vscode.ConfigurationTarget.Global);
    for (const [k, v] of Object.entries(savedEnv))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    await Promise.all([squid?.stop(), inspector?.stop(), front?.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('with http.proxy set, the extension signs in and lists accounts through squid', async () => {
    await setHttp('proxy', squid.url);
    const before = (await settledLog()).length;
    const callsBefore = (await control.calls()).length;
    assert.strictEqual(await signInAutoApproved(), true, 'sign-in through the proxy');
    await a.catalog.whenIdle();
    assert.ok(a.catalog.accounts.length > 0, 'accounts listed');
    const urls = await loggedSince(
      before,
      [OIDC, PORTAL].map((h) => `${h}:${front.port}`),
    );
    for (const host of [OIDC, PORTAL]) assert.ok(urls.includes(`${host}:${front.port}`), `squid saw CONNECT ${host} (${urls.join(' ')})`);
    // Kept-alive tunnels: one per host serves the calls that follow it; squid ends a tunnel idle for
    // 2 s (the sign-in's pauses, longer on a busy machine), so a few more open. Measured: 6 (1.100)
    // and 8 (1.139) for 31 requests; before, one per request.
    const requests = (await control.calls()).length - callsBefore;
    const tunnels = (await settledLog()).slice(before).filter((l) => / CONNECT /.test(l)).length;
    console.log(`      (sign-in and listing through squid: ${tunnels} CONNECT tunnels for ${requests} requests)`);
    assert.ok(tunnels * 2 <= requests, `${tunnels} CONNECT tunnels for ${requests} requests: tunnels are not reused`);
    await harness.screenshot('network-signed-in-through-proxy');
  });

  test('TLS inspection: with the company CA in AWS_CA_BUNDLE, the listing goes through the inspecting proxy', async () => {
    await setHttp('proxy', inspector.url);
    process.env.AWS_CA_BUNDLE = companyCa.certFile;
    const seen = inspector.connects.length;
    await a.catalog.refresh();
    await a.catalog.whenIdle();
    assert.ok(a.catalog.accounts.length > 0);
    assert.ok(inspector.connects.slice(seen).includes(`${PORTAL}:${front.port}`), `inspected: ${inspector.connects.slice(seen).join(' ')}`);
  });

  test('TLS inspection by an untrusted CA: the message says it is a certificate problem and where to put the CA', async () => {
    await setHttp('proxy', inspector.url);
    process.env.AWS_CA_BUNDLE = awsCa.certFile;
    const visibleErrors = a.catalog.stats.userVisibleErrors;
    const failed = new Promise<IdcError>((resolve) => {
      const d = a.catalog.onDidFail((e) => {
        d.dispose();
        resolve(e);
      });
    });
    void a.catalog.refresh();
    const err = await failed;
    assert.match(err.message, /certificate presented for IAM Identity Center is not trusted/);
    for (const where of ['NODE_EXTRA_CA_CERTS', 'AWS_CA_BUNDLE', 'ca_bundle']) assert.ok(err.message.includes(where), where);
    assert.doesNotMatch(err.message, /UnknownError|Unknown/);
    assert.ok(await harness.waitForText('is not trusted', 15_000), 'the error notification shows the certificate message');
    await vscode.commands.executeCommand('notifications.showList');
    await new Promise((r) => setTimeout(r, 500));
    await harness.screenshot('network-untrusted-ca');
    await vscode.commands.executeCommand('notifications.hideList');
    await vscode.commands.executeCommand('notifications.clearAll');
    // The error was this test's own doing: later suites count the window's user-visible errors from zero.
    a.catalog.stats.userVisibleErrors = visibleErrors;
    // Trusted again for what follows.
    await setHttp('proxy', squid.url);
    await a.catalog.refresh();
    await a.catalog.whenIdle();
  });

  test('a terminal with HTTP(S)_PROXY set: the AWS CLI v1 is signed as the active role and squid never sees the loopback endpoint', async function () {
    const aws = cliV1();
    if (!aws) this.skip();
    await vscode.workspace.getConfiguration('awsIdc').update('terminal.mode', 'endpoint', vscode.ConfigurationTarget.Global);
    const role = a.catalog.allRoles()[0];
    await a.active.set({ ...role, accountName: a.catalog.account(role.accountId)!.accountName });
    await a.terminals.update();
    const terminal = vscode.window.createTerminal({
      name: 'awsidc proxy',
      // The user's proxy environment, as a corporate shell profile sets it; STS by its AWS name, via squid.
      env: { HTTP_PROXY: squid.url, HTTPS_PROXY: squid.url, AWS_ENDPOINT_URL_STS: front.url('sts.amazonaws.com'), AWS_CA_BUNDLE: awsCa.certFile },
    });
    terminal.show();
    try {
      const vars = await runInTerminal('echo "NO_PROXY=$NO_PROXY no_proxy=$no_proxy URI=$AWS_CONTAINER_CREDENTIALS_FULL_URI"', { terminal });
      assert.match(vars, /NO_PROXY=\S*127\.0\.0\.1\S* no_proxy=\S*127\.0\.0\.1/);
      assert.match(vars, /URI=http:\/\/127\.0\.0\.1:\d+\//);
      const before = (await settledLog()).length;
      const out = await runInTerminal(`${aws} sts get-caller-identity --output text --query Arn`, { terminal, timeoutMs: 60_000 });
      assert.match(out, new RegExp(`arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/`), out);
      // STS on the loopback address too (as the emulator is): NO_PROXY keeps the CLI off the proxy
      // for it (botocore sends it through HTTP_PROXY otherwise; measured).
      const direct = await runInTerminal(`AWS_ENDPOINT_URL_STS=${process.env.AWSIDC_EMULATOR_URL} ${aws} sts get-caller-identity --output text --query Arn`, {
        terminal,
        timeoutMs: 60_000,
      });
      assert.match(direct, new RegExp(`arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/`), direct);
      await loggedSince(before, [`sts.amazonaws.com:${front.port}`]);
      const urls = loggedUrls((await settledLog()).slice(before));
      assert.ok(urls.includes(`sts.amazonaws.com:${front.port}`), `the CLI used the proxy for STS (${urls.join(' ')})`);
      assert.deepStrictEqual(
        urls.filter((u) => /^(https?:\/\/)?(127\.0\.0\.1|localhost)[:/]/.test(u)),
        [],
        'no request for the loopback endpoint reached the proxy',
      );
      terminal.sendText(`${aws} sts get-caller-identity --output text --query Arn; echo "NO_PROXY=$NO_PROXY"`);
      await harness.waitForText('assumed-role', 30_000);
      await harness.screenshot('network-terminal-cli');
    } finally {
      terminal.dispose();
    }
  });
});
