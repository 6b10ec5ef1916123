// "Save Role as AWS CLI Profile": line-level edits of ~/.aws/config.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { saveCliProfile } from '../../../src/core/awsFiles/awsConfigSave';
import { checkCliName, suggestProfileName, upsertCliProfile, type CliProfileOptions } from '../../../src/core/awsFiles/awsConfigWrite';
import { tempDir, noUndefined } from '../../support/cliFixtures';
import { profileOptions } from '../../support/profileOptions';

describe('upsertCliProfile / saveCliProfile', () => {
  const opts = profileOptions;
  const NEW_BLOCK =
    '[sso-session corp]\nsso_start_url = https://d-123.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n\n' +
    '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\nregion = eu-west-1\n';

  const cases: { name: string; before: string; opts?: Partial<CliProfileOptions>; after: string }[] = [
    { name: 'empty file', before: '', after: NEW_BLOCK },
    {
      name: 'no newline at the end: one is added before the new sections',
      before: '[default]\nregion = us-west-2',
      after: `[default]\nregion = us-west-2\n\n${NEW_BLOCK}`,
    },
    {
      name: 'comments, other profiles, odd spacing and a nested block are kept byte-for-byte',
      before:
        '# my config\n; semicolon comment\n[default]\nregion=us-west-2\ns3 =\n  max_concurrent_requests = 20\n\n[profile other]   # trailing\noutput: json\n\n\n',
      after: `# my config\n; semicolon comment\n[default]\nregion=us-west-2\ns3 =\n  max_concurrent_requests = 20\n\n[profile other]   # trailing\noutput: json\n\n\n${NEW_BLOCK}`,
    },
    {
      name: 'CRLF files get CRLF lines',
      before: '[default]\r\nregion = us-west-2\r\n',
      after: `[default]\r\nregion = us-west-2\r\n\r\n${NEW_BLOCK.replace(/\n/g, '\r\n')}`,
    },
    {
      name: 'an existing profile is updated in place: its other keys, comments and key spelling kept; missing keys go after its last key',
      before:
        '[profile dev]\n# points at prod!\nSSO_ROLE_NAME=Admin\noutput = json\nsso_account_id = 111122223333\n# about the next one\n\n[sso-session corp]\nsso_start_url = https://d-123.awsapps.com/start/\nsso_region = us-east-1\n',
      after:
        '[profile dev]\n# points at prod!\nSSO_ROLE_NAME = ReadOnly\noutput = json\nsso_account_id = 111122223333\nsso_session = corp\nregion = eu-west-1\n# about the next one\n\n[sso-session corp]\nsso_start_url = https://d-123.awsapps.com/start/\nsso_region = us-east-1\n',
    },
    {
      name: 'without profileRegion a new profile gets the Identity Center region, an existing one keeps its own',
      before: '[profile dev]\nregion = ap-south-1\n',
      opts: { profileRegion: undefined },
      after:
        '[profile dev]\nregion = ap-south-1\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n\n[sso-session corp]\nsso_start_url = https://d-123.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n',
    },
    {
      name: 'legacy sso keys left in the profile are made to agree with the session (botocore refuses contradictions)',
      before:
        '[profile dev]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-west-2\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\nregion = eu-west-1\n[sso-session corp]\nsso_start_url = https://d-123.awsapps.com/start\nsso_region = us-east-1',
      after:
        '[profile dev]\nsso_start_url = https://d-123.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\nregion = eu-west-1\nsso_session = corp\n[sso-session corp]\nsso_start_url = https://d-123.awsapps.com/start\nsso_region = us-east-1',
    },
    { name: '"default" is written as [default]', before: '', opts: { profileName: 'default' }, after: NEW_BLOCK.replace('[profile dev]', '[default]') },
    {
      name: 'an existing [profile default] is updated rather than shadowed',
      before: '[profile default]\nsso_role_name = Admin\n',
      opts: { profileName: 'default' },
      after:
        '[profile default]\nsso_role_name = ReadOnly\nsso_session = corp\nsso_account_id = 111122223333\nregion = eu-west-1\n\n[sso-session corp]\nsso_start_url = https://d-123.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n',
    },
    {
      name: 'an sso-session missing its keys gets them',
      before: '[sso-session corp]\n',
      after: '[sso-session corp]\nsso_start_url = https://d-123.awsapps.com/start\nsso_region = us-east-1\n\n' + NEW_BLOCK.slice(NEW_BLOCK.indexOf('[profile')),
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const o = { ...opts, ...c.opts };
      const after = upsertCliProfile(c.before, o);
      assert.equal(after, c.after);
      assert.equal(upsertCliProfile(after, o), after, 'a second save changes nothing');
    });
  }

  test('refuses, with the file and section named and what to do, an sso-session pointing elsewhere or a profile with other credentials', () => {
    const conflict = '[sso-session corp]\nsso_start_url = https://other.awsapps.com/start\nsso_region = us-east-1\n';
    assert.throws(
      () => upsertCliProfile(conflict, opts, '/home/u/.aws/config'),
      (e: Error) => {
        assert.match(
          e.message,
          /\[sso-session corp\] in \/home\/u\/\.aws\/config already points to https:\/\/other\.awsapps\.com\/start in us-east-1, not https:\/\/d-123\.awsapps\.com\/start in us-east-1\. Choose another session name.*Nothing was written/,
        );
        return true;
      },
    );
    assert.throws(() => upsertCliProfile('[sso-session corp]\nsso_region = eu-west-1\n', opts), /\[sso-session corp\].*eu-west-1/);
    assert.throws(
      () => upsertCliProfile('[profile dev]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = base\n', opts),
      /profile "dev".*role_arn.*another profile name/,
    );
    for (const [name, why] of [
      ['my dev', 'can only hold letters'],
      ['dev]', 'can only hold letters'],
      ['', 'empty'],
      ['a"b', 'can only hold letters'],
      ['x\ny', '"x\\\\ny" can only hold letters'],
      ['__proto__', 'refuse a config file'],
    ]) {
      assert.match(checkCliName('profile', name) ?? '', new RegExp(why), JSON.stringify(name));
      assert.throws(() => upsertCliProfile('', { ...opts, profileName: name }));
    }
    assert.equal(checkCliName('profile', 'team_a.dev-1@x+y%z:w/v'), undefined);
    assert.throws(() => upsertCliProfile('', { ...opts, accountId: '123' }), /12-digit/);
    assert.throws(() => upsertCliProfile('', { ...opts, roleName: 'Read\nOnly' }), /role name/);
    assert.throws(() => upsertCliProfile('', { ...opts, startUrl: 'http://x.awsapps.com/start' }), /https/);
    assert.throws(() => upsertCliProfile('', { ...opts, region: 'mars-1' }), /region/);
    // Nothing can smuggle a line (and so a key or section) into the file.
    assert.throws(() => upsertCliProfile('', { ...opts, profileRegion: 'eu-west-1\ncredential_process = evil' }), /region/);
    assert.throws(() => upsertCliProfile('', { ...opts, registrationScopes: 'sso:account:access\n[default]' }), /scopes/);
    assert.throws(() => upsertCliProfile('', { ...opts, startUrl: 'https://d-123.awsapps.com/start\nx=1' }));
  });

  test("the JS SDK's own INI loader reads the result as an sso_session profile", async () => {
    const dir = tempDir('cfg');
    try {
      const file = path.join(dir, 'config');
      fs.writeFileSync(file, upsertCliProfile('# keep\r\n[default]\r\nregion = us-west-2\r\n', opts));
      const { loadSharedConfigFiles } = await import('@smithy/shared-ini-file-loader');
      const { configFile } = await loadSharedConfigFiles({ configFilepath: file, filepath: path.join(dir, 'none'), ignoreCache: true });
      assert.deepEqual(noUndefined(configFile.dev), { sso_session: 'corp', sso_account_id: '111122223333', sso_role_name: 'ReadOnly', region: 'eu-west-1' });
      assert.equal(configFile['sso-session.corp']?.sso_start_url, opts.startUrl);
      assert.equal(configFile.default?.region, 'us-west-2');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('saveCliProfile: creates the directory, keeps the file mode and a symlink, leaves no temp files, writes nothing on conflict', async (t) => {
    const dir = tempDir('cfg');
    try {
      const fresh = path.join(dir, 'new', '.aws', 'config');
      assert.deepEqual(await saveCliProfile(fresh, opts), { path: fresh, changed: true });
      assert.equal(fs.readFileSync(fresh, 'utf8'), NEW_BLOCK);
      assert.deepEqual(await saveCliProfile(fresh, opts), { path: fresh, changed: false });
      assert.deepEqual(fs.readdirSync(path.dirname(fresh)), ['config']);
      if (process.platform === 'win32') return t.skip('modes and symlinks are POSIX-only here');
      assert.equal(fs.statSync(fresh).mode & 0o777, 0o600, 'a new config is private, as `aws configure` makes it');

      const real = path.join(dir, 'dotfiles-config');
      fs.writeFileSync(real, '[default]\nregion = us-west-2\n', { mode: 0o640 });
      fs.chmodSync(real, 0o640);
      const link = path.join(dir, 'config');
      fs.symlinkSync(real, link);
      await saveCliProfile(link, opts);
      assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the symlink is still a symlink');
      assert.equal(fs.readFileSync(real, 'utf8'), `[default]\nregion = us-west-2\n\n${NEW_BLOCK}`);
      assert.equal(fs.statSync(real).mode & 0o777, 0o640, 'the mode is kept');

      const conflicting = '[sso-session corp]\nsso_start_url = https://other.awsapps.com/start\nsso_region = us-east-1\n';
      fs.writeFileSync(real, conflicting);
      const mtime = fs.statSync(real).mtimeMs;
      await assert.rejects(saveCliProfile(link, opts), new RegExp(`in ${link.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} already points`));
      assert.equal(fs.readFileSync(real, 'utf8'), conflicting);
      assert.equal(fs.statSync(real).mtimeMs, mtime);
      assert.deepEqual(fs.readdirSync(dir).sort(), ['config', 'dotfiles-config', 'new']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('suggestProfileName', () => {
    for (const [account, role, name] of [
      ['Sandbox', 'ReadOnly', 'Sandbox-ReadOnly'],
      ['Prod (EU) – Zürich', 'AdministratorAccess', 'Prod-EU-Zurich-AdministratorAccess'],
      ['<b>html</b>', 'Dev', 'b-html-b-Dev'],
      ['日本', 'Dev', 'Dev'],
      ['', '', 'sso'],
    ]) {
      const got = suggestProfileName(account, role);
      assert.equal(got, name);
      assert.equal(checkCliName('profile', got), undefined);
    }
  });
});
