// Issue: hardening. Bad input and hostile workspaces in a real VS Code: nothing crashes, the
// user is told what to do, and a workspace can never redirect where a token is sent.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { harness } from '../harness/bridgeClient';
import { api, emulator, START_URL, TestApi, signInAutoApproved, useEmulatorSettings } from './support';

const config = () => vscode.workspace.getConfiguration('awsIdc');
const user = vscode.ConfigurationTarget.Global;

suite('Hardening: bad input and hostile workspaces', function () {
  this.timeout(120_000);
  let a: TestApi;
  const awsConfig = path.join(os.homedir(), '.aws', 'config');

  suiteSetup(async function () {
    if (!harness.available) this.skip();
    a = await api();
    if (a.session.state.kind === 'signedIn') await vscode.commands.executeCommand('awsIdc.signOut');
    await useEmulatorSettings();
  });

  teardown(async () => {
    fs.rmSync(awsConfig, { force: true });
    await config().update('ssoSession', undefined, user);
    await useEmulatorSettings();
  });

  // Workspace settings that try to redirect the sign-in: test/vscode/settingsScope.test.ts.

  test('a start URL that is not https is refused before anything is sent', async () => {
    await config().update('startUrl', 'http://emulator.awsapps.com/start', user);
    await emulator().clearCalls();
    assert.strictEqual(await vscode.commands.executeCommand('awsIdc.signIn'), false);
    assert.strictEqual((await emulator().calls()).length, 0, 'no call reached Identity Center');
    assert.strictEqual(a.session.state.kind, 'signedOut');
  });

  test('a region that does not exist is refused before anything is sent', async () => {
    await config().update('region', 'moon-east-1', user);
    await emulator().clearCalls();
    assert.strictEqual(await vscode.commands.executeCommand('awsIdc.signIn'), false);
    assert.strictEqual((await emulator().calls()).length, 0);
  });

  test('with no settings, the [sso-session] of ~/.aws/config is used', async () => {
    await config().update('startUrl', undefined, user);
    await config().update('region', undefined, user);
    fs.mkdirSync(path.dirname(awsConfig), { recursive: true });
    fs.writeFileSync(awsConfig, `[sso-session emulator]\nsso_start_url = ${START_URL}\nsso_region = us-west-2\n`);
    assert.strictEqual(await signInAutoApproved(), true);
    assert.strictEqual(a.session.state.kind === 'signedIn' && a.session.state.region, 'us-west-2');
    await vscode.commands.executeCommand('awsIdc.signOut');
  });

  test('awsIdc.ssoSession naming a session that is not there ends with a message, not a crash', async () => {
    await config().update('startUrl', undefined, user);
    await config().update('region', undefined, user);
    await config().update('ssoSession', 'missing', user);
    fs.mkdirSync(path.dirname(awsConfig), { recursive: true });
    fs.writeFileSync(awsConfig, `[sso-session emulator]\nsso_start_url = ${START_URL}\nsso_region = us-west-2\n`);
    assert.strictEqual(await vscode.commands.executeCommand('awsIdc.signIn'), false);
    assert.strictEqual(a.session.state.kind, 'signedOut');
  });

  test('a malformed ~/.aws/config falls back to asking; Escape backs out cleanly', async () => {
    await config().update('startUrl', undefined, user);
    await config().update('region', undefined, user);
    fs.mkdirSync(path.dirname(awsConfig), { recursive: true });
    fs.writeFileSync(awsConfig, '[sso-session broken\nsso_start_url = = =\n\u0000\u0001');
    const result = vscode.commands.executeCommand('awsIdc.signIn');
    await harness.keys({ waitFor: '.quick-input-widget input', keys: ['Escape'] });
    assert.strictEqual(await result, false);
    assert.strictEqual(a.session.state.kind, 'signedOut');
  });

  test('settings of the wrong type fall back to defaults', async () => {
    await config().update('terminal.mode', 42, user);
    await config().update('warnBeforeExpiry', 'soon', user);
    await config().update('refreshBeforeExpiry', { minutes: 3 }, user);
    try {
      assert.strictEqual(await signInAutoApproved(), true);
      const role = a.catalog.allRoles()[0] ?? (await a.catalog.whenIdle(), a.catalog.allRoles()[0]);
      await a.active.set({ ...role, accountName: 'x' });
      await a.terminals.update();
      a.statusBar.render();
      assert.match(a.statusBar.last?.text ?? '', /^\$\(key\) x\//);
      const creds = await a.broker.get(role);
      assert.ok(creds.expiration > Date.now());
    } finally {
      await config().update('terminal.mode', undefined, user);
      await config().update('warnBeforeExpiry', undefined, user);
      await config().update('refreshBeforeExpiry', undefined, user);
    }
  });
});
