// The command's environment as /proc shows it, with a real shell that exports after it started.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { commandEnvironment } from '../../../src/core/terminals/processEnv';

const linux = process.platform === 'linux';

test('a variable exported by the shell after it started is seen in its command, a secret value is not kept', { skip: !linux }, async () => {
  const shell = spawn('/bin/bash', ['-c', 'sleep 0.3; export AWS_PROFILE=legacy AWS_SECRET_ACCESS_KEY=wJalrTOPSECRET AWS_ACCESS_KEY_ID=; sleep 3; true'], {
    env: { PATH: process.env.PATH, AWS_PROFILE: 'at-start' },
  });
  try {
    const seen = await commandEnvironment(shell.pid!, { timeoutMs: 5000 });
    assert.ok(seen, 'no command seen');
    // The first child (sleep 0.3) ran before the export; it still shows the start-up value.
    assert.ok(seen.profile === 'at-start' || seen.profile === 'legacy');
    const later = await (async () => {
      await new Promise((r) => setTimeout(r, 600));
      return commandEnvironment(shell.pid!, { timeoutMs: 5000 });
    })();
    assert.equal(later?.profile, 'legacy');
    assert.deepEqual([...later!.nonEmpty].sort(), ['AWS_PROFILE']);
    assert.ok(!JSON.stringify({ ...later, nonEmpty: [...later!.nonEmpty] }).includes('TOPSECRET'));
  } finally {
    shell.kill();
  }
});

test('no command within the time: undefined, quickly', { skip: !linux }, async () => {
  const shell = spawn('/bin/bash', ['-c', 'read x'], { stdio: 'pipe' });
  try {
    const started = Date.now();
    assert.equal(await commandEnvironment(shell.pid!, { timeoutMs: 300 }), undefined);
    assert.ok(Date.now() - started < 1000);
  } finally {
    shell.kill();
  }
});

test('a process that is not there: undefined', async () => {
  assert.equal(await commandEnvironment(2 ** 22 + 7, { timeoutMs: 100 }), undefined);
});
