// The vscode:uninstall hook, run as VS Code runs it (a separate `node` process), on a HOME where the
// extension put its terminal profile next to the user's own [default].
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { defaultScriptDir, ensureTerminalProfile } from '../../../src/core/awsFiles/terminalProfile';

const ROOT = path.resolve(__dirname, '../../../..');
const hooks = [path.join(ROOT, 'out', 'src', 'uninstall.js'), path.join(ROOT, 'dist', 'uninstall.js')];

for (const hook of hooks) {
  test(`${path.relative(ROOT, hook)} removes our profile and script, and nothing else`, { skip: !fs.existsSync(hook) && 'not built' }, async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'awsidc-uninstall-'));
    const env = { PATH: process.env.PATH, HOME: home };
    const config = path.join(home, '.aws', 'config');
    fs.mkdirSync(path.dirname(config));
    const own = '[default]\nregion = eu-west-1\n\n[profile work]\nsso_session = corp\n';
    fs.writeFileSync(config, own);
    const { scriptPath } = await ensureTerminalProfile({ configFile: config, scriptDir: defaultScriptDir(env) });
    assert.match(fs.readFileSync(config, 'utf8'), /\[profile awsidc-terminal\]/);
    const out = execFileSync(process.execPath, [hook], { env, encoding: 'utf8' });
    assert.match(out, /removed \[profile awsidc-terminal\]/);
    assert.equal(fs.readFileSync(config, 'utf8'), own);
    assert.ok(!fs.existsSync(scriptPath), 'the script is gone');
    // Twice is harmless: nothing left to remove, nothing printed.
    assert.equal(execFileSync(process.execPath, [hook], { env, encoding: 'utf8' }), '');
    fs.rmSync(home, { recursive: true, force: true });
  });
}

test('a file named like our script that is not ours stays', { skip: !fs.existsSync(hooks[0]) && 'not built' }, () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'awsidc-uninstall-'));
  const script = path.join(home, '.aws', 'awsidc', 'credential-process');
  fs.mkdirSync(path.dirname(script), { recursive: true });
  fs.writeFileSync(script, '#!/bin/sh\necho mine\n');
  execFileSync(process.execPath, [hooks[0]], { env: { PATH: process.env.PATH, HOME: home } });
  assert.equal(fs.readFileSync(script, 'utf8'), '#!/bin/sh\necho mine\n');
  fs.rmSync(home, { recursive: true, force: true });
});
