// [profile awsidc-terminal] in a real config file on disk: added once, every other byte kept, not
// rewritten when right, never taken back from another install's script, refused (file untouched)
// when the file is broken, hostile or huge, and removed again by the uninstall hook.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { awsConfigPath } from '../../../src/core/awsFiles/awsConfigRead';
import { SCRIPT_MARKER, SCRIPT_VERSION, credentialProcessScript, scriptVersion } from '../../../src/core/awsFiles/credentialProcessScript';
import {
  MAX_CONFIG_BYTES,
  TERMINAL_PROFILE,
  ensureTerminalProfile,
  removeTerminalProfile,
  terminalProfileSupported,
} from '../../../src/core/awsFiles/terminalProfile';
import { tempDirs } from '../../support/tempDirs';

const newDir = tempDirs('awsidc-terminal-profile-');
const USER_CONFIG = '# my settings\r\n[default]\r\nregion = eu-west-1\r\ncredential_process = /opt/corp/creds\r\n\r\n[profile x]\r\nregion = é\xff\r\n';

function setup(content?: string | Buffer): { dir: string; configFile: string; scriptDir: string } {
  const dir = newDir();
  const configFile = path.join(dir, 'config');
  if (content !== undefined) fs.writeFileSync(configFile, content, { mode: 0o600 });
  return { dir, configFile, scriptDir: path.join(dir, 'awsidc') };
}

/** The SDK's own INI loader (what the JS SDK and so the default chain read). */
async function sdkProfile(configFile: string): Promise<Record<string, string> | undefined> {
  const { loadSharedConfigFiles } = await import('@smithy/shared-ini-file-loader');
  const files = await loadSharedConfigFiles({ configFilepath: configFile, filepath: path.join(path.dirname(configFile), 'none'), ignoreCache: true });
  return files.configFile[TERMINAL_PROFILE] as Record<string, string> | undefined;
}

describe('terminal profile', () => {
  test('added after the user bytes (line endings, comments, a Latin-1 byte kept), once', async () => {
    const o = setup(Buffer.from(USER_CONFIG, 'latin1'));
    const first = await ensureTerminalProfile(o);
    assert.equal(first.changed, true);
    const bytes = fs.readFileSync(o.configFile);
    assert.ok(bytes.subarray(0, Buffer.byteLength(USER_CONFIG, 'latin1')).equals(Buffer.from(USER_CONFIG, 'latin1')), 'user bytes changed');
    const added = bytes.subarray(Buffer.byteLength(USER_CONFIG, 'latin1')).toString('utf8');
    assert.match(added, /^\r\n\[profile awsidc-terminal\]\r\n(# .*\r\n)+credential_process = \S+\r\n$/);
    assert.match(added, /AWS Identity Center Sessions/);
    assert.equal((await sdkProfile(o.configFile))?.credential_process, first.scriptPath);
    assert.equal(fs.statSync(o.scriptDir).mode & 0o777, 0o700);
    assert.equal(fs.statSync(first.scriptPath).mode & 0o777, 0o700);
    assert.match(fs.readFileSync(first.scriptPath, 'utf8'), new RegExp(SCRIPT_MARKER));
    const mtime = fs.statSync(o.configFile).mtimeMs;
    assert.equal(first.configChanged, true);
    assert.deepEqual(await ensureTerminalProfile(o), { changed: false, configChanged: false, scriptPath: first.scriptPath });
    fs.writeFileSync(first.scriptPath, '# an older version of ours\n');
    assert.deepEqual(await ensureTerminalProfile(o), { changed: true, configChanged: false, scriptPath: first.scriptPath }, 'the script is brought up to date');
    const newer = `#!/bin/sh\n# ${SCRIPT_MARKER} v${SCRIPT_VERSION + 1}\nexit 0\n`;
    fs.writeFileSync(first.scriptPath, newer);
    assert.equal((await ensureTerminalProfile(o)).changed, false, "a newer install's script was downgraded");
    assert.equal(fs.readFileSync(first.scriptPath, 'utf8'), newer);
    assert.equal(scriptVersion(credentialProcessScript()), SCRIPT_VERSION);
    assert.equal(fs.statSync(o.configFile).mtimeMs, mtime, 'rewritten although already right');
  });

  test('a missing file (and folder) is created 0600; AWS_CONFIG_FILE is where it goes', async () => {
    const { dir } = setup();
    const configFile = awsConfigPath({ AWS_CONFIG_FILE: path.join(dir, 'nested', 'cfg'), HOME: '/nonexistent' });
    assert.equal(configFile, path.join(dir, 'nested', 'cfg'));
    const r = await ensureTerminalProfile({ configFile, scriptDir: path.join(dir, 'awsidc') });
    assert.equal(r.changed, true);
    assert.equal(fs.statSync(configFile).mode & 0o777, 0o600);
    assert.match(fs.readFileSync(configFile, 'utf8'), /^\[profile awsidc-terminal\]\n/);
  });

  test('a wrong or stale section of that name is replaced in place; what follows it stays', async () => {
    const o = setup('[profile awsidc-terminal]\naws_access_key_id = AKIAOLD\ncredential_process = /gone/script\n\n# about y\n[profile y]\nregion = r\n');
    assert.equal((await ensureTerminalProfile(o)).changed, true);
    const text = fs.readFileSync(o.configFile, 'utf8');
    assert.doesNotMatch(text, /AKIAOLD|\/gone\/script/);
    assert.match(text, /credential_process = .*\n\n# about y\n\[profile y\]\nregion = r\n$/);
  });

  test("another install's script that still exists is left in place (no flapping); once gone it is replaced", async () => {
    const o = setup();
    const other = path.join(o.dir, 'other-install');
    const first = await ensureTerminalProfile({ ...o, scriptDir: other });
    const text = fs.readFileSync(o.configFile, 'utf8');
    assert.equal((await ensureTerminalProfile(o)).changed, true, 'our own script is still written');
    assert.equal(fs.readFileSync(o.configFile, 'utf8'), text, 'the profile flapped to the second install');
    assert.equal((await ensureTerminalProfile({ ...o, scriptDir: other })).changed, false);
    fs.rmSync(first.scriptPath);
    await ensureTerminalProfile(o);
    assert.match(fs.readFileSync(o.configFile, 'utf8'), new RegExp(`credential_process = ${path.join(o.scriptDir, 'credential-process')}\n`));
    // A file at that path that is not our script does not count as another install.
    fs.writeFileSync(first.scriptPath, '#!/bin/sh\necho hostile\n');
    fs.writeFileSync(o.configFile, `[profile awsidc-terminal]\ncredential_process = ${first.scriptPath}\n`);
    await ensureTerminalProfile(o);
    assert.doesNotMatch(fs.readFileSync(o.configFile, 'utf8'), /other-install/);
  });

  test('a path with a space is quoted; one with shell or INI specials is refused before anything is written', async () => {
    const o = setup('[default]\n');
    const spaced = path.join(o.dir, 'my folder');
    await ensureTerminalProfile({ ...o, scriptDir: spaced });
    assert.match(fs.readFileSync(o.configFile, 'utf8'), new RegExp(`credential_process = "${spaced}/credential-process"\n`));
    for (const bad of ['a"b', 'a$(id)', 'a`id`', 'a\nb', 'relative']) {
      const before = fs.readFileSync(o.configFile, 'utf8');
      await assert.rejects(ensureTerminalProfile({ ...o, scriptDir: bad === 'relative' ? bad : path.join(o.dir, bad) }), /cannot hold/);
      assert.equal(fs.readFileSync(o.configFile, 'utf8'), before);
    }
  });

  for (const [name, content] of [
    ['settings before any section', 'region = x\n[default]\n'],
    ['binary data', Buffer.from([0x5b, 0x61, 0x5d, 0x0a, 0x00, 0x01])],
  ] as [string, string | Buffer][]) {
    test(`an unparseable file (${name}) is refused with a clear error and not touched`, async () => {
      const o = setup(content);
      const before = fs.readFileSync(o.configFile);
      await assert.rejects(ensureTerminalProfile(o), /cannot be read as an AWS config file.*not changed/);
      assert.ok(fs.readFileSync(o.configFile).equals(before));
      assert.deepEqual(
        fs.readdirSync(o.dir).filter((f) => f !== 'config' && f !== 'awsidc'),
        [],
        'a temp or lock file was left',
      );
    });
  }

  test('a huge file is refused without being read whole', async () => {
    const o = setup();
    fs.writeFileSync(o.configFile, '[default]\n' + '#'.repeat(MAX_CONFIG_BYTES));
    await assert.rejects(ensureTerminalProfile(o), /larger than 1 MiB/);
    assert.equal(fs.statSync(o.configFile).size, MAX_CONFIG_BYTES + 10);
  });

  test('a symlink to a file of ours is written through; to a directory or FIFO it is refused', async () => {
    const o = setup();
    const real = path.join(o.dir, 'dotfiles-config');
    fs.writeFileSync(real, '[default]\n');
    fs.symlinkSync(real, o.configFile);
    await ensureTerminalProfile(o);
    assert.ok(fs.lstatSync(o.configFile).isSymbolicLink(), 'the link was replaced by a file');
    assert.match(fs.readFileSync(real, 'utf8'), /\[profile awsidc-terminal\]/);
    for (const make of [(p: string) => fs.mkdirSync(p), (p: string) => void execFileSync('mkfifo', [p])]) {
      const x = setup();
      const target = path.join(x.dir, 'target');
      make(target);
      fs.symlinkSync(target, x.configFile);
      await assert.rejects(ensureTerminalProfile(x), /not a regular file of this user/);
    }
  });

  test('a config file owned by another user is refused', { skip: process.getuid?.() !== 0 && 'needs root to chown' }, async () => {
    const o = setup('[default]\n');
    fs.chownSync(o.configFile, 65534, 65534);
    await assert.rejects(ensureTerminalProfile(o), /not a regular file of this user/);
    assert.equal(fs.readFileSync(o.configFile, 'utf8'), '[default]\n');
  });

  test('removeTerminalProfile takes out our section (and the blank line we added), nothing else', async () => {
    const o = setup(USER_CONFIG);
    await ensureTerminalProfile(o);
    assert.equal(await removeTerminalProfile(o.configFile), true);
    assert.equal(fs.readFileSync(o.configFile, 'latin1'), Buffer.from(USER_CONFIG, 'utf8').toString('latin1'));
    assert.equal(await removeTerminalProfile(o.configFile), false);
    assert.equal(await removeTerminalProfile(path.join(o.dir, 'missing')), false);
  });

  test('removeTerminalProfile with scriptDir removes our script and its empty folder, never a file that is not ours', async () => {
    const o = setup('[default]\n');
    const { scriptPath } = await ensureTerminalProfile(o);
    assert.equal(await removeTerminalProfile(o.configFile, { scriptDir: o.scriptDir }), true);
    assert.equal(fs.existsSync(scriptPath), false);
    assert.equal(fs.existsSync(o.scriptDir), false);
    assert.equal(fs.readFileSync(o.configFile, 'utf8'), '[default]\n');
    fs.mkdirSync(o.scriptDir);
    fs.writeFileSync(scriptPath, '#!/bin/sh\necho mine\n');
    await removeTerminalProfile(o.configFile, { scriptDir: o.scriptDir });
    assert.equal(fs.readFileSync(scriptPath, 'utf8'), '#!/bin/sh\necho mine\n');
    assert.equal(terminalProfileSupported('win32'), false);
    assert.equal(terminalProfileSupported('darwin'), true);
  });

  test('two windows ensuring at once write one section', async () => {
    const o = setup('[default]\n');
    await Promise.all([ensureTerminalProfile(o), ensureTerminalProfile(o), ensureTerminalProfile(o)]);
    assert.equal(fs.readFileSync(o.configFile, 'utf8').split(`[profile ${TERMINAL_PROFILE}]`).length, 2);
  });
});
