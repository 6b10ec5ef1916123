// Restricted Mode (a workspace the user has not trusted) gets no AWS credentials: no terminal
// environment (tasks run in terminals), no bound terminal, no debug grant; the status bar says why.
// Once the user trusts the workspace, new terminals get them. Workspace trust is per server, and the
// suites' server runs with it off: the window here is on a second server with it on
// (harness.openRestrictedWindow), its own origin, so it signs in on its own.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { harness } from '../harness/bridgeClient';
import { emulator, runInWindow, START_URL, statusBarIn, waitFor } from './support';

/** Opens a terminal in window `w` through its Command Palette and has it print its AWS variables. */
async function terminalVariables(w: number, file: string): Promise<string> {
  await runInWindow(w, 'Terminal: Create New Terminal');
  await harness.keys({ window: w, waitFor: '.terminal-wrapper.active .xterm-rows', keys: [{ wait: 3000 }] });
  await harness.click('.terminal-wrapper.active .xterm', false, w);
  await harness.keys({
    window: w,
    keys: [
      { text: `echo "URI=[$AWS_CONTAINER_CREDENTIALS_FULL_URI] KEY=[$AWS_ACCESS_KEY_ID] TOKEN=\${#AWS_CONTAINER_AUTHORIZATION_TOKEN}" > ${file}` },
      'Enter',
    ],
  });
  const read = () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined);
  return waitFor(`the terminal of window ${w} wrote ${path.basename(file)}`, read, 30_000).catch(async (e) => {
    await harness.screenshot(`restricted-mode-terminal-${path.basename(file)}`, w);
    throw e;
  });
}

suite('Restricted Mode: no credentials until the workspace is trusted', function () {
  this.timeout(300_000);
  let tmp: string;

  suiteSetup(function () {
    if (!harness.available) this.skip();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'awsidc-restricted-'));
  });

  suiteTeardown(async () => {
    await emulator().configure({ autoApprove: false });
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('signed in with a role in Restricted Mode: no terminal environment, the status bar says why; once trusted, new terminals get the endpoint', async () => {
    const folder = path.join(tmp, 'cloned-repo');
    fs.mkdirSync(folder, { recursive: true });
    const w = await harness.openRestrictedWindow(folder, { 'awsIdc.startUrl': START_URL, 'awsIdc.region': 'us-east-1' });
    try {
      await statusBarIn(w, /AWS: signed out/, 60_000);
      await emulator().configure({ autoApprove: true });
      await runInWindow(w, 'AWS Identity Center: Sign In');
      await statusBarIn(w, /AWS: choose a role|\S\/\S/, 60_000);
      await runInWindow(w, 'AWS Identity Center: Switch Role');
      await harness.keys({ window: w, waitFor: '.quick-input-widget .monaco-list-row', keys: [{ wait: 1500 }, 'Enter'] });
      await statusBarIn(w, /\S\/\S.*Restricted Mode: no credentials/, 30_000);
      await harness.screenshot('restricted-mode-status', w);

      const log = (await harness.windowLog(w)).join('\n');
      assert.match(log, /\[activate\]/, 'the window log is read');
      assert.ok(!/new terminals get \w+-mode credentials/.test(log), 'nothing was put in the terminal environment');

      // 1.139 starts no terminal process in Restricted Mode: it asks to trust the folder first.
      // 1.100 starts it: that terminal must have no credentials, then the folder is trusted in the trust editor.
      await runInWindow(w, 'Terminal: Create New Terminal');
      // 1.139 asks before the terminal starts (its xterm is drawn behind the question); 1.100 never asks.
      const asks = Number(vscode.version.split('.')[1]) >= 139;
      if (asks) {
        assert.ok(await harness.waitForText('Do you trust the authors of the files in this folder?', 30_000, w), '1.139 asks to trust the folder');
        await harness.screenshot('restricted-mode-terminal-question', w);
        await harness.click('.monaco-dialog-box .monaco-button:has-text("Trust Folder & Continue")', false, w);
      } else {
        await harness.keys({ window: w, waitFor: '.terminal-wrapper.active .xterm-rows', keys: [{ wait: 3000 }] });
        await harness.click('.terminal-wrapper.active .xterm', false, w);
        const file = path.join(tmp, 'restricted.txt');
        await harness.keys({ window: w, keys: [{ text: `echo "URI=[$AWS_CONTAINER_CREDENTIALS_FULL_URI] KEY=[$AWS_ACCESS_KEY_ID]" > ${file}` }, 'Enter'] });
        const seen = await waitFor(
          'the restricted terminal wrote its variables',
          () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined),
          30_000,
        );
        assert.strictEqual(seen, 'URI=[] KEY=[]', 'no credentials in a Restricted Mode terminal');
        await runInWindow(w, 'Workspaces: Manage Workspace Trust');
        await harness.keys({ window: w, waitFor: '.workspace-trust-editor .workspace-trust-buttons-row .monaco-button' });
        await harness.screenshot('restricted-mode-trust-editor', w);
        await harness.click('.workspace-trust-editor .workspace-trust-buttons-row .monaco-button', false, w);
      }
      await waitFor(
        'the status bar without Restricted Mode',
        async () => {
          const texts = await harness.texts('.statusbar-item', w);
          return texts.some((t) => /\S\/\S/.test(t)) && !texts.some((t) => /Restricted Mode: no credentials/.test(t));
        },
        30_000,
      );
      await waitFor('the terminal environment set after the grant', async () =>
        /new terminals get endpoint-mode credentials/.test((await harness.windowLog(w)).join('\n')),
      );
      const after = await terminalVariables(w, path.join(tmp, 'trusted.txt'));
      assert.match(after, /^URI=\[http:\/\/127\.0\.0\.1:\d+\/\S+\] KEY=\[\] TOKEN=4\d$/, 'a trusted workspace: the endpoint and a token');
      await harness.screenshot('restricted-mode-trusted', w);
    } finally {
      await harness.closeWindow(w);
    }
  });
});
