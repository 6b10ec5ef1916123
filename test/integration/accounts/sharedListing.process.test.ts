// The shared listing across real processes (each one a "window": test/support/listingWindow.ts)
// against one emulator: two windows list once between them, and when the listing window's process
// is killed mid-listing, the other takes over once its lease is seen dead and finishes the work.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Emulator } from '../../emulator/server';
import { START_URL, startEmulator } from '../../support/emulator';
import { WINDOW_RESULT, type WindowInput, type WindowResult } from '../../support/listingWindow';
import { tempDirs } from '../../support/tempDirs';

const ACCOUNTS = 150;
const SCRIPT = path.join(__dirname, '../../support/listingWindow.js');

function openWindow(input: WindowInput): { child: ChildProcess; started: Promise<void>; result: Promise<WindowResult> } {
  const child = spawn(process.execPath, [SCRIPT, JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((r) => (markStarted = r));
  child.stdout!.on('data', (d) => {
    out += d;
    if (out.includes('WINDOW_STARTED')) markStarted();
  });
  child.stderr!.on('data', (d) => (err = (err + d).slice(-4000)));
  const result = new Promise<WindowResult>((resolve, reject) =>
    child.on('exit', (code, signal) => {
      const line = out.split('\n').find((l) => l.startsWith(WINDOW_RESULT));
      if (line) resolve(JSON.parse(line.slice(WINDOW_RESULT.length)) as WindowResult);
      else reject(new Error(`window exited (${code ?? signal}) without a result:\n${err}`));
    }),
  );
  return { child, started, result };
}

describe('SharedListing across processes', () => {
  let emulator: Emulator;
  const newRoot = tempDirs('awsidc-shared-proc-');
  before(async () => {
    emulator = (await startEmulator({ accounts: ACCOUNTS, autoApprove: true, latencyMs: 10, throttle: { ratePerSec: 100, burst: 20 } })).emulator;
  });
  after(() => emulator.stop());

  const input = (root: string): WindowInput => ({
    url: emulator.url,
    startUrl: START_URL,
    root,
    accounts: ACCOUNTS,
    ratePerSec: 95,
    // A killed lister is seen by its pid at once; staleMs only guards against a busy machine's pauses
    // (1.5 s let a live but starved lister look dead: two listed).
    staleMs: 5_000,
    heartbeatMs: 300,
    pollMs: 200,
  });

  test('two processes list once between them, and both know every role', async () => {
    emulator.clearCalls();
    const root = newRoot();
    const a = openWindow(input(root));
    await a.started;
    const b = openWindow(input(root));
    const [ra, rb] = await Promise.all([a.result, b.result]);
    for (const r of [ra, rb]) {
      assert.equal(r.accounts, ACCOUNTS);
      assert.equal(r.loaded, ACCOUNTS);
      assert.equal(r.userErrors, 0);
    }
    assert.equal([ra, rb].filter((r) => r.lister).length, 1, 'exactly one window listed');
    const roleCalls = emulator.calls({ operation: 'ListAccountRoles' }).length;
    assert.equal(roleCalls, ACCOUNTS, 'every account listed once for both windows');
  });

  test('the listing process is killed mid-listing: the other takes over and finishes', async () => {
    emulator.clearCalls();
    const root = newRoot();
    const a = openWindow(input(root));
    await a.started;
    const b = openWindow(input(root));
    await b.started;
    // Let A list part of the roles, then kill it without any chance to release its lease.
    const end = Date.now() + 20_000;
    while (emulator.calls({ operation: 'ListAccountRoles' }).length < 50 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    a.child.kill('SIGKILL');
    await a.result.catch(() => undefined);
    const byA = emulator.calls({ operation: 'ListAccountRoles' }).length;
    const rb = await b.result;
    assert.equal(rb.loaded, ACCOUNTS, 'B knows every role');
    assert.ok(rb.lister, 'B took over');
    const total = emulator.calls({ operation: 'ListAccountRoles' }).length;
    // Repeated at most: what A had in flight (6) and found in its last 200 ms before writing it
    // down (~19 at 95 calls/s). Everything A wrote is not listed again.
    const slack = 25;
    assert.ok(total <= ACCOUNTS + slack, `continued where A stopped: ${total} role calls (${byA} by A)`);
    assert.ok(total - byA <= ACCOUNTS - 50 + slack, `B did not start over (${total - byA} by B)`);
  });
});
