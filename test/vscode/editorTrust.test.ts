// Only the user decides which credentials go where (issue 24, the editor-trust items), in the real
// VS Code: a launch configuration cannot pick a more powerful role without a question the user
// answers; command arguments cannot name roles the catalog does not list nor relabel them; another
// extension's executeCommand cannot put keys on the clipboard. Window 0 runs the tests, and VS Code
// refuses to show modal dialogs there: an unanswered question must be a refusal. Answering it as a
// person does: editorTrustWindows.test.ts.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { roleKey, type RoleRef } from '../../src/core/common/model';
import { harness } from '../harness/bridgeClient';
import { ensureSignedIn, TestApi, twoPlainRoles, waitFor, whoamiLaunch } from './support';

suite('Editor trust: launch configurations and command arguments cannot choose credentials', function () {
  this.timeout(120_000);
  let a: TestApi;
  let roleA: RoleRef & { accountName: string };
  let roleB: RoleRef & { accountName: string };
  let tmp: string;
  const folder = () => vscode.workspace.workspaceFolders![0];

  suiteSetup(async function () {
    if (!harness.available) this.skip();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'awsidc-trust-'));
    a = (await ensureSignedIn()) as typeof a;
    await vscode.workspace.getConfiguration('awsIdc').update('terminal.mode', undefined, vscode.ConfigurationTarget.Global);
    [roleA, roleB] = twoPlainRoles(a);
    await a.active.set(roleA);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('F5 on a configuration naming another role: refused while the user has not allowed it (no question answered, no program started)', async () => {
    const out = path.join(tmp, 'admin.json');
    const started = await vscode.debug.startDebugging(
      folder(),
      whoamiLaunch('whoami admin', out, { awsIdc: { accountId: roleB.accountId, roleName: roleB.roleName } }),
    );
    assert.strictEqual(started, false, 'the launch stopped');
    await new Promise((r) => setTimeout(r, 3000));
    assert.strictEqual(fs.existsSync(out), false, 'the program never ran with the other role');
    assert.strictEqual(roleKey(a.active.current!), roleKey(roleA), 'the active role is unchanged');
  });

  test('setActiveRole with a role the catalog does not list: refused with a message, the active role unchanged', async () => {
    const forged = {
      kind: 'role',
      account: { accountId: '999999999999', accountName: 'Sandbox (read-only)' },
      role: { accountId: '999999999999', roleName: 'AdministratorAccess', portal: roleA.portal },
    };
    await vscode.commands.executeCommand('awsIdc.setActiveRole', forged);
    assert.strictEqual(roleKey(a.active.current!), roleKey(roleA));
    assert.ok(await harness.waitForText('does not list, so nothing was done', 10_000), 'the refusal says why');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  test('setActiveRole with a listed role under a false account name: the status bar shows the catalog name', async () => {
    const forged = { kind: 'role', account: { accountId: roleB.accountId, accountName: 'Sandbox (read-only)' }, role: { ...roleB } };
    await vscode.commands.executeCommand('awsIdc.setActiveRole', forged);
    try {
      assert.strictEqual(roleKey(a.active.current!), roleKey(roleB));
      assert.strictEqual(a.active.current!.accountName, roleB.accountName, 'the name comes from the catalog');
      a.statusBar.render();
      assert.ok(!/read-only/.test(a.statusBar.last?.text ?? ''), a.statusBar.last?.text);
      assert.ok(a.statusBar.last?.text.includes(roleB.accountName), a.statusBar.last?.text);
    } finally {
      await a.active.set(roleA);
    }
  });

  test('openTerminal and openConsole with an unlisted role: refused, no terminal opened', async () => {
    const forged = {
      kind: 'role',
      account: { accountId: roleA.accountId, accountName: roleA.accountName },
      role: { accountId: roleA.accountId, roleName: 'NotAssignedToYou', portal: roleA.portal },
    };
    assert.ok(!a.catalog.allRoles().some((r) => r.accountId === roleA.accountId && r.roleName === 'NotAssignedToYou'), 'the role is not listed');
    const before = vscode.window.terminals.length;
    const terminal = await vscode.commands.executeCommand<vscode.Terminal | undefined>('awsIdc.openTerminal', forged);
    assert.strictEqual(terminal, undefined);
    assert.strictEqual(vscode.window.terminals.length, before, 'no terminal was opened');
    const pagesBefore = (await harness.pages()).length;
    await vscode.commands.executeCommand('awsIdc.openConsole', forged);
    await new Promise((r) => setTimeout(r, 1500));
    assert.strictEqual((await harness.pages()).length, pagesBefore, 'no console page was opened');
    assert.ok(await harness.waitForText('does not list, so nothing was done', 10_000));
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  test("copyEnv run by code (another extension's executeCommand): nothing reaches the clipboard without the user's answer", async () => {
    const copied = async () => (await a.activity.entries()).filter((e) => e.event === 'served' && e.consumer === 'copied to clipboard').length;
    const before = await copied();
    await vscode.env.clipboard.writeText('sentinel');
    await vscode.commands.executeCommand('awsIdc.copyEnv');
    await new Promise((r) => setTimeout(r, 500));
    assert.strictEqual(await copied(), before, 'no hand-out to the clipboard was recorded');
    const clip = await vscode.env.clipboard.readText();
    assert.ok(!/AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN/.test(clip), 'no keys on the clipboard');
    await waitFor('the clipboard still holds what was there', async () => ['sentinel', ''].includes(await vscode.env.clipboard.readText()));
  });
});
