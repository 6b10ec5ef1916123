// Issue 24 item 3: terminals that outlive the endpoint. A terminal opened in window 1 survives a
// reload of that window (the pty host keeps its shell, with the old AWS_CONTAINER_CREDENTIALS_FULL_URI);
// the new extension host takes the old port back and the same URL and token work again. If someone
// else took the port meanwhile, every revived terminal is told by name, and a terminal started
// again fetches from our new endpoint: the stranger never sees a request.
import * as assert from 'assert';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { harness } from '../harness/bridgeClient';
import { emulator, ensureSignedIn, runInWindow, statusBarIn, TestApi, waitFor } from './support';

/**
 * Runs `curl` in window w's focused terminal: the endpoint's HTTP status and the URL it used. The
 * command is a script the shell runs (it inherits the shell's exported variables): typing 300
 * characters at the harness's 10 ms a key took 3 s per fetch; the path is a few dozen.
 */
async function fetchInTerminal(w: number | vscode.Terminal, tag: string): Promise<{ status: string; uri: string }> {
  const out = path.join(os.tmpdir(), `awsidc-revived-${tag}-${Date.now()}`);
  fs.writeFileSync(
    `${out}.sh`,
    `curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $AWS_CONTAINER_AUTHORIZATION_TOKEN" "$AWS_CONTAINER_CREDENTIALS_FULL_URI" > ${out}.code\n` +
      `echo "$AWS_CONTAINER_CREDENTIALS_FULL_URI" > ${out}.uri; mv ${out}.uri ${out}.done\n`,
  );
  if (typeof w !== 'number')
    w.sendText(`sh ${out}.sh`); // a terminal of this (the test) window
  else {
    await runInWindow(w, 'Terminal: Focus Terminal');
    // A keystroke may be lost while the terminal takes focus: the leading `true;` absorbs that.
    await harness.keys({ window: w, keys: [{ wait: 1_500 }, { text: `true; sh ${out}.sh` }, 'Enter'] });
  }
  await waitFor(`terminal output ${tag}`, () => fs.existsSync(`${out}.done`), 30_000);
  const result = { status: fs.readFileSync(`${out}.code`, 'utf8').trim(), uri: fs.readFileSync(`${out}.done`, 'utf8').trim() };
  for (const suffix of ['.sh', '.code', '.done']) fs.rmSync(`${out}${suffix}`, { force: true });
  return result;
}

const portOf = (uri: string): number => Number(new URL(uri).port);

/** Reloads window w; resolves once its new extension host has its endpoint and has seen its revived terminals again. */
async function reload(w: number): Promise<void> {
  const count = async (what: string) => (await harness.windowLog(w)).filter((l) => l.includes(what)).length;
  const revived = async () => (await count('revived terminal(s) keep their credentials')) + (await count('[terminal] could not restore the endpoint for'));
  const [listening, seen] = [await count('[credentialServer] listening on'), await revived()];
  await runInWindow(w, 'Developer: Reload Window');
  await waitFor('the reloaded window to start its endpoint', async () => (await count('[credentialServer] listening on')) > listening, 90_000);
  await waitFor('the reloaded window to see its revived terminals', async () => (await revived()) > seen, 60_000);
}

/** A local server of "another user" that takes `port` as soon as it is free and answers with its own keys. */
function stranger(port: number): { requests: () => number; taken: Promise<void>; close(): void } {
  let requests = 0;
  let stop = false;
  let server: net.Server | undefined;
  const taken = new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + 60_000;
    const attempt = (): void => {
      if (stop) return reject(new Error('stopped'));
      const s = net.createServer((socket) => {
        requests++;
        socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"AccessKeyId":"ASIASTRANGER"}');
      });
      s.once('error', () => (Date.now() > deadline ? reject(new Error(`port ${port} never freed`)) : setTimeout(attempt, 5)));
      s.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
        server = s;
        resolve();
      });
    };
    attempt();
  });
  return {
    requests: () => requests,
    taken,
    close: () => {
      stop = true;
      server?.close();
    },
  };
}

suite('Revived terminals: a reload never leaves a terminal pointing at a free port', function () {
  this.timeout(400_000);
  let a: TestApi;
  let w: number | undefined;
  let own: vscode.Terminal | undefined;
  let thief: ReturnType<typeof stranger> | undefined;

  suiteSetup(async function () {
    if (!harness.available) this.skip();
    await emulator().configure({ roleCredentialTtlSec: 3600, throttle: null });
    a = await ensureSignedIn();
    // The harness turns persistent sessions off; revived shells are what this suite is about.
    await vscode.workspace.getConfiguration('terminal.integrated').update('enablePersistentSessions', true, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('awsIdc').update('terminal.mode', 'endpoint', vscode.ConfigurationTarget.Global);
    if (!a.active.current) {
      const role = a.catalog.allRoles()[0];
      await a.active.set({ ...role, accountName: a.catalog.account(role.accountId)!.accountName });
    }
    await a.terminals.update(); // window 0's endpoint first: it creates the endpoint key before window 1 opens
    // Opened after the sign-in: it reads the sign-in and the (global) active role at once.
    w = await harness.openWindow();
    await statusBarIn(w, new RegExp(`${a.active.current!.accountName.replace(/[^\w]/g, '.')}/`), 90_000);
  });

  teardown(async function () {
    if (this.currentTest?.state !== 'failed' || w === undefined) return;
    await harness.screenshot('revived-failed', w).catch(() => undefined);
    const lines = await harness.windowLog(w).catch((e) => [String(e)]);
    console.log(
      lines
        .filter((l) => /\[(terminal|credentialServer|endpoint)\]/.test(l))
        .slice(-40)
        .map((l) => `        window 1: ${l}`)
        .join('\n'),
    );
  });

  suiteTeardown(async () => {
    thief?.close();
    await vscode.workspace.getConfiguration('terminal.integrated').update('enablePersistentSessions', false, vscode.ConfigurationTarget.Global);
    own?.dispose();
    if (w !== undefined && (await harness.windows()).find((y) => y.window === w)?.open) await harness.closeWindow(w).catch(() => undefined);
  });

  // First, while window 1's endpoint still has its first port: a reload takes that port back. The
  // other window is this one (the test window, window 0): a third window would cost a workbench load.
  test('a terminal opened before a reload still gets credentials after it, from the same URL; with several windows, each has its own endpoint and token, and a reload of one leaves the other’s terminals served', async () => {
    await runInWindow(w!, 'Terminal: Create New Terminal');
    own = vscode.window.createTerminal({ name: 'revived other window' });
    const other = await fetchInTerminal(own, 'other-window');
    const mine = await fetchInTerminal(w!, 'this-window');
    assert.strictEqual(other.status, '200');
    assert.strictEqual(mine.status, '200', `served before the reload (${mine.uri})`);
    assert.notStrictEqual(portOf(other.uri), portOf(mine.uri), 'one server per window');
    assert.notStrictEqual(new URL(other.uri).pathname, new URL(mine.uri).pathname, 'one binding per window');
    await reload(w!);
    const mineAfter = await fetchInTerminal(w!, 'this-window-after');
    await harness.screenshot('revived-same-port', w);
    const otherAfter = await fetchInTerminal(own, 'other-window-after');
    assert.strictEqual(mineAfter.uri, mine.uri, 'the revived shell still holds the old URL');
    assert.strictEqual(mineAfter.status, '200', 'the revived terminal is served by the new extension host on the old port');
    assert.ok((await harness.windowLog(w!)).some((l) => l.includes(`[credentialServer] listening on 127.0.0.1:${portOf(mine.uri)}`)));
    assert.deepStrictEqual(mineAfter, mine, 'the reloaded window’s revived terminal: same URL, served');
    assert.deepStrictEqual(otherAfter, other, 'the other window’s terminal: untouched, served');
  });

  test('the old port taken by someone else: every revived terminal is told by name, and a restarted terminal never reaches the stranger', async () => {
    // A terminal of its own, served now, and the only one: VS Code shows its marker in the single tab
    // (with several tabs it is a CSS-only badge the harness cannot see).
    await runInWindow(w!, 'Terminal: Kill All Terminals');
    await new Promise((r) => setTimeout(r, 1_000));
    await runInWindow(w!, 'Terminal: Create New Terminal');
    const before = await fetchInTerminal(w!, 'before2');
    assert.strictEqual(before.status, '200');
    const port = portOf(before.uri);
    thief = stranger(port);
    await reload(w!);
    await thief.taken;
    const lines = await waitFor(
      'the window to name the terminals it cannot restore',
      async () => {
        const found = (await harness.windowLog(w!)).filter((l) => l.includes('[terminal] could not restore the endpoint for'));
        return found.length ? found : undefined;
      },
      30_000,
    );
    assert.match(lines[lines.length - 1], /restore the endpoint for .*\S/, 'the log names the terminals');
    assert.ok(await harness.waitForText('could not be restored', 30_000, w), 'the user is told');
    // VS Code's own relaunch marker is not asserted: it shows only when the collection changes after
    // the revived terminal has reattached, which the extension cannot order (seen in some runs only).
    await harness.screenshot('revived-stale', w);
    // Restarted the way the warning says (a new terminal): the relaunch itself is VS Code's, and its
    // timing in a busy code-server is not the extension's to test.
    await runInWindow(w!, 'Terminal: Kill All Terminals');
    await new Promise((r) => setTimeout(r, 1_000));
    await runInWindow(w!, 'Terminal: Create New Terminal');
    const relaunched = await fetchInTerminal(w!, 'relaunched');
    assert.notStrictEqual(portOf(relaunched.uri), port, 'the relaunched terminal uses the new endpoint');
    assert.strictEqual(relaunched.status, '200');
    assert.strictEqual(thief.requests(), 0, 'the stranger never saw a request');
  });
});
