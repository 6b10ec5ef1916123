// The quick soak (90 s, 40 s credentials refreshed 10 s ahead) as a unit test: separate SDK
// processes call STS every second through the loopback endpoint while credentials rotate.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import type { SoakReport } from '../soak/soak';

test('soak (quick): no call signed with an expired key, no errors, keys rotate', { timeout: 150_000 }, async (t) => {
  const script = path.join(__dirname, '..', 'soak', 'soak.js');
  const child = spawn(process.execPath, [script, '--quick', '--json'], {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const line = stdout.split('\n').find((l) => l.startsWith('SOAK_REPORT '));
  assert.ok(line, `no report (exit ${code}): ${stderr.slice(-2000)}`);
  const report = JSON.parse(line.slice('SOAK_REPORT '.length)) as SoakReport;
  t.diagnostic(
    `calls ${report.totalCalls}, expired-key ${report.expiredKeyCalls}, errors ${report.errors}, ` +
      `keys ${report.distinctAccessKeys}, broker fetches ${report.brokerRefreshes}, endpoint fetches ${report.endpointFetches}, ` +
      `least life left when served ${report.minServedLifeLeftSec} s`,
  );
  for (const c of report.clients) {
    t.diagnostic(
      `${c.client}: ${c.calls} calls, ${c.errors} errors, ${c.expiredKeyCalls} expired-key, ${c.distinctKeys} keys, ` +
        `least key life at call ${c.minKeyLifeLeftSec} s`,
    );
  }
  for (const s of report.skipped) t.diagnostic(`skipped ${s}`);

  assert.deepEqual(report.failures, []);
  assert.equal(report.pass, true);
  assert.equal(code, 0);
  assert.equal(report.options.credTtlSec, 40);
  assert.equal(report.options.minutes, 1.5);
  assert.equal(report.expiredKeyCalls, 0);
  assert.equal(report.errors, 0);
  assert.equal(report.endpointRefusals, 0);
  assert.equal(report.secretsInServerLog, 0);
  // 90 s of 40 s credentials renewed 10 s ahead: a new key about every 30 s.
  assert.ok(report.distinctAccessKeys >= 3, `only ${report.distinctAccessKeys} keys`);
  assert.ok(report.brokerRefreshes >= 3);
  const js = report.clients.find((c) => c.client === 'js-sdk-v3');
  assert.ok(js, 'the JS SDK client did not run');
  assert.ok(js.calls >= 72 && js.ok === js.calls, `js: ${js.ok}/${js.calls}`);
  assert.ok(js.distinctKeys >= 3);
  assert.ok(js.minKeyLifeLeftSec !== null && js.minKeyLifeLeftSec > 0);
  // Served credentials always have close to refresh-before (10 s) left, never less than half of it.
  assert.ok(report.minServedLifeLeftSec !== null && report.minServedLifeLeftSec >= 5, `served with ${report.minServedLifeLeftSec} s left`);
  assert.ok(report.totalCalls >= js.calls);
});
