// Hostile and unlucky ~/.aws/config files: pathological lines, names the SDK cannot read back,
// non-UTF-8 bytes, a read-only file, stale locks, and concurrent writers (our own, and the AWS CLI).
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { saveCliProfile } from '../../../src/core/awsFiles/awsConfigSave';
import { checkCliName, suggestProfileName, upsertCliProfile, upsertCliProfileBytes } from '../../../src/core/awsFiles/awsConfigWrite';
import { CLI_V1, CLI_V1_PYTHON, tempDir } from '../../support/cliFixtures';
import { profileOptions as opts } from '../../support/profileOptions';
import { runProcess } from '../../support/processes';

const MB = 1 << 20;

/** Runs `fn` with a fresh directory and the path of a `config` in it; the directory is removed after. */
async function inTempDir(prefix: string, fn: (dir: string, file: string) => Promise<void>): Promise<void> {
  const dir = tempDir(prefix);
  try {
    await fn(dir, path.join(dir, 'config'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function sdkRead(file: string): Promise<Record<string, Record<string, string | undefined> | undefined>> {
  return (await loadSharedConfigFiles({ configFilepath: file, filepath: `${file}.none`, ignoreCache: true })).configFile;
}

describe('~/.aws/config with hostile content', () => {
  test('1 MB pathological lines are edited in linear time (8 times the input takes well under 24 times as long)', () => {
    // A ratio of two sizes measured back to back, not a wall-clock limit: it holds on a loaded
    // machine, and a quadratic edit (8.6 s at 100 k before the fix) shows as ~64x.
    const inputs: Record<string, (size: number) => string> = {
      'a key followed by spaces': (n) => `[profile dev]\na${' '.repeat(n)}\n`,
      'spaces then = far away': (n) => `[profile dev]\na${' '.repeat(n)}= x\n`,
      'tabs and spaces mixed': (n) => `[profile dev]\nk${' \t'.repeat(n / 2)}\n`,
      'a huge header line': (n) => `[${'['.repeat(n)}\n[profile dev]\n`,
      'no newline at all': (n) => `[profile x]${' '.repeat(n)}`,
      'short lines': (n) => `[profile dev]\n${'a\n'.repeat(n / 2)}`,
      'blank lines of spaces': (n) => `${(' '.repeat(1000) + '\n').repeat(n / 1000)}`,
    };
    const fastest = (runs: number, work: () => void): number => {
      let best = Infinity;
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        work();
        best = Math.min(best, performance.now() - started);
      }
      return best;
    };
    const linear = (name: string, edit: (size: number) => void): void => {
      const small = fastest(3, () => edit(MB / 8));
      const large = fastest(2, () => edit(MB));
      assert.ok(large < 24 * small + 50, `${name}: ${Math.round(small)} ms at 128 KiB, ${Math.round(large)} ms at 1 MiB`);
    };
    for (const [name, make] of Object.entries(inputs)) {
      const text = make(MB);
      assert.equal(upsertCliProfileBytes(Buffer.from(text, 'utf8'), opts).toString('utf8'), upsertCliProfile(text, opts), name);
      linear(name, (size) => {
        const t = make(size);
        upsertCliProfile(t, opts);
        upsertCliProfileBytes(Buffer.from(t, 'utf8'), opts);
      });
    }
    linear('suggestProfileName on dashes', (size) => suggestProfileName(`a${'-.'.repeat(size / 2)}b`, `${'-'.repeat(size)}x`));
  });

  test("a name is accepted exactly when the SDK's INI loader reads both sections back", async () => {
    await inTempDir('names', async (dir, file) => {
      const names = [
        ...Array.from({ length: 94 }, (_, i) => `a${String.fromCharCode(0x21 + i)}b`),
        'café',
        'Übung',
        'dev\u00a0x',
        '__proto__',
        'constructor',
        'x'.repeat(128),
      ];
      const mismatches: string[] = [];
      for (const name of names) {
        const o = { ...opts, profileName: name, sessionName: name };
        let written = true;
        try {
          fs.writeFileSync(file, upsertCliProfile('[default]\nregion = us-west-2\n', o));
        } catch {
          written = false;
        }
        if (!written) {
          assert.ok(checkCliName('profile', name), name);
          // Written by hand anyway: the SDK must indeed lose it (or the whole file).
          fs.writeFileSync(file, `[default]\nregion = us-west-2\n[sso-session ${name}]\nsso_region = us-east-1\n[profile ${name}]\nregion = eu-west-1\n`);
        }
        const cfg = await sdkRead(file);
        const readable = cfg[`sso-session.${name}`]?.sso_region === 'us-east-1' && cfg[name]?.region === 'eu-west-1' && cfg.default?.region === 'us-west-2';
        if (readable !== written) mismatches.push(`${JSON.stringify(name)}: written ${written}, read back ${readable}`);
      }
      assert.deepEqual(mismatches, []);
      // botocore (the AWS CLI) reads every accepted name too.
      if (!fs.existsSync(CLI_V1_PYTHON)) return;
      const accepted = names.filter((n) => !checkCliName('profile', n));
      fs.writeFileSync(
        file,
        accepted.reduce((text, name) => upsertCliProfile(text, { ...opts, profileName: name, sessionName: name }), ''),
      );
      const py =
        'import botocore.session, json; s = botocore.session.Session(); print(json.dumps([s.available_profiles, list(s.full_config["sso_sessions"])]))';
      const r = await runProcess(CLI_V1_PYTHON, ['-c', py], { ...process.env, AWS_CONFIG_FILE: file });
      assert.equal(r.code, 0, r.stderr);
      const [profiles, sessions] = JSON.parse(r.stdout) as string[][];
      assert.deepEqual([profiles.sort(), sessions.sort()], [accepted.slice().sort(), accepted.slice().sort()]);
    });
  });

  test('every byte outside the edited lines survives: a Latin-1 comment, a stray 0xff, a BOM, CRLF', async () => {
    await inTempDir('bytes', async (dir, file) => {
      const head = Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from('# caf'),
        Buffer.from([0xe9]), // Latin-1 é: not UTF-8
        Buffer.from(' \xff\r\n[default]\r\nregion = us-west-2\r\n', 'latin1'),
      ]);
      const tail = Buffer.from('[profile other]\r\n# \u00fc in UTF-8\r\noutput = json\r\n', 'utf8');
      fs.writeFileSync(file, Buffer.concat([head, Buffer.from('[profile dev]\r\nregion = ap-south-1\r\n'), tail]));
      await saveCliProfile(file, opts, { settleMs: 0 });
      const after = fs.readFileSync(file);
      assert.ok(after.subarray(0, head.length).equals(head), 'the bytes before the profile are kept');
      assert.ok(after.includes(tail), 'the bytes after it are kept');
      assert.match(after.toString('latin1'), /\[profile dev\]\r\nregion = eu-west-1\r\nsso_session = corp\r\n/);
    });
  });

  test('a read-only config is refused with a message, and left as it was', async (t) => {
    if (process.platform === 'win32') return t.skip('POSIX modes');
    await inTempDir('ro', async (dir, file) => {
      fs.writeFileSync(file, '[default]\nregion = us-west-2\n');
      fs.chmodSync(file, 0o444);
      const before = fs.statSync(file);
      await assert.rejects(saveCliProfile(file, opts), (e: Error) => {
        assert.equal(e.message, `${file} is read-only, so the profile was not saved. Nothing was changed.`);
        return true;
      });
      const after = fs.statSync(file);
      assert.equal(after.ino, before.ino, 'not replaced');
      assert.equal(after.mode & 0o777, 0o444);
      assert.equal(fs.readFileSync(file, 'utf8'), '[default]\nregion = us-west-2\n');
      assert.deepEqual(fs.readdirSync(dir), ['config'], 'no temp or lock file left');
      // Nothing to change is still fine.
      fs.chmodSync(file, 0o644);
      await saveCliProfile(file, opts, { settleMs: 0 });
      fs.chmodSync(file, 0o444);
      assert.deepEqual(await saveCliProfile(file, opts), { path: file, changed: false });
    });
  });

  test('a FIFO in place of the config is refused at once, not waited on', async (t) => {
    if (process.platform === 'win32') return t.skip('no FIFOs');
    await inTempDir('fifo', async (dir, file) => {
      assert.equal((await runProcess('mkfifo', [file])).code, 0);
      await assert.rejects(saveCliProfile(file, opts), /is not a regular file, so the profile was not saved/);
    });
  });

  test('quoted section names (botocore and the SDK strip the quotes) are the same section, never a second one', () => {
    assert.throws(
      () => upsertCliProfile('[sso-session "corp"]\nsso_start_url = https://other.awsapps.com/start\nsso_region = us-east-1\n', opts),
      /already points to https:\/\/other\.awsapps\.com\/start/,
    );
    const text = "[profile 'dev']\nregion = ap-south-1\n[sso-session corp]\nsso_start_url = https://d-123.awsapps.com/start\nsso_region = us-east-1\n";
    assert.equal(
      upsertCliProfile(text, opts),
      "[profile 'dev']\nregion = eu-west-1\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n[sso-session corp]\nsso_start_url = https://d-123.awsapps.com/start\nsso_region = us-east-1\n",
    );
  });

  test('a lock left by a dead process is taken over; a live one makes the save wait, then fail with a message', async (t) => {
    if (process.platform === 'win32') return t.skip('pids');
    await inTempDir('lock', async (dir, file) => {
      const dead = spawn(process.execPath, ['-e', '0']);
      await new Promise((r) => dead.on('exit', r));
      fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid: dead.pid, host: os.hostname(), id: 'x' }));
      assert.equal((await saveCliProfile(file, opts, { settleMs: 0 })).changed, true);
      assert.deepEqual(fs.readdirSync(dir), ['config']);

      fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.pid, host: os.hostname(), id: 'y' }));
      const started = Date.now();
      await assert.rejects(saveCliProfile(file, { ...opts, profileName: 'two' }, { lock: { timeoutMs: 300 } }), /is held by another program/);
      assert.ok(Date.now() - started >= 300);
      // ...until it is old enough to be stale.
      const old = new Date(Date.now() - 60_000);
      fs.utimesSync(`${file}.lock`, old, old);
      assert.equal((await saveCliProfile(file, { ...opts, profileName: 'two' }, { settleMs: 0 })).changed, true);
      assert.deepEqual(fs.readdirSync(dir), ['config']);
    });
  });

  test('two processes saving 300 profiles each at once: all 600 survive, the file stays valid', { timeout: 120_000 }, async () => {
    await inTempDir('race', async (dir, file) => {
      fs.writeFileSync(file, '# mine\n[default]\nregion = us-west-2\n');
      const modulePath = path.resolve(__dirname, '../../../src/core/awsFiles/awsConfigSave.js');
      const script = `
        const { saveCliProfile } = require(${JSON.stringify(modulePath)});
        const [file, who, n] = process.argv.slice(1);
        (async () => {
          for (let i = 0; i < +n; i++)
            await saveCliProfile(file, { ...${JSON.stringify(opts)}, profileName: who + '-' + i }, { settleMs: 0, lock: { timeoutMs: 60000 } });
        })().catch((e) => { console.error(e.message); process.exit(1); });`;
      const started = Date.now();
      const runs = await Promise.all(['w1', 'w2'].map((who) => runProcess(process.execPath, ['-e', script, file, who, '300'], process.env, 110_000)));
      const ms = Date.now() - started;
      for (const r of runs) assert.equal(r.code, 0, r.stderr);
      const cfg = await sdkRead(file);
      const missing = ['w1', 'w2'].flatMap((w) => Array.from({ length: 300 }, (_, i) => `${w}-${i}`)).filter((p) => cfg[p]?.sso_session !== 'corp');
      assert.deepEqual(missing, [], `lost ${missing.length} of 600 (${ms} ms)`);
      assert.equal(cfg.default?.region, 'us-west-2');
      assert.ok(fs.readFileSync(file, 'utf8').startsWith('# mine\n[default]\nregion = us-west-2\n'));
      assert.deepEqual(fs.readdirSync(dir), ['config'], 'no temp or lock file left');
    });
  });

  test('saves racing a real `aws configure set` (CLI v1, no lock, rewrites in place): nobody loses a profile', { timeout: 120_000 }, async (t) => {
    if (!fs.existsSync(CLI_V1)) return t.skip('AWS CLI v1 not installed');
    await inTempDir('clirace', async (dir, file) => {
      fs.writeFileSync(file, '[default]\nregion = us-west-2\n');
      const env = { ...process.env, AWS_CONFIG_FILE: file, AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials') };
      let cliDone = false;
      const cli = (async () => {
        for (let i = 0; i < 12; i++) {
          const r = await runProcess(CLI_V1, ['configure', 'set', `profile.cli-${i}.region`, 'eu-north-1'], env);
          assert.equal(r.code, 0, r.stderr);
        }
        cliDone = true;
      })();
      let ours = 0;
      while (!cliDone) await saveCliProfile(file, { ...opts, profileName: `ours-${ours++}` });
      await cli;
      const cfg = await sdkRead(file);
      const missing = [
        ...Array.from({ length: 12 }, (_, i) => (cfg[`cli-${i}`]?.region === 'eu-north-1' ? '' : `cli-${i}`)),
        ...Array.from({ length: ours }, (_, i) => (cfg[`ours-${i}`]?.sso_session === 'corp' ? '' : `ours-${i}`)),
      ].filter(Boolean);
      assert.deepEqual(missing, [], `of 12 CLI and ${ours} of our saves`);
    });
  });
});
