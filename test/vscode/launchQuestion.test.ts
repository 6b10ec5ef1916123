// The launch-role question as a person answers it. Window 0 runs the tests and VS Code refuses to
// show modals there (editorTrust.test.ts checks that an unanswered question refuses), so the
// repository's launch.json is opened in another window, F5 is pressed there and the modal clicked.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { RoleRef } from '../../src/core/common/model';
import { harness } from '../harness/bridgeClient';
import { ensureSignedIn, statusBarIn, waitFor, whoamiLaunch, writeLaunchJson } from './support';

const QUESTION = 'asks for AWS credentials of another role';
const arnOf = (r: RoleRef) => new RegExp(`^arn:aws:sts::${r.accountId}:assumed-role/${r.roleName}/`);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Starts the workspace's one launch configuration in window `w`, as "debug <name>" in Quick Open does. */
async function startDebuggingIn(w: number): Promise<void> {
  await harness.keys({ window: w, keys: ['Escape', 'F1'] });
  await harness.keys({ window: w, waitFor: '.quick-input-widget input', keys: ['Backspace', { text: 'debug whoami' }, { wait: 800 }, 'Enter'] });
}

suite('Editor trust: the launch-role question, answered in a window', function () {
  this.timeout(300_000);
  let tmp: string;
  type Role = RoleRef & { accountName: string };
  let roles: Role[];

  /** The repository's launch.json: one configuration asking for `role`, writing to `out`. */
  const writeLaunch = (folder: string, role: Role, out: string): void => {
    writeLaunchJson(folder, whoamiLaunch(`whoami ${role.roleName}`, out, { awsIdc: { accountId: role.accountId, roleName: role.roleName } }));
  };
  const arnIn = (file: string) =>
    waitFor(
      `the program's result in ${path.basename(file)}`,
      () => (fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { arn?: string; error?: string }[]) : undefined),
      60_000,
    ).then(([seen]) => seen.arn ?? seen.error ?? '');

  suiteSetup(async function () {
    if (!harness.available) this.skip();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'awsidc-question-'));
    const a = await ensureSignedIn();
    const byAccount = new Map<string, Role>();
    for (const r of a.catalog.allRoles()) {
      const name = a.catalog.account(r.accountId)!.accountName;
      if (/^[A-Za-z ]+\d+$/.test(name) && !byAccount.has(r.accountId)) byAccount.set(r.accountId, { ...r, accountName: name });
    }
    roles = [...byAccount.values()].slice(0, 3);
    assert.strictEqual(roles.length, 3, 'three accounts to choose from');
    await a.active.set(roles[0]); // the new window starts with it (the global choice)
  });

  suiteTeardown(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));

  test('F5 asks once per workspace and role, naming account, role and portal; Allow gives that role, Escape refuses', async () => {
    const [active, asked, dismissed] = roles;
    const folder = path.join(tmp, 'repo');
    const out = path.join(tmp, 'allowed.json');
    writeLaunch(folder, asked, out);
    const w = await harness.openWindow(folder);
    try {
      await statusBarIn(w, new RegExp(`${escape(active.accountName)}/`), 60_000);
      await new Promise((r) => setTimeout(r, 3000)); // the window's listing (shared) holds the roles

      await startDebuggingIn(w);
      const shown = await harness.waitForText(QUESTION, 30_000, w);
      await harness.screenshot('launch-role-question', w);
      assert.ok(shown, 'the question is shown');
      const dialog = (await harness.texts('.monaco-dialog-box', w)).join('\n');
      for (const part of [asked.accountName, asked.roleName, 'emulator.awsapps.com', active.accountName])
        assert.ok(dialog.includes(part), `the question names ${part}: ${dialog}`);
      await harness.click('.monaco-dialog-box .monaco-button:has-text("Allow for This Workspace")', false, w);
      assert.match(await arnIn(out), arnOf(asked), 'allowed: the program signs as the role the configuration names');

      // Asked once: the same configuration again runs without a question.
      fs.rmSync(out);
      await new Promise((r) => setTimeout(r, 2000)); // the first session ended
      await startDebuggingIn(w);
      assert.match(await arnIn(out), arnOf(asked), 'the answer was remembered');
      assert.deepStrictEqual(await harness.texts('.monaco-dialog-box', w), [], 'no second question');

      // Another role: a new question; dismissed (Escape) is a refusal.
      const refusedOut = path.join(tmp, 'refused.json');
      writeLaunch(folder, dismissed, refusedOut);
      await new Promise((r) => setTimeout(r, 2000));
      await startDebuggingIn(w);
      assert.ok(await harness.waitForText(QUESTION, 30_000, w), 'a question for the other role');
      assert.ok((await harness.texts('.monaco-dialog-box', w)).join('\n').includes(dismissed.accountName));
      await harness.keys({ window: w, keys: ['Escape'] });
      await new Promise((r) => setTimeout(r, 5000));
      assert.strictEqual(fs.existsSync(refusedOut), false, 'the program never ran');
      const log = (await harness.windowLog(w)).join('\n');
      assert.match(log, /was refused credentials for .*not allowed for this workspace/);
    } finally {
      await harness.closeWindow(w);
    }
  });
});
