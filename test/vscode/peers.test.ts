// Issue 23: the role the status bar shows is the role that runs. On a machine with a [default]
// long-term key (or a [default] credential_process profile), every real client (AWS CLI v1 and v2,
// JS SDK v3, boto3, Go SDK v2, Ruby SDK, a Node fetch program) signs as the active role in a new
// terminal, a task and a debug session. What the extension cannot override (~/.bashrc exporting
// AWS_PROFILE) is reported by name, from what the AWS command really did.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RoleRef } from '../../src/core/common/model';
import type { TerminalIdentity } from '../../src/core/terminals/identityProbe';
import { harness } from '../harness/bridgeClient';
import { AKIA, assertNoSecrets, SECRET } from '../support/awsExampleKeys';
import { CLI_V1 } from '../support/cliFixtures';
import { GO_BUILD_CACHE } from '../support/peerClients';
import { ensureSignedIn, EXTENSION_ID, runInTerminal, TestApi, waitFor } from './support';

const REPO = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
const CLIENTS = path.join(REPO, 'test', 'fixtures', 'clients');
const CLIENT_NAMES = ['cli-v1', 'cli-v2', 'js-sdk-v3', 'boto3', 'go-sdk-v2', 'ruby-sdk', 'node-fetch'];
const HOME = os.homedir();
const AWS_DIR = path.join(HOME, '.aws');
const user = vscode.ConfigurationTarget.Global;
const arnOf = (r: RoleRef) => new RegExp(`^arn:aws:sts::${r.accountId}:assumed-role/${r.roleName}/`);

suite('Peers: every client signs as the role the status bar shows', function () {
  this.timeout(300_000);
  let a: TestApi;
  let tmp: string;
  let goBin: string;
  const written: { file: string; before: string | undefined }[] = [];

  /** Appends to a file of the throwaway HOME (~/.aws/config already holds our terminal profile); restored in teardown. */
  const appendHome = (file: string, text: string): void => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    fs.writeFileSync(file, `${text}\n${before ?? ''}`);
    written.push({ file, before });
  };
  const clientEnv = (): Record<string, string> => ({ AWSIDC_REPO: REPO, AWSIDC_GO_BIN: goBin });

  /** Each client's line of runAll.sh's output must be the status bar's role; one message lists every miss. */
  function assertAllSignAsActive(raw: string, where: string): void {
    // Shell integration's own sequences (OSC 633) land in the redirected output too.
    const out = raw.replace(/\x1b\][^\x07]*\x07/g, '');
    assertNoSecrets(out);
    const role = a.active.current!;
    assert.ok(a.statusBar.last?.text.includes(role.roleName), `the status bar shows ${role.roleName}`);
    const misses = CLIENT_NAMES.filter((name) => {
      const line = out.split('\n').find((l) => l.startsWith(`${name}: `));
      return !line || !arnOf(role).test(line.slice(name.length + 2));
    });
    assert.deepStrictEqual(misses, [], `${where}: these clients did not sign as ${role.accountId}/${role.roleName}:\n${out}`);
  }

  async function inTerminal(): Promise<string> {
    const vars = Object.entries(clientEnv())
      .map(([k, v]) => `${k}='${v}'`)
      .join(' ');
    return runInTerminal(`${vars} sh '${CLIENTS}/runAll.sh'`, { name: 'peers', timeoutMs: 120_000 });
  }

  async function inTask(): Promise<string> {
    const out = path.join(tmp, `task-${Date.now()}.txt`);
    const task = new vscode.Task(
      { type: 'shell', id: `peers-${Date.now()}` },
      vscode.TaskScope.Workspace,
      'peers',
      'awsidc-test',
      new vscode.ShellExecution(`sh '${CLIENTS}/runAll.sh' > '${out}.tmp' 2>&1; mv '${out}.tmp' '${out}'`, { env: clientEnv() }),
    );
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Never };
    await vscode.tasks.executeTask(task);
    return waitFor('the task output', () => (fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : ''), 120_000);
  }

  async function inDebugSession(): Promise<string> {
    const out = path.join(tmp, `debug-${Date.now()}.txt`);
    const started = await vscode.debug.startDebugging(vscode.workspace.workspaceFolders![0], {
      type: 'node',
      request: 'launch',
      name: 'peers',
      program: path.join(CLIENTS, 'debuggee.js'),
      console: 'internalConsole',
      env: { ...clientEnv(), CLIENTS_OUT: out },
    });
    assert.strictEqual(started, true, 'the debug session started');
    return waitFor('the debuggee output', () => (fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : ''), 120_000);
  }

  suiteSetup(async function () {
    if (!harness.available) this.skip();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'awsidc-peers-'));
    goBin = path.join(tmp, 'whoami-go');
    // Debian's Go SDK v2 sources, GOPATH mode; the build cache (shared with the integration layer's Go client) outlives the throwaway HOME.
    execFileSync('go', ['build', '-o', goBin, path.join(CLIENTS, 'whoami.go')], {
      env: { ...process.env, GOPATH: '/usr/share/gocode', GO111MODULE: 'off', GOFLAGS: '', GOCACHE: GO_BUILD_CACHE },
      timeout: 120_000,
    });
    a = (await ensureSignedIn()) as typeof a;
    await vscode.workspace.getConfiguration('awsIdc').update('terminal.mode', 'endpoint', user);
    await vscode.workspace.getConfiguration('terminal.integrated').update('shellIntegration.enabled', true, user);
    const role = a.catalog.allRoles().find((r) => /^[A-Za-z ]+\d+$/.test(a.catalog.account(r.accountId)!.accountName))!;
    await a.active.set({ ...role, accountName: a.catalog.account(role.accountId)!.accountName });
    await a.terminals.update();
  });

  teardown(() => {
    for (const { file, before } of written.splice(0).reverse())
      if (before === undefined) fs.rmSync(file, { force: true });
      else fs.writeFileSync(file, before);
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('terminal.integrated').update('shellIntegration.enabled', undefined, user);
    await vscode.commands.executeCommand('notifications.clearAll');
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('[default] long-term key in ~/.aws/credentials: terminal, task and debug session sign as the active role with every client', async () => {
    assert.match(fs.readFileSync(path.join(AWS_DIR, 'config'), 'utf8'), /^\[profile awsidc-terminal\]$/m, 'the terminal profile is in place');
    appendHome(path.join(AWS_DIR, 'credentials'), `[default]\naws_access_key_id = ${AKIA}\naws_secret_access_key = ${SECRET}\n`);
    assertAllSignAsActive(await inTerminal(), 'a new terminal');
    assertAllSignAsActive(await inTask(), 'a task');
    assertAllSignAsActive(await inDebugSession(), 'a debug session');
    // The long-term key row says so too.
    await a.longTermKeys.scan();
    const row = (await a.tree.getChildren()).find((n) => n.kind === 'message' && n.id === 'longTermKeys');
    assert.ok(row, 'the long-term key row');
    assert.match(String(a.tree.getTreeItem(row).tooltip), /New terminals use the active role, not this key\./);
  });

  test('[default] credential_process in ~/.aws/config: every client signs as the active role and the process never runs', async () => {
    const ran = path.join(tmp, 'default-process-ran');
    const script = path.join(tmp, 'default-process.sh');
    fs.writeFileSync(script, `#!/bin/sh\ntouch '${ran}'\necho '{"Version":1,"AccessKeyId":"${AKIA}","SecretAccessKey":"${SECRET}"}'\n`, { mode: 0o700 });
    appendHome(path.join(AWS_DIR, 'config'), `[default]\ncredential_process = ${script}\nregion = us-east-1\n`);
    assertAllSignAsActive(await inTerminal(), 'a new terminal');
    assertAllSignAsActive(await inTask(), 'a task');
    assertAllSignAsActive(await inDebugSession(), 'a debug session');
    assert.ok(!fs.existsSync(ran), "the [default] profile's credential_process ran");
  });

  test('a config file rewritten without our section (after VS Code started): a new terminal puts it back before its first command', async () => {
    const config = path.join(AWS_DIR, 'config');
    const before = fs.readFileSync(config, 'utf8');
    written.push({ file: config, before });
    fs.writeFileSync(config, '[default]\nregion = us-east-1\n');
    const out = await runInTerminal(`${CLI_V1} sts get-caller-identity --query Arn --output text`, { name: 'rewritten config' });
    assert.match(out.replace(/\x1b\][^\x07]*\x07/g, '').trim(), arnOf(a.active.current!));
    assert.match(
      fs.readFileSync(config, 'utf8'),
      /^\[default\]\nregion = us-east-1\n[\s\S]*\[profile awsidc-terminal\]/,
      'the user file kept, our section back',
    );
  });

  test('~/.bashrc exporting AWS_PROFILE=legacy (after VS Code started): the first aws command brings a warning naming AWS_PROFILE and the file, and a tooltip line', async () => {
    appendHome(path.join(HOME, '.bashrc'), '# written by the peers suite\nexport AWS_PROFILE=legacy\n');
    const terminal = vscode.window.createTerminal({ name: 'legacy bash', shellPath: '/bin/bash' });
    const integration = await waitFor('shell integration in bash', () => terminal.shellIntegration, 20_000);
    const started = Date.now();
    integration.executeCommand(`${CLI_V1} sts get-caller-identity`);
    assert.ok(await harness.waitForText('AWS_PROFILE=legacy is set by ~/.bashrc (line 2)', 15_000), 'the warning names the variable and the file');
    const seconds = (Date.now() - started) / 1000;
    assert.ok(seconds < 10, `the warning came ${seconds.toFixed(1)} s after the command`);
    console.log(`    warning ${seconds.toFixed(1)} s after the aws command started`);
    const tooltip = await waitFor('the tooltip line', () => a.statusBar.lastTooltip.find((l) => l.includes('"legacy bash"')));
    assert.match(tooltip, /AWS_PROFILE=legacy from ~\/\.bashrc/);
    await vscode.commands.executeCommand('notifications.showList');
    await harness.screenshot('peers-bashrc-warning');
    await vscode.commands.executeCommand('notifications.hideList');
    // Show Terminal Identity in that terminal says which variable won.
    const identity = await vscode.commands.executeCommand<TerminalIdentity>('awsIdc.terminalIdentity', terminal);
    assert.ok(identity, 'the identity command ran in the terminal');
    assert.deepStrictEqual(identity.override, { variable: 'AWS_PROFILE', value: 'legacy' });
    assert.ok(identity.set.includes('AWS_PROFILE'));
    await harness.keys({ waitFor: '.quick-input-widget .monaco-list-row' });
    await harness.screenshot('peers-identity-legacy');
    await harness.keys({ keys: ['Escape'] });
    terminal.dispose();
    await waitFor('the tooltip line gone with its terminal', () => !a.statusBar.lastTooltip.some((l) => l.includes('"legacy bash"')));
  });

  test('Show Terminal Identity in a clean terminal: the active role, and no variable wins over it', async () => {
    const terminal = vscode.window.createTerminal({ name: 'clean bash', shellPath: '/bin/bash' });
    await waitFor('shell integration in bash', () => terminal.shellIntegration, 20_000);
    const identity = await vscode.commands.executeCommand<TerminalIdentity>('awsIdc.terminalIdentity', terminal);
    assert.ok(identity, 'the identity command ran in the terminal');
    assert.match(identity.arn ?? identity.error ?? '', arnOf(a.active.current!));
    assert.strictEqual(identity.override, undefined);
    // The AWS CLI names where its credentials came from: our profile's credential_process.
    assert.strictEqual(identity.source, 'custom-process');
    await harness.keys({ waitFor: '.quick-input-widget .monaco-list-row' });
    await harness.screenshot('peers-identity-clean');
    await harness.keys({ keys: ['Escape'] });
    terminal.dispose();
  });
});
