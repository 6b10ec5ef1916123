// Reading [sso-session] entries from a real file with the SDK's INI loader.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readSsoSessions } from '../../../src/core/awsFiles/awsConfigRead';
import { tempDirs } from '../../support/tempDirs';

const dir = tempDirs('awsidc-config-')();
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

test('complete sessions are read; incomplete ones are reported, not used', async () => {
  const p = file(
    'config',
    `[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n\n[sso-session broken]\nsso_start_url = not a url\nsso_region = us-east-1\n\n[sso-session noregion]\nsso_start_url = https://x.awsapps.com/start\n\n[profile dev]\nsso_session = corp\n`,
  );
  const r = await readSsoSessions(p);
  assert.deepEqual(r.sessions, [{ startUrl: 'https://d-1234567890.awsapps.com/start', region: 'eu-west-1', sessionName: 'corp' }]);
  assert.equal(r.problems.length, 2);
  assert.match(r.problems.join('\n'), /broken.*sso_start_url/);
  assert.match(r.problems.join('\n'), /noregion.*sso_region is missing/);
});

test('a missing file is no problem; a malformed one yields no sessions and does not throw', async () => {
  assert.deepEqual((await readSsoSessions(join(dir, 'absent'))).sessions, []);
  const r = await readSsoSessions(file('garbage', '\u0000\u0001[[[ not ini\n= = =\n[sso-session'));
  assert.deepEqual(r.sessions, []);
});

test('an unreadable file is reported with what to check', { skip: process.getuid?.() === 0 ? 'root can read any file' : false }, async () => {
  const p = file('locked', '[sso-session a]\nsso_start_url = https://a.awsapps.com/start\nsso_region = us-east-1\n');
  chmodSync(p, 0);
  const r = await readSsoSessions(p);
  assert.match(r.problems[0], /cannot be read/);
});

test(
  'a FIFO in place of the file is reported, not read (the read would block until someone writes to it)',
  { skip: process.platform === 'win32' },
  async () => {
    const p = join(dir, 'fifo');
    execFileSync('mkfifo', [p]);
    const r = await readSsoSessions(p);
    assert.deepEqual(r.sessions, []);
    assert.match(r.problems[0], /is not a regular file/);
  },
);

test('a section named __proto__ (the SDK then ignores the whole file) is reported', async () => {
  const p = file('proto', '[sso-session corp]\nsso_start_url = https://a.awsapps.com/start\nsso_region = us-east-1\n[profile __proto__]\nregion = x\n');
  const r = await readSsoSessions(p);
  assert.deepEqual(r.sessions, []);
  assert.match(r.problems.join('\n'), /section named __proto__; the AWS SDKs ignore the whole file/);
});
