// Issue 27: guarded roles (asked about, coloured, time-boxed) and a region per role, in a real VS Code
// against the emulator, with the AWS CLI v1 in real terminals. Window 0 runs the tests and cannot show
// modals (a question there is a refusal); the questions a person answers are answered in a second window.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RoleRef } from '../../src/core/common/model';
import type { RoleGuard } from '../../src/core/credentials/roleGuard';
import type { RoleRegions } from '../../src/core/accounts/roleRegions';
import { harness } from '../harness/bridgeClient';
import { awsCliCommand } from '../support/cliFixtures';
import { emulator, ensureSignedIn, EXTENSION_ID, runInTerminal, statusBarIn, TestApi, waitFor, whoamiLaunch, writeLaunchJson } from './support';

type Role = RoleRef & { accountName: string };
const GUARD_QUESTION = 'Use the guarded AWS role';
const LAUNCH_QUESTION = 'asks for AWS credentials of another role';
const arnOf = (r: RoleRef) => new RegExp(`arn:aws:sts::${r.accountId}:assumed-role/${r.roleName}/`);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const config = () => vscode.workspace.getConfiguration('awsIdc');
const nodeOf = (r: Role) => ({ kind: 'role', account: { accountId: r.accountId, accountName: r.accountName }, role: r });

suite('Guarded roles and a region per role', function () {
  this.timeout(300_000);
  let a: TestApi & { guard: RoleGuard; roleRegions: RoleRegions };
  let aws: string;
  let tmp: string;
  let plain: Role;
  let guarded: Role;
  let guarded2: Role;
  const callsFor = async (r: RoleRef) =>
    (await emulator().calls({ operation: 'GetRoleCredentials' })).filter((c) => c.accountId === r.accountId && c.roleName === r.roleName).length;
  const whoami = (terminal?: vscode.Terminal) => runInTerminal(`${aws} sts get-caller-identity --query Arn --output text`, { terminal, timeoutMs: 60_000 });

  suiteSetup(async function () {
    if (!harness.available) this.skip();
    aws = awsCliCommand();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'awsidc-guarded-'));
    await emulator().configure({ roleCredentialTtlSec: 3600, throttle: null });
    a = (await ensureSignedIn()) as typeof a;
    await a.catalog.whenIdle();
    // The harness turns guarding off for the other suites; here the default patterns apply.
    await config().update('guardedRoles', undefined, vscode.ConfigurationTarget.Global);
    await config().update('guardedRolesNoPrompt', [], vscode.ConfigurationTarget.Global);
    await config().update('guardedRoleMinutes', 1, vscode.ConfigurationTarget.Global);
    const roles: Role[] = a.catalog
      .allRoles()
      .map((r) => ({ ...r, accountName: a.catalog.account(r.accountId)!.accountName }))
      .filter((r) => /^[A-Za-z ]+\d+$/.test(r.accountName));
    const admins = roles.filter((r) => r.roleName === 'AdministratorAccess');
    assert.ok(admins.length >= 2, 'the seed has two accounts with AdministratorAccess');
    [guarded, guarded2] = admins;
    plain = roles.find((r) => r.roleName !== 'AdministratorAccess' && r.accountId !== guarded.accountId && r.accountId !== guarded2.accountId)!;
    assert.ok(plain && !a.guard.patternOf(plain) && a.guard.patternOf(guarded) === '*/AdministratorAccess');
    await vscode.commands.executeCommand('awsIdc.setActiveRole', nodeOf(plain));
    assert.strictEqual(a.active.current?.roleName, plain.roleName, 'an unguarded role is made active without a question');
  });

  suiteTeardown(async () => {
    if (!a) return;
    await config().update('guardedRoles', [], vscode.ConfigurationTarget.Global);
    await config().update('guardedRolesNoPrompt', undefined, vscode.ConfigurationTarget.Global);
    await config().update('guardedRoleMinutes', undefined, vscode.ConfigurationTarget.Global);
    await a.roleRegions.set(plain, undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('unanswered (a window that cannot show the question): Use This Role, Open Terminal as Role and Open AWS Console refuse, and no credentials are fetched', async () => {
    const before = await callsFor(guarded);
    const pages = (await harness.pages()).length;
    await vscode.commands.executeCommand('awsIdc.setActiveRole', nodeOf(guarded));
    assert.strictEqual(a.active.current?.accountId, plain.accountId, 'the active role stays');
    assert.strictEqual(await vscode.commands.executeCommand('awsIdc.openTerminal', nodeOf(guarded)), undefined, 'no terminal');
    await vscode.commands.executeCommand('awsIdc.openConsole', nodeOf(guarded));
    assert.strictEqual((await harness.pages()).length, pages, 'no console page opened');
    assert.strictEqual(await callsFor(guarded), before, 'no GetRoleCredentials for the guarded role');
    assert.strictEqual(a.statusBar.lastBackground, undefined, 'an unguarded active role: no colour');
  });

  test('in a window: Switch Role and a debug session each ask in a modal naming account, role and portal; allowed, the status bar takes the error colour', async () => {
    const folder = path.join(tmp, 'repo');
    const out = path.join(tmp, 'debug.json');
    writeLaunchJson(folder, whoamiLaunch('whoami guarded', out, { awsIdc: { accountId: guarded2.accountId, roleName: guarded2.roleName } }));
    const w = await harness.openWindow(folder);
    try {
      await statusBarIn(w, new RegExp(`${escape(plain.accountName)}/`), 60_000);
      await new Promise((r) => setTimeout(r, 3000)); // the window's listing (shared) holds the roles
      // Switch Role, as a person does it.
      await harness.keys({ window: w, keys: ['Escape', 'F1'] });
      await harness.keys({ window: w, waitFor: '.quick-input-widget input', text: 'AWS Identity Center: Switch Role', keys: [{ wait: 400 }, 'Enter'] });
      await harness.keys({
        window: w,
        waitFor: '.quick-input-widget .quick-input-list .monaco-list-row',
        text: `${guarded.accountName} AdministratorAccess`,
        keys: [{ wait: 600 }, 'Enter'],
      });
      assert.ok(await harness.waitForText(GUARD_QUESTION, 30_000, w), 'Switch Role asks');
      const dialog = (await harness.texts('.monaco-dialog-box', w)).join('\n');
      for (const part of [
        guarded.accountName,
        guarded.accountId,
        'AdministratorAccess',
        'emulator.awsapps.com',
        '*/AdministratorAccess',
        'Make it the active role',
        'It stays allowed for 1 minute, then', // the suite's time box; one minute, not "1 minutes"
      ])
        assert.ok(dialog.includes(part), `the question names ${part}: ${dialog}`);
      await harness.screenshot('guarded-role-question', w);
      await harness.click('.monaco-dialog-box .monaco-button:has-text("Allow for 1 min")', false, w);
      await statusBarIn(w, new RegExp(`${escape(guarded.accountName)}/AdministratorAccess`), 30_000);
      // The workbench marks an item with the error background with the error-kind class.
      await waitFor('the error colour in window 1', async () =>
        (await harness.texts('.statusbar-item.error-kind', w)).some((t) => t.includes(`${guarded.accountName}/AdministratorAccess`)),
      );
      await harness.screenshot('guarded-role-status-bar', w);

      // A debug session naming another guarded role: the launch-role question, then the guard's.
      await harness.keys({ window: w, keys: ['Escape', 'F1'] });
      await harness.keys({ window: w, waitFor: '.quick-input-widget input', keys: ['Backspace', { text: 'debug whoami' }, { wait: 800 }, 'Enter'] });
      assert.ok(await harness.waitForText(LAUNCH_QUESTION, 30_000, w));
      await harness.click('.monaco-dialog-box .monaco-button:has-text("Allow for This Workspace")', false, w);
      assert.ok(await harness.waitForText(GUARD_QUESTION, 30_000, w), 'the debug session asks');
      const debugDialog = (await harness.texts('.monaco-dialog-box', w)).join('\n');
      for (const part of [guarded2.accountName, 'Start a debug session', 'emulator.awsapps.com'])
        assert.ok(debugDialog.includes(part), `names ${part}: ${debugDialog}`);
      await harness.screenshot('guarded-role-debug-question', w);
      await harness.click('.monaco-dialog-box .monaco-button:has-text("Allow for 1 min")', false, w);
      const [seen] = await waitFor(
        'the debuggee result',
        () => (fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, 'utf8')) as { arn?: string }[]) : undefined),
        60_000,
      );
      assert.match(seen.arn ?? '', arnOf(guarded2));
      const log = (await harness.windowLog(w)).join('\n');
      assert.match(log, /\[guard\] .*AdministratorAccess \(guarded by "\*\/AdministratorAccess"\) allowed for activate/);
      assert.match(log, /\[guard\] .*AdministratorAccess \(guarded by "\*\/AdministratorAccess"\) allowed for debug/);
    } finally {
      await harness.closeWindow(w);
    }
  });

  test("allowed (Don't Ask Again list): coloured while active, a terminal signs as it; after its time the active role returns, the same terminal follows and a bound terminal is refused", async () => {
    await config().update('guardedRolesNoPrompt', [`${guarded.accountId}/AdministratorAccess`], vscode.ConfigurationTarget.Global);
    // The shortest box the setting allows (30 s): the fall-back is what this test waits for.
    await config().update('guardedRoleMinutes', 0.5, vscode.ConfigurationTarget.Global);
    const terminal = vscode.window.createTerminal({ name: 'awsidc guarded' });
    assert.match(await whoami(terminal), arnOf(plain));
    const allowedAt = Date.now();
    await vscode.commands.executeCommand('awsIdc.setActiveRole', nodeOf(guarded));
    assert.strictEqual(a.active.current?.accountId, guarded.accountId);
    assert.strictEqual(a.statusBar.lastBackground, 'statusBarItem.errorBackground');
    assert.match(
      a.statusBar.lastTooltip.join('\n'),
      /Guarded role \(it matches "\*\/AdministratorAccess" in awsIdc.guardedRoles\): allowed until .*, then .* is active again/,
    );
    await harness.keys({ waitFor: `.statusbar-item.error-kind:has-text("${guarded.accountName}/AdministratorAccess")` });
    await harness.screenshot('guarded-role-active');
    assert.match(await whoami(terminal), arnOf(guarded), 'the open terminal signs as the guarded role');
    const bound = await vscode.commands.executeCommand<vscode.Terminal>('awsIdc.openTerminal', nodeOf(guarded));
    assert.ok(bound, 'a bound terminal (no question: on the list)');
    assert.match(await whoami(bound), arnOf(guarded));

    // guardedRoleMinutes is 0.5: the active role returns to the one before.
    await waitFor('the previous role to return', () => a.active.current?.accountId === plain.accountId, 60_000);
    const elapsed = Date.now() - allowedAt;
    assert.ok(elapsed >= 28_000 && elapsed < 55_000, `about 30 s (${elapsed} ms)`);
    await config().update('guardedRoleMinutes', 1, vscode.ConfigurationTarget.Global);
    assert.strictEqual(a.statusBar.lastBackground, undefined, 'the colour goes with it');
    assert.match(await whoami(terminal), arnOf(plain), 'the same terminal signs as the previous role on its next fetch');
    const refused = await whoami(bound);
    assert.doesNotMatch(refused, /arn:aws:sts/, `the bound terminal gets nothing: ${refused}`);
    assert.match(refused, /guarded role/, 'the endpoint says why');
    bound.dispose();
    terminal.dispose();
  });

  test("a role's own region (Set Role Region, picked in the quick pick) reaches a new terminal's AWS_REGION and the tree", async () => {
    const picked = vscode.commands.executeCommand('awsIdc.setRoleRegion', nodeOf(plain));
    await harness.keys({ waitFor: '.quick-input-widget .quick-input-list .monaco-list-row', text: 'eu-central-1', keys: [{ wait: 400 }, 'Enter'] });
    assert.strictEqual(await picked, true);
    assert.strictEqual(a.roleRegions.regionOf(plain), 'eu-central-1');
    await waitFor(
      'the terminal collection to follow',
      async () => /eu-central-1/.test(await runInTerminal('echo "REGION=$AWS_REGION/$AWS_DEFAULT_REGION"')),
      30_000,
    );
    assert.match(await runInTerminal('echo "REGION=$AWS_REGION/$AWS_DEFAULT_REGION"'), /REGION=eu-central-1\/eu-central-1/);
    const item = a.tree.getTreeItem(nodeOf(plain) as never);
    assert.match(String(item.description), /eu-central-1/);
    // The tree shows it beside the role (a picture for the README).
    await vscode.commands.executeCommand('workbench.view.extension.awsIdc');
    const row = `.monaco-list-row[aria-label^="Account ${plain.accountName},"]`;
    await harness.keys({ waitFor: row });
    await harness.click(row);
    assert.ok(await harness.waitForText('eu-central-1', 10_000), 'the tree shows the region beside the role');
    await harness.screenshot('role-region-tree');
    await a.roleRegions.set(plain, undefined);
    await waitFor(
      'the default region again',
      async () => /REGION=us-east-1\/us-east-1/.test(await runInTerminal('echo "REGION=$AWS_REGION/$AWS_DEFAULT_REGION"')),
      30_000,
    );
  });

  test('a workspace cannot unguard a role, skip its question or lengthen its time: the settings are application-scoped, restricted, read from User settings only', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
      capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
    };
    const keys = ['guardedRoles', 'guardedRolesNoPrompt', 'guardedRoleMinutes'];
    for (const key of keys) {
      assert.strictEqual(pkg.contributes.configuration.properties[`awsIdc.${key}`].scope, 'application', key);
      assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(`awsIdc.${key}`), key);
    }
    const file = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.vscode', 'settings.json');
    const existed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      JSON.stringify({
        'awsIdc.guardedRoles': [],
        'awsIdc.guardedRolesNoPrompt': ['*/*'],
        'awsIdc.guardedRoleMinutes': 1440,
        'awsIdc.terminal.region': 'ap-south-1',
      }),
    );
    try {
      // VS Code did read the file (so this can fail): its window-scoped setting applies …
      await waitFor('workspace settings read', () => config().inspect<string>('terminal.region')?.workspaceValue === 'ap-south-1');
      // … but the guard's settings do not.
      for (const key of keys) assert.strictEqual(config().inspect(key)?.workspaceValue, undefined, `${key} applied from the workspace`);
      assert.strictEqual(a.guard.patternOf(guarded), '*/AdministratorAccess', 'still guarded');
      await config().update('guardedRolesNoPrompt', [], vscode.ConfigurationTarget.Global);
      const before = await callsFor(guarded2);
      assert.strictEqual(await vscode.commands.executeCommand('awsIdc.openTerminal', nodeOf(guarded2)), undefined, 'still asked (and refused here)');
      assert.strictEqual(await callsFor(guarded2), before);
    } finally {
      if (existed === undefined) fs.rmSync(file, { force: true });
      else fs.writeFileSync(file, existed);
      await waitFor('workspace settings gone', () => config().inspect<string>('terminal.region')?.workspaceValue === undefined);
    }
  });
});
