// Issue 26: sign-in with the authorization code and PKCE in a real VS Code. The harness's browser
// (Playwright) opens /authorize, clicks Allow on the emulator's consent page and follows the
// redirect to the extension host's loopback listener. Every code-server window is a web window,
// so the flow is forced with the user setting, as the suites do; `auto` there is the device code.
import * as assert from 'assert';
import * as net from 'net';
import * as vscode from 'vscode';
import { harness } from '../harness/bridgeClient';
import { emulator, signedOutWith, START_URL, TestApi, useEmulatorSettings, waitFor } from './support';

const config = () => vscode.workspace.getConfiguration('awsIdc');
const user = vscode.ConfigurationTarget.Global;
const APP_AWS_URL = 'https://ssoins-7223a1b2c3d4e5f6.portal.eu-west-1.app.aws';

/** Whether `port` on 127.0.0.1 can be bound again (the listener let it go). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

suite('Sign-in with the authorization code (PKCE)', function () {
  this.timeout(120_000);
  let a: TestApi;
  let flowBefore: unknown;

  suiteSetup(async function () {
    if (!harness.available) this.skip();
    a = await signedOutWith({ accounts: 12, autoApprove: false, throttle: null, interval: 1 });
    flowBefore = config().inspect('signIn.flow')?.globalValue;
    await config().update('signIn.flow', 'authorizationCode', user);
    await vscode.commands.executeCommand('workbench.view.extension.awsIdc');
  });

  suiteTeardown(async () => {
    a.signIn.redirectTimeoutMs = undefined;
    await harness.setVerification('allow');
    if (a.session.state.kind === 'signedIn') await vscode.commands.executeCommand('awsIdc.signOut');
    await config().update('signIn.flow', flowBefore, user);
    await emulator().configure({ autoApprove: false });
    await useEmulatorSettings();
  });

  test('what this window is and what asExternalUri gives for a loopback address (recorded for the flow choice)', async () => {
    const external = await vscode.env.asExternalUri(vscode.Uri.parse('http://127.0.0.1:45678/oauth/callback'));
    console.log(
      `[pkce] uiKind=${vscode.env.uiKind === vscode.UIKind.Web ? 'Web' : 'Desktop'} remoteName=${vscode.env.remoteName ?? ''} asExternalUri(http://127.0.0.1:45678/oauth/callback)=${external.toString(true)}`,
    );
    assert.strictEqual(vscode.env.uiKind, vscode.UIKind.Web, 'code-server windows are web windows');
  });

  test('Sign In opens one browser page; one Allow signs in; no device authorization; the tree fills', async () => {
    await emulator().clearCalls();
    const visitsBefore = (await harness.verification()).visits.length;
    await harness.setVerification('allow');
    assert.strictEqual(await vscode.commands.executeCommand('awsIdc.signIn'), true);
    assert.strictEqual(a.session.state.kind, 'signedIn');
    const visits = (await harness.verification()).visits.slice(visitsBefore);
    assert.strictEqual(visits.length, 1, `one browser page: ${JSON.stringify(visits.map((v) => v.url.replace(/\?.*/, '')))}`);
    assert.match(visits[0].url, /\/authorize\/consent\?request=/);
    assert.match(visits[0].result ?? '', /Signed in to AWS IAM Identity Center.*close this tab/, 'the page the listener answered with');
    const ops = (await emulator().calls()).map((c) => c.operation);
    assert.strictEqual(ops.filter((o) => o === 'StartDeviceAuthorization').length, 0, 'no device authorization');
    assert.deepStrictEqual(
      ops.filter((o) => o === 'Authorize' || o === 'AuthorizeSubmit'),
      ['Authorize', 'AuthorizeSubmit'],
    );
    const grants = (await emulator().calls({ operation: 'CreateToken' })).map((c) => [c.grantType, c.status]);
    assert.deepStrictEqual(grants, [['authorization_code', 200]]);
    await a.catalog.whenIdle();
    const nodes = await waitFor('accounts in the tree', async () => ((await a.tree.getChildren()) ?? []).length || undefined);
    assert.strictEqual(nodes, (await emulator().accounts()).length);
    assert.ok(a.signIn.redirectPort && (await portIsFree(a.signIn.redirectPort)), 'the listener freed its port');
    await harness.screenshot('pkce-signed-in');
    await vscode.commands.executeCommand('awsIdc.signOut');
  });

  test('Deny in the browser ends signed out with a message; the port is freed', async () => {
    await harness.setVerification('deny');
    assert.strictEqual(await vscode.commands.executeCommand('awsIdc.signIn'), false);
    assert.strictEqual(a.session.state.kind, 'signedOut');
    assert.match((await harness.verification()).visits.at(-1)?.result ?? '', /Sign-in denied/);
    assert.ok(await harness.waitForText('denied in the browser', 10_000), 'the error message says so');
    assert.ok(a.signIn.redirectPort && (await portIsFree(a.signIn.redirectPort)));
    await harness.setVerification('allow');
  });

  test('Cancel on the progress notification closes the listener and frees the port', async () => {
    await harness.setVerification('ignore');
    a.signIn.redirectPort = undefined;
    const running = vscode.commands.executeCommand('awsIdc.signIn');
    const port = await waitFor('the listener', () => a.signIn.redirectPort);
    assert.strictEqual(await portIsFree(port), false, 'listening while the browser has not come back');
    await vscode.commands.executeCommand('notifications.showList');
    await harness.click('.notifications-center .notification-list-item:has-text("sign-in") .monaco-button:has-text("Cancel")');
    assert.strictEqual(await running, false);
    assert.strictEqual(a.session.state.kind, 'signedOut');
    assert.ok(await portIsFree(port), 'freed after cancel');
    await vscode.commands.executeCommand('notifications.hideList');
  });

  test('a timeout closes the listener and frees the port, with a message that says what to do', async () => {
    await harness.setVerification('ignore');
    a.signIn.redirectTimeoutMs = 2_000;
    a.signIn.redirectPort = undefined;
    try {
      assert.strictEqual(await vscode.commands.executeCommand('awsIdc.signIn'), false);
    } finally {
      a.signIn.redirectTimeoutMs = undefined;
    }
    assert.ok(a.signIn.redirectPort && (await portIsFree(a.signIn.redirectPort)));
    assert.ok(await harness.waitForText('did not come back', 10_000));
    await harness.setVerification('allow');
  });

  test('auto in a web window signs in with the device code', async () => {
    await config().update('signIn.flow', 'auto', user);
    try {
      await emulator().clearCalls();
      await harness.setVerification('allow');
      assert.strictEqual(await vscode.commands.executeCommand('awsIdc.signIn'), true);
      const ops = (await emulator().calls()).map((c) => c.operation);
      assert.strictEqual(ops.filter((o) => o === 'StartDeviceAuthorization').length, 1);
      assert.strictEqual(ops.filter((o) => o === 'Authorize').length, 0);
      await vscode.commands.executeCommand('awsIdc.signOut');
    } finally {
      await config().update('signIn.flow', 'authorizationCode', user);
    }
  });

  test('a …portal.<region>.app.aws URL typed at Sign In: no warning, no region question, signed in to that region', async () => {
    for (const key of ['startUrl', 'region', 'ssoSession'] as const) await config().update(key, undefined, user);
    await emulator().configure({ startUrl: [START_URL, APP_AWS_URL], autoApprove: true });
    const running = vscode.commands.executeCommand('awsIdc.signIn');
    await harness.keys({ waitFor: '.quick-input-widget input', text: APP_AWS_URL, keys: [{ wait: 600 }] });
    await harness.screenshot('pkce-app-aws-url');
    assert.strictEqual(await harness.waitForText('custom domain', 1_500), false, 'no warning for an AWS-owned portal');
    await harness.keys({ keys: ['Enter'] });
    assert.strictEqual(await harness.waitForText('IAM Identity Center region', 2_000), false, 'no region question');
    assert.strictEqual(await running, true);
    assert.strictEqual(a.session.state.kind === 'signedIn' && a.session.state.startUrl, APP_AWS_URL);
    assert.strictEqual(a.session.state.kind === 'signedIn' && a.session.state.region, 'eu-west-1');
    await vscode.commands.executeCommand('awsIdc.signOut');
    await emulator().configure({ startUrl: [START_URL], autoApprove: false });
  });
});
