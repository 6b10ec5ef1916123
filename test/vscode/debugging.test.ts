// Debug sessions get the role's credentials the way terminals do, in the real VS Code with its
// built-in JavaScript debugger (js-debug): a program using the AWS SDK's default provider chain
// signs STS GetCallerIdentity against the emulator as the expected role.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RoleRef } from '../../src/core/common/model';
import { STATE_KEYS } from '../../src/core/common/storageKeys';
import { approvalKey } from '../../src/core/debugging/launchApproval';
import { harness } from '../harness/bridgeClient';
import { emulator, ensureSignedIn, TestApi, twoPlainRoles, waitFor, whoamiLaunch } from './support';

const config = () => vscode.workspace.getConfiguration('awsIdc');
const user = vscode.ConfigurationTarget.Global;
const arnOf = (r: RoleRef) => new RegExp(`^arn:aws:sts::${r.accountId}:assumed-role/${r.roleName}/`);

interface Seen {
  tag: string;
  endpoint: string;
  hasToken: boolean;
  token?: string;
  accessKeyId?: string;
  arn?: string;
  error?: string;
}

suite('Debugging: launched programs get the role credentials', function () {
  this.timeout(120_000);
  let a: TestApi;
  let tmp: string;
  let roleA: RoleRef & { accountName: string };
  let roleB: RoleRef & { accountName: string };
  const folder = () => vscode.workspace.workspaceFolders![0];

  /** Starts a node launch of the debuggee; resolves with its results once the program has written them. */
  async function launch(extra: Record<string, unknown> = {}, env: Record<string, string> = {}): Promise<{ started: boolean; out: string }> {
    const out = path.join(tmp, `whoami-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
    const started = await vscode.debug.startDebugging(folder(), whoamiLaunch('whoami', out, { ...extra, env }));
    return { started, out };
  }
  const results = (file: string) =>
    waitFor(`results in ${path.basename(file)}`, () => (fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Seen[]) : undefined), 60_000);
  /** Sessions started and not yet terminated (activeDebugSession can name one that already ended). */
  const running = new Set<vscode.DebugSession>();
  const subscriptions: vscode.Disposable[] = [
    vscode.debug.onDidStartDebugSession((s) => running.add(s)),
    vscode.debug.onDidTerminateDebugSession((s) => running.delete(s)),
  ];
  /** Waits until every session has ended; one still running after 15 s is stopped. */
  const sessionsGone = async (): Promise<void> => {
    const ended = await waitFor('debug sessions ended', () => running.size === 0 || undefined, 15_000).catch(() => undefined);
    if (ended) return;
    for (const session of [...running]) await vscode.debug.stopDebugging(session);
    await waitFor('debug sessions stopped', () => running.size === 0 || undefined, 15_000);
  };

  suiteSetup(async function () {
    if (!harness.available) this.skip();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'awsidc-debug-'));
    a = await ensureSignedIn();
    await config().update('terminal.mode', undefined, user);
    [roleA, roleB] = twoPlainRoles(a);
    await a.active.set(roleA);
  });

  suiteTeardown(async () => {
    for (const d of subscriptions) d.dispose();
    await config().update('terminal.mode', undefined, user);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('F5 on a node program: the SDK default chain signs as the active role; the session token is revoked when it ends', async () => {
    const { started, out } = await launch({}, { WHOAMI_REVEAL_TOKEN: '1' });
    assert.strictEqual(started, true);
    const [seen] = await results(out);
    fs.rmSync(out, { force: true }); // it holds the endpoint token
    assert.match(seen.arn ?? seen.error ?? '', arnOf(roleA));
    assert.match(seen.endpoint, /^http:\/\/127\.0\.0\.1:\d+\//);
    await sessionsGone();
    // The token was the session's own: refused once the session ended.
    const res = await waitFor(
      'the ended session token refused',
      async () => {
        const r = await fetch(seen.endpoint, { headers: { Authorization: seen.token! } });
        return r.status >= 400 ? r : undefined;
      },
      10_000,
    );
    assert.ok([401, 403, 404].includes(res.status), `status ${res.status}`);
    // Nothing VS Code or a debugger stored (user data, logs, HOME) holds the session's token.
    const userData = path.dirname(path.dirname(process.env.AWSIDC_TEST_USER_SETTINGS!));
    assert.deepStrictEqual(filesContaining([userData, os.homedir()], seen.token!), [], 'the endpoint token was written to disk');
  });

  test('after Switch Role a new session signs as the new role while a running one keeps its own', async () => {
    const go = path.join(tmp, `go-${Date.now()}`);
    const long = await launch({ name: 'whoami long' }, { WHOAMI_WAIT_FOR: go });
    assert.strictEqual(long.started, true);
    const [first] = await results(`${long.out}.first`);
    assert.match(first.arn ?? first.error ?? '', arnOf(roleA));
    await a.active.set(roleB);
    const fresh = await launch({ name: 'whoami new' });
    assert.strictEqual(fresh.started, true);
    const [now] = await results(fresh.out);
    assert.match(now.arn ?? now.error ?? '', arnOf(roleB), 'a new session signs as the new active role');
    fs.writeFileSync(go, '');
    const [, second] = await results(long.out);
    assert.match(second.arn ?? second.error ?? '', arnOf(roleA), 'the running session keeps the role it started with');
    await sessionsGone();
    await a.active.set(roleA);
  });

  test('a configuration bound to a role with "awsIdc" signs as that role; an unavailable one stops the launch', async () => {
    // The user allowed roleB for this workspace (the question itself: editorTrust*.test.ts).
    const state = a.globalState;
    await state.update(STATE_KEYS.launchRoleApprovals, [approvalKey(folder().uri.toString(), roleB)]);
    const bound = await launch({ awsIdc: { accountId: roleB.accountId, roleName: roleB.roleName } });
    assert.strictEqual(bound.started, true);
    const [seen] = await results(bound.out);
    assert.match(seen.arn ?? seen.error ?? '', arnOf(roleB));
    await sessionsGone();
    const missing = await launch({ awsIdc: { accountId: '000000000000', roleName: 'NoSuchRole' } });
    assert.strictEqual(missing.started, false, 'the launch stops with a message');
    assert.ok(await harness.waitForText('which your IAM Identity Center sign-in cannot use'), 'the message names the problem');
    await vscode.commands.executeCommand('notifications.clearAll');
    await state.update(STATE_KEYS.launchRoleApprovals, undefined);
  });

  test('what the configuration sets itself wins: static keys, or AWS_PROFILE', async () => {
    const keys = await launch({}, { AWS_ACCESS_KEY_ID: 'AKIAEXPLICITKEY00001', AWS_SECRET_ACCESS_KEY: 'explicit-secret' });
    assert.strictEqual(keys.started, true);
    const [withKeys] = await results(keys.out);
    assert.strictEqual(withKeys.accessKeyId, 'AKIAEXPLICITKEY00001');
    assert.strictEqual(withKeys.endpoint, '', 'no endpoint added next to explicit keys');
    await sessionsGone();

    const configFile = path.join(tmp, 'config');
    fs.writeFileSync(configFile, '[profile explicit]\naws_access_key_id = AKIAEXPLICITPROFILE1\naws_secret_access_key = explicit-secret\n');
    const profile = await launch({}, { AWS_PROFILE: 'explicit', AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, 'none') });
    const [withProfile] = await results(profile.out);
    assert.strictEqual(withProfile.accessKeyId, 'AKIAEXPLICITPROFILE1');
    await sessionsGone();
  });

  test('a session that outlives its credentials gets fresh ones; one that outlives the sign-out gets a refusal, not stale keys', async () => {
    await emulator().configure({ roleCredentialTtlSec: 12 }); // the broker refuses keys that expire within 10 s
    try {
      a.broker.clear();
      const go = path.join(tmp, `go-ttl-${Date.now()}`);
      const long = await launch({ name: 'whoami ttl' }, { WHOAMI_WAIT_FOR: go });
      const [first] = await results(`${long.out}.first`);
      assert.match(first.arn ?? first.error ?? '', arnOf(roleA));
      await new Promise((r) => setTimeout(r, 13_000)); // past the first keys' expiry
      fs.writeFileSync(go, '');
      const [, second] = await results(long.out);
      assert.match(second.arn ?? second.error ?? '', arnOf(roleA));
      assert.notStrictEqual(second.accessKeyId, first.accessKeyId, 'fresh keys after the first expired');
      await sessionsGone();
    } finally {
      await emulator().configure({ roleCredentialTtlSec: 3600 });
      a.broker.clear();
    }

    const go = path.join(tmp, `go-out-${Date.now()}`);
    const long = await launch({ name: 'whoami sign-out' }, { WHOAMI_WAIT_FOR: go });
    const [first] = await results(`${long.out}.first`);
    assert.match(first.arn ?? first.error ?? '', arnOf(roleA));
    await vscode.commands.executeCommand('awsIdc.signOut');
    fs.writeFileSync(go, '');
    const [, second] = await results(long.out);
    assert.strictEqual(second.arn, undefined, 'no call signed after the sign-out');
    assert.match(second.error ?? '', /credential|Not signed in|sign/i);
    await sessionsGone();
    a = await ensureSignedIn();
    await a.active.set(roleA);
  });

  test('with awsIdc.terminal.mode off nothing is added; env mode gives the keys', async () => {
    try {
      await config().update('terminal.mode', 'off', user);
      const off = await launch();
      const [seenOff] = await results(off.out);
      assert.strictEqual(seenOff.endpoint, '');
      assert.strictEqual(seenOff.hasToken, false);
      await sessionsGone();

      await config().update('terminal.mode', 'env', user);
      const env = await launch();
      const [seenEnv] = await results(env.out);
      assert.strictEqual(seenEnv.endpoint, '');
      assert.strictEqual(seenEnv.accessKeyId, a.broker.peek(roleA)?.accessKeyId, 'the active role keys');
      assert.match(seenEnv.arn ?? seenEnv.error ?? '', arnOf(roleA));
      await sessionsGone();
    } finally {
      await config().update('terminal.mode', undefined, user);
    }
  });

  test('tasks keep getting the credentials (the terminal environment)', async () => {
    await a.terminals.update(); // the collection follows the mode restored above
    const file = path.join(tmp, 'task-env.txt');
    const task = new vscode.Task(
      { type: 'shell' },
      vscode.TaskScope.Workspace,
      'awsidc env',
      'awsidc-test',
      new vscode.ShellExecution(`echo "$AWS_CONTAINER_CREDENTIALS_FULL_URI" > ${file}.tmp; mv ${file}.tmp ${file}`),
    );
    await vscode.tasks.executeTask(task);
    const text = await waitFor('the task wrote its environment', () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined), 30_000);
    assert.match(text, /^http:\/\/127\.0\.0\.1:\d+\//);
  });
});

/** Files under `dirs` (skipping sockets and files over 20 MB) whose bytes contain `needle`. */
function filesContaining(dirs: string[], needle: string): string[] {
  const hits: string[] = [];
  const walk = (p: string): void => {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
    else if (st.isFile() && st.size < 20 << 20 && fs.readFileSync(p).includes(needle)) hits.push(p);
  };
  for (const d of dirs) walk(d);
  return hits;
}
