// Where the settings that decide where a token goes may come from. A portal written once into the
// User settings file (as a person edits it) must work in this window, which in code-server is a
// remote window like Remote-SSH, WSL or a dev container: machine-scoped values are ignored there
// on VS Code 1.139. And a workspace's .vscode/settings.json must never redirect the sign-in, turn
// on writing tokens to disk or add chained roles.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { harness } from '../harness/bridgeClient';
import { api, emulator, runInTerminal, START_URL, TestApi, useEmulatorSettings, waitFor, signInAutoApproved, firstPlainRoleNode } from './support';

const config = () => vscode.workspace.getConfiguration('awsIdc');
const user = vscode.ConfigurationTarget.Global;
const RESTRICTED = ['startUrl', 'region', 'ssoSession', 'signIn.flow', 'shareWithAwsCli', 'chainedRoles', 'terminal.mode'] as const;

/**
 * Edits the User settings file the way a person does: Preferences: Open User Settings (JSON), change
 * the text, save, close. (A write from outside VS Code is seen by code-server's file watcher but not
 * by its window, whose User settings resource has no remote authority: measured on both versions.)
 */
async function editUserSettingsFile(changes: Record<string, unknown>): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openSettingsJson');
  const editor = await waitFor('the User settings editor', () => {
    const e = vscode.window.activeTextEditor;
    return e && e.document.uri.path === vscode.Uri.file(process.env.AWSIDC_TEST_USER_SETTINGS!).path ? e : undefined;
  });
  const doc = editor.document;
  const current = JSON.parse(doc.getText()) as Record<string, unknown>;
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete current[k];
    else current[k] = v;
  }
  const whole = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
  assert.ok(await editor.edit((b) => b.replace(whole, JSON.stringify(current, null, 2))), 'the User settings edited');
  await vscode.commands.executeCommand('workbench.action.files.save'); // Ctrl+S in the active editor
  await waitFor('the User settings saved', () => !doc.isDirty);
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
}

suite('Settings: from the User settings in any window, never from a workspace', function () {
  this.timeout(120_000);
  let a: TestApi;

  suiteSetup(async function () {
    if (!harness.available || !process.env.AWSIDC_TEST_USER_SETTINGS) this.skip();
    a = await api();
    if (a.session.state.kind === 'signedIn') await vscode.commands.executeCommand('awsIdc.signOut');
  });

  suiteTeardown(async () => {
    if (a?.session.state.kind === 'signedIn') await vscode.commands.executeCommand('awsIdc.signOut');
    await useEmulatorSettings();
  });

  test('every setting that decides where a token goes is application-scoped and restricted in untrusted workspaces', () => {
    const pkg = vscode.extensions.getExtension('awsidc.aws-identity-center-sessions')!.packageJSON as {
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
      capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
    };
    for (const key of RESTRICTED) {
      assert.strictEqual(pkg.contributes.configuration.properties[`awsIdc.${key}`].scope, 'application', key);
      assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(`awsIdc.${key}`), key);
    }
  });

  test('a portal typed into the User settings file is used by Sign In without asking', async () => {
    for (const key of ['startUrl', 'region'] as const) await config().update(key, undefined, user);
    await editUserSettingsFile({ 'awsIdc.startUrl': START_URL, 'awsIdc.region': 'us-west-2' });
    // VS Code applies the file (so this can fail: on 1.139 a machine-scoped value never arrives here).
    await waitFor('the User settings file applied', () => config().get<string>('region') === 'us-west-2' && config().get<string>('startUrl') === START_URL);
    await emulator().clearCalls();
    // A prompt for the portal would wait for input and time the sign-in out instead.
    assert.strictEqual(await signInAutoApproved(), true, 'signed in from the User settings');
    assert.strictEqual(a.session.state.kind === 'signedIn' && a.session.state.startUrl, START_URL);
    assert.strictEqual(a.session.state.kind === 'signedIn' && a.session.state.region, 'us-west-2');
    await vscode.commands.executeCommand('awsIdc.signOut');
    await editUserSettingsFile({ 'awsIdc.startUrl': undefined, 'awsIdc.region': undefined });
  });

  test('env mode set in the User settings gives terminals the keys in this (remote) window', async () => {
    // As the Settings editor writes it. (An edit of the User settings file is covered for
    // the portal above; on 1.139 a value the window wrote itself is a local User value that wins over the file.)
    await config().update('terminal.mode', 'env', user);
    try {
      await waitFor('env applied', () => config().inspect<string>('terminal.mode')?.globalValue === 'env');
      await useEmulatorSettings();
      assert.strictEqual(await signInAutoApproved(), true);
      await a.catalog.whenIdle();
      await useSomeRole(a);
      await a.terminals.update();
      const out = await runInTerminal('echo "KEY=[$AWS_ACCESS_KEY_ID] URI=[$AWS_CONTAINER_CREDENTIALS_FULL_URI]"');
      assert.match(out, /KEY=\[ASIA\w+\] URI=\[\]/, 'env mode from the User settings');
    } finally {
      await config().update('terminal.mode', undefined, user);
      await vscode.commands.executeCommand('awsIdc.signOut');
    }
  });

  test('a workspace cannot redirect the sign-in, share tokens with the AWS CLI or add chained roles', async () => {
    await useEmulatorSettings();
    assert.strictEqual(await signInAutoApproved(), true);
    await a.catalog.whenIdle();
    // A chained role from a real source role, so it would show if the workspace value were taken.
    const roleNode = await firstPlainRoleNode(a);
    assert.ok(roleNode && roleNode.kind === 'role', 'a role to chain from');
    await vscode.commands.executeCommand('awsIdc.signOut');

    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const file = path.join(folder, '.vscode', 'settings.json');
    const cacheDir = path.join(os.homedir(), '.aws', 'sso', 'cache');
    const cached = () => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).filter((f) => f.endsWith('.json')) : []);
    const cachedBefore = cached();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      JSON.stringify({
        'awsIdc.startUrl': 'https://attacker.example.com/start',
        'awsIdc.region': 'eu-west-1',
        'awsIdc.ssoSession': 'attacker',
        'awsIdc.signIn.flow': 'deviceCode',
        'awsIdc.shareWithAwsCli': true,
        'awsIdc.chainedRoles': [
          {
            name: 'Exfiltrate',
            roleArn: 'arn:aws:iam::111122223333:role/Exfiltrate',
            source: { accountId: roleNode.role.accountId, roleName: roleNode.role.roleName },
          },
        ],
        'awsIdc.terminal.region': 'ap-south-1',
        // Env mode would put keys in every terminal's environment (saved with persistent sessions).
        'awsIdc.terminal.mode': 'env',
      }),
    );
    try {
      // VS Code did read the file (so this test can fail): its window-scoped setting applies …
      await waitFor('workspace settings read', () => config().inspect<string>('terminal.region')?.workspaceValue === 'ap-south-1');
      // … but none of the restricted ones reach the extension.
      for (const key of RESTRICTED) assert.strictEqual(config().inspect(key)?.workspaceValue, undefined, `${key} applied from the workspace`);
      await emulator().clearCalls();
      assert.strictEqual(await signInAutoApproved(), true);
      assert.strictEqual(a.session.state.kind === 'signedIn' && a.session.state.startUrl, START_URL);
      assert.strictEqual(a.session.state.kind === 'signedIn' && a.session.state.region, 'us-east-1');
      await a.catalog.whenIdle();
      assert.deepStrictEqual(cached(), cachedBefore, 'no token file was written for the AWS CLI');
      const chained = await a.tree.getChildren(roleNode);
      assert.deepStrictEqual(chained, [], 'no chained role from the workspace');
      await useSomeRole(a);
      await a.terminals.update();
      const out = await runInTerminal('echo "KEY=[$AWS_ACCESS_KEY_ID] URI=[$AWS_CONTAINER_CREDENTIALS_FULL_URI]"');
      assert.match(out, /KEY=\[\] URI=\[http:\/\/127\.0\.0\.1:\d+\/\S+\]/, "endpoint mode, not the workspace's env mode");
      await vscode.commands.executeCommand('awsIdc.signOut');
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});

/** An active role of the signed-in portal (the first listed, if none is active). */
async function useSomeRole(a: TestApi): Promise<void> {
  if (a.active.current && a.catalog.allRoles().some((r) => r.accountId === a.active.current!.accountId && r.roleName === a.active.current!.roleName)) return;
  const role = a.catalog.allRoles()[0];
  await a.active.set({ ...role, accountName: a.catalog.account(role.accountId)!.accountName });
}
