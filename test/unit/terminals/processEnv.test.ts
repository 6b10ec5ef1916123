// The command's environment as /proc shows it, with a real shell that exports after it started.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { commandEnvironment } from '../../../src/core/terminals/processEnv';

const linux = process.platform === 'linux';
// The shells get no pipes: bash with a socket on stdin sources ~/.bashrc (Debian's remote-shell rule), whose
// `pyenv init` runs a `sleep` of its own, and a `sleep` left behind would hold the test's pipes open for 10 s.
/** The shell and its `sleep` (its own process group). */
const killGroup = (pid: number | undefined): void => {
  try {
    if (pid) process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
};

test('a variable exported by the shell after it started is seen in its command, a secret value is not kept', { skip: !linux }, async () => {
  // The shell starts with AWS_PROFILE=at-start and exports another value before running its command.
  const shell = spawn('/bin/bash', ['-c', 'export AWS_PROFILE=legacy AWS_SECRET_ACCESS_KEY=wJalrTOPSECRET AWS_ACCESS_KEY_ID=; sleep 10; true'], {
    env: { PATH: process.env.PATH, AWS_PROFILE: 'at-start' },
    stdio: 'ignore',
    detached: true,
  });
  try {
    const seen = await commandEnvironment(shell.pid!, 'sleep', { timeoutMs: 8000 });
    assert.ok(seen, 'no command seen');
    assert.equal(seen.profile, 'legacy');
    assert.deepEqual([...seen.nonEmpty].sort(), ['AWS_PROFILE']);
    assert.ok(!JSON.stringify({ ...seen, nonEmpty: [...seen.nonEmpty] }).includes('TOPSECRET'));
  } finally {
    killGroup(shell.pid);
  }
});

test('a program that is not the AWS command is not read', { skip: !linux }, async () => {
  const shell = spawn('/bin/bash', ['-c', 'export AWS_PROFILE=legacy; sleep 10; true'], { env: { PATH: process.env.PATH }, stdio: 'ignore', detached: true });
  try {
    assert.equal(await commandEnvironment(shell.pid!, 'aws', { timeoutMs: 400 }), undefined);
  } finally {
    killGroup(shell.pid);
  }
});

test('no command within the time: undefined, quickly', { skip: !linux }, async () => {
  const shell = spawn('/bin/bash', ['-c', 'read x'], { stdio: 'pipe' });
  try {
    const started = Date.now();
    assert.equal(await commandEnvironment(shell.pid!, 'aws', { timeoutMs: 300 }), undefined);
    assert.ok(Date.now() - started < 1000);
  } finally {
    shell.kill();
  }
});

test('a process that is not there: undefined', async () => {
  assert.equal(await commandEnvironment(2 ** 22 + 7, 'aws', { timeoutMs: 100 }), undefined);
});
