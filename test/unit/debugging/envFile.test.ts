// Issue 24 item 6: a launch configuration's envFile comes from a repository. /dev/zero, a FIFO no
// one writes to, a directory or a huge file must neither block nor fill the extension host: each
// is refused quickly, and an ordinary file is read and parsed as before.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { pbkdf2 } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { MAX_ENV_FILE_BYTES, readEnvFileSafely } from '../../../src/core/debugging/envFile';
import { explicitAwsNames } from '../../../src/core/debugging/launchEnv';
import { tempDirs } from '../../support/tempDirs';

const freshDir = tempDirs('awsidc-envfile-');

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await fn();
  return { value, ms: Date.now() - started };
}

test('an ordinary envFile is read and its AWS_ names found', async () => {
  const file = join(freshDir(), '.env');
  writeFileSync(file, 'AWS_PROFILE=dev\nOTHER=1\n');
  const r = await readEnvFileSafely(file);
  assert.deepEqual(r, { text: 'AWS_PROFILE=dev\nOTHER=1\n' });
  assert.deepEqual(explicitAwsNames({}, r.text), ['AWS_PROFILE']);
});

test('/dev/zero is refused at once (today it is read until the extension host runs out of memory)', { skip: process.platform === 'win32' }, async () => {
  const { value, ms } = await timed(() => readEnvFileSafely('/dev/zero'));
  assert.deepEqual(value, { text: '', problem: 'notRegularFile' });
  assert.ok(ms < 1_000, `${ms} ms`);
});

test(
  'a FIFO with no writer is refused at once (today it blocks the extension host, and the endpoint with it)',
  { skip: process.platform === 'win32' },
  async () => {
    const fifo = join(freshDir(), 'fifo.env');
    execFileSync('mkfifo', [fifo]);
    const { value, ms } = await timed(() => readEnvFileSafely(fifo));
    assert.equal(value.text, '');
    assert.ok('problem' in value && value.problem === 'notRegularFile', JSON.stringify(value));
    assert.ok(ms < 1_000, `${ms} ms`);
  },
);

test('a file over the cap, a directory and a missing path are refused', async () => {
  const dir = freshDir();
  const big = join(dir, 'big.env');
  writeFileSync(big, Buffer.alloc(MAX_ENV_FILE_BYTES + 1, 'A'));
  assert.deepEqual(await readEnvFileSafely(big), { text: '', problem: 'tooLarge' });
  assert.deepEqual(await readEnvFileSafely(dir), { text: '', problem: 'notRegularFile' });
  assert.deepEqual(await readEnvFileSafely(join(dir, 'missing')), { text: '', problem: 'unreadable' });
  assert.deepEqual(await readEnvFileSafely(undefined), { text: '' });
  assert.deepEqual(await readEnvFileSafely(42), { text: '' });
});

test('a read that takes too long is given up after the timeout', async () => {
  const file = join(freshDir(), 'slow.env');
  writeFileSync(file, 'AWS_REGION=x\n');
  // A slow disk, made real: every libuv worker busy hashing, so the file's open waits behind them for
  // far longer than the timeout. (A 0 ms timeout alone lost the race to a fast read on an idle machine.)
  const busy = Array.from({ length: 16 }, () => promisify(pbkdf2)('x', 'salt', 100_000, 32, 'sha256'));
  const { value, ms } = await timed(() => readEnvFileSafely(file, { timeoutMs: 20 }));
  await Promise.all(busy);
  assert.deepEqual(value, { text: '', problem: 'timedOut' });
  assert.ok(ms < 500, `${ms} ms`);
});
