// Retiring a long-term key: the profile renamed (never deleted), a profile of the same name using an
// Identity Center role written to ~/.aws/config, and an undo that gives both files back byte for byte.
// Refusals (symlink, clash, changed since) change nothing.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { findLongTermKeys, type LongTermKeyFinding } from '../../../src/core/awsFiles/longTermKeys';
import { retireLongTermKey, retiredName, undoRetire, type RetireTarget } from '../../../src/core/awsFiles/retireKey';
import { tempDir } from '../../support/cliFixtures';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const TARGET: RetireTarget = {
  sessionName: 'corp',
  startUrl: 'https://d-123.awsapps.com/start',
  region: 'us-east-1',
  accountId: '111122223333',
  roleName: 'ReadOnly',
};
const DAY = new Date('2026-12-07T10:00:00Z');
// CRLF lines, a Latin-1 comment byte, a comment after the header, no newline at the end.
const CREDENTIALS = Buffer.concat([
  Buffer.from(`# my keys\r\n[default] ; old laptop key\r\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\r\naws_secret_access_key = ${SECRET}\r\n# caf`),
  Buffer.from([0xe9]),
  Buffer.from(`\r\n\r\n[other]\r\naws_access_key_id = AKIAOTHEROTHEROTHER1\r\naws_secret_access_key = x${SECRET}`),
]);
const CONFIG = Buffer.from('# config\n[default]\nregion = eu-west-1 # mine\noutput = json\n\n[profile keep]\nregion = us-west-2\n');

function files(dir: string, config: Buffer | null = CONFIG): { credentials: string; config: string } {
  const credentials = path.join(dir, 'credentials');
  const configFile = path.join(dir, 'config');
  fs.writeFileSync(credentials, CREDENTIALS, { mode: 0o600 });
  if (config) fs.writeFileSync(configFile, config);
  return { credentials, config: configFile };
}

async function finding(p: { credentials: string; config: string }, profile = 'default'): Promise<LongTermKeyFinding> {
  const all = await findLongTermKeys({ env: {}, credentialsPath: p.credentials, configPath: p.config });
  return all.find((f) => f.profile === profile)!;
}

describe('retireLongTermKey', () => {
  test('[default] moved aside and a [default] with sso_session written; undo gives both files back byte for byte', async () => {
    const dir = tempDir('retire-');
    try {
      const p = files(dir);
      const record = await retireLongTermKey(await finding(p), p.config, TARGET, { date: DAY });
      assert.equal(record.retiredAs, 'retired-default-20261207');
      const credentials = fs.readFileSync(p.credentials);
      // Only the header's name changed: the key, the comment after the header and every other byte stay.
      assert.deepEqual(credentials, Buffer.from(CREDENTIALS.toString('latin1').replace('[default] ;', '[retired-default-20261207] ;'), 'latin1'));
      assert.equal(fs.statSync(p.credentials).mode & 0o777, 0o600, 'mode kept');
      const config = fs.readFileSync(p.config, 'utf8');
      assert.ok(
        config.startsWith(
          '# config\n[default]\nregion = eu-west-1 # mine\noutput = json\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n',
        ),
        config,
      );
      assert.match(config, /\[sso-session corp\]\nsso_start_url = https:\/\/d-123\.awsapps\.com\/start\nsso_region = us-east-1/);
      // What the SDK now reads: [default] is the role, the key sits under its new name.
      const sdk = await loadSharedConfigFiles({ filepath: p.credentials, configFilepath: p.config, ignoreCache: true });
      assert.equal(sdk.credentialsFile.default, undefined);
      assert.equal(sdk.credentialsFile['retired-default-20261207']?.aws_access_key_id, 'AKIAIOSFODNN7EXAMPLE');
      assert.equal(sdk.configFile.default?.sso_role_name, 'ReadOnly');
      // The undo record is kept in the editor's storage: it holds no secret.
      const kept = JSON.stringify(record);
      assert.ok(!kept.includes(SECRET) && !kept.includes(Buffer.from(SECRET).toString('base64')), 'no secret in the record');
      assert.ok(!kept.includes('AKIAIOSFODNN7EXAMPLE'), 'not even the key id');

      await undoRetire(record);
      assert.deepEqual(fs.readFileSync(p.credentials), CREDENTIALS);
      assert.deepEqual(fs.readFileSync(p.config), CONFIG);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a profile other than default keeps its name for the role; a config file that did not exist is removed again on undo', async () => {
    const dir = tempDir('retire-');
    try {
      const p = files(dir, null);
      const record = await retireLongTermKey(await finding(p, 'other'), p.config, TARGET, { date: DAY });
      assert.match(fs.readFileSync(p.credentials, 'latin1'), /\r\n\[retired-other-20261207\]\r\naws_access_key_id = AKIAOTHEROTHEROTHER1/);
      assert.match(fs.readFileSync(p.config, 'utf8'), /\[profile other\]\nsso_session = corp/);
      await undoRetire(record);
      assert.deepEqual(fs.readFileSync(p.credentials), CREDENTIALS);
      assert.ok(!fs.existsSync(p.config), 'the config file we created is gone again');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a key in ~/.aws/config: both edits in that one file, undone in order', async () => {
    const dir = tempDir('retire-');
    try {
      const config = Buffer.from(`[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}\nregion = eu-west-1\n`);
      const p = files(dir, config);
      fs.writeFileSync(p.credentials, '');
      const f = (await findLongTermKeys({ env: {}, credentialsPath: p.credentials, configPath: p.config }))[0];
      assert.equal(f.where, 'config');
      const record = await retireLongTermKey(f, p.config, TARGET, { date: DAY });
      const text = fs.readFileSync(p.config, 'utf8');
      assert.ok(
        text.startsWith(
          `[profile retired-default-20261207]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}\nregion = eu-west-1\n`,
        ),
      );
      assert.match(text, /\n\[default\]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\nregion = us-east-1\n/);
      assert.ok(!JSON.stringify(record).includes(SECRET));
      await undoRetire(record);
      assert.deepEqual(fs.readFileSync(p.config), config);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('refusals change nothing: a clashing [default] in config, a symlinked file, a file changed before undo', async () => {
    const dir = tempDir('retire-');
    try {
      const clash = Buffer.from('[default]\nrole_arn = arn:aws:iam::111122223333:role/X\nsource_profile = other\n');
      const p = files(dir, clash);
      const f = await finding(p);
      await assert.rejects(retireLongTermKey(f, p.config, TARGET, { date: DAY }), /already gets its credentials through role_arn/);
      assert.deepEqual(fs.readFileSync(p.credentials), CREDENTIALS);
      assert.deepEqual(fs.readFileSync(p.config), clash);

      const real = path.join(dir, 'real-credentials');
      fs.renameSync(p.credentials, real);
      fs.symlinkSync(real, p.credentials);
      fs.writeFileSync(p.config, CONFIG);
      await assert.rejects(retireLongTermKey(f, p.config, TARGET, { date: DAY }), /symbolic link/);
      assert.deepEqual(fs.readFileSync(real), CREDENTIALS);
      assert.deepEqual(fs.readFileSync(p.config), CONFIG);

      fs.rmSync(p.credentials);
      fs.renameSync(real, p.credentials);
      const record = await retireLongTermKey(f, p.config, TARGET, { date: DAY });
      fs.appendFileSync(p.config, '# edited by hand\n');
      const credentialsNow = fs.readFileSync(p.credentials);
      await assert.rejects(undoRetire(record), /changed after the key was moved aside.*Rename \[retired-default-20261207\] back to \[default\]/);
      assert.deepEqual(fs.readFileSync(p.credentials), credentialsNow, 'neither file touched');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('retired names are unique', () => {
    assert.equal(retiredName('default', new Set(), DAY), 'retired-default-20261207');
    assert.equal(retiredName('default', new Set(['retired-default-20261207', 'retired-default-20261207-2']), DAY), 'retired-default-20261207-3');
  });
});
