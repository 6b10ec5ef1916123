// Long-term key detection: real files through the SDK's INI loader.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { AKIA, ASIA, OTHER, SECRET, TOKEN, assertNoSecrets } from '../../support/awsExampleKeys';
import { tempDirs } from '../../support/tempDirs';
import { findLongTermKeys, guidanceFor, scanLongTermKeys, summarize, type LongTermKeyFinding } from '../../../src/core/awsFiles/longTermKeys';

const freshDir = tempDirs('awsidc-keys-');

const keys = (id: string, token = false): string =>
  `aws_access_key_id = ${id}\naws_secret_access_key = ${SECRET}\n${token ? `aws_session_token = ${TOKEN}\n` : ''}`;

describe('findLongTermKeys', () => {
  type Case = { name: string; credentials?: string; config?: string; env?: NodeJS.ProcessEnv; want: Partial<LongTermKeyFinding>[] };
  const cases: Case[] = [
    {
      name: 'default profile with a long-term key',
      credentials: `[default]\n${keys(AKIA)}`,
      want: [{ where: 'credentials', profile: 'default', keyId: 'AKIA…MPLE' }],
    },
    { name: 'temporary ASIA key with a session token', credentials: `[temp]\n${keys(ASIA, true)}`, want: [] },
    {
      name: 'IAM user key (AKIA) even with a session token',
      credentials: `[odd]\n${keys(AKIA, true)}`,
      want: [{ where: 'credentials', profile: 'odd', keyId: 'AKIA…MPLE' }],
    },
    {
      name: 'any other key without a session token',
      credentials: `[other]\n${keys(OTHER)}`,
      want: [{ where: 'credentials', profile: 'other', keyId: 'ABCD…1234' }],
    },
    { name: 'ASIA key without a token is temporary (and broken), not long-term', credentials: `[half]\n${keys(ASIA)}`, want: [] },
    { name: 'a key id without a secret is not a credential', credentials: `[idonly]\naws_access_key_id = ${AKIA}\n`, want: [] },
    {
      name: 'keys in the config file; sso profiles and sso-session sections ignored',
      config: `[profile dev]\n${keys(AKIA)}\n[profile sso]\nsso_session = corp\nsso_account_id = 111122223333\n[sso-session corp]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n`,
      want: [{ where: 'config', profile: 'dev', keyId: 'AKIA…MPLE' }],
    },
    {
      name: 'several profiles, file order kept',
      credentials: `[default]\n${keys(OTHER)}\n[temp]\n${keys(ASIA, true)}\n[ci]\n${keys(AKIA)}`,
      want: [
        { profile: 'default', keyId: 'ABCD…1234' },
        { profile: 'ci', keyId: 'AKIA…MPLE' },
      ],
    },
    {
      name: 'environment: key and secret, no token',
      env: { AWS_ACCESS_KEY_ID: AKIA, AWS_SECRET_ACCESS_KEY: SECRET },
      want: [{ where: 'environment', variable: 'AWS_ACCESS_KEY_ID', keyId: 'AKIA…MPLE' }],
    },
    {
      name: 'environment: AKIA with a token',
      env: { AWS_ACCESS_KEY_ID: AKIA, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN },
      want: [{ where: 'environment', keyId: 'AKIA…MPLE' }],
    },
    { name: 'environment: temporary credentials', env: { AWS_ACCESS_KEY_ID: ASIA, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN }, want: [] },
    { name: 'environment: blanked variables', env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' }, want: [] },
    { name: 'missing files and empty environment', want: [] },
    {
      name: 'garbage files do not crash',
      credentials: '\u0000\u0001[[[ not ini\n= = =\n[default',
      config: '[profile __proto__]\naws_access_key_id = x\n',
      want: [],
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const dir = freshDir();
      const credentialsPath = join(dir, 'credentials');
      const configPath = join(dir, 'config');
      if (c.credentials !== undefined) writeFileSync(credentialsPath, c.credentials);
      if (c.config !== undefined) writeFileSync(configPath, c.config);
      const scan = await scanLongTermKeys({ env: { HOME: dir, ...c.env }, credentialsPath, configPath });
      assert.deepEqual(scan.problems, []);
      assert.equal(scan.findings.length, c.want.length, JSON.stringify(scan.findings));
      c.want.forEach((want, i) => {
        const got = scan.findings[i];
        for (const [k, v] of Object.entries(want)) assert.equal(got[k as keyof LongTermKeyFinding], v, k);
        assert.equal(got.kind, 'long-term');
        assert.equal(got.file, got.where === 'environment' ? undefined : got.where === 'config' ? configPath : credentialsPath);
      });
      assertNoSecrets(JSON.stringify(scan) + summarize(scan.findings) + guidanceFor(scan.findings));
    });
  }

  test('file locations come from AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE, else HOME/.aws', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, '.aws'));
    writeFileSync(join(dir, '.aws', 'credentials'), `[home]\n${keys(AKIA)}`);
    writeFileSync(join(dir, 'creds-elsewhere'), `[moved]\n${keys(AKIA)}`);
    writeFileSync(join(dir, 'config-elsewhere'), `[profile cfg]\n${keys(OTHER)}`);
    assert.deepEqual(
      (await findLongTermKeys({ env: { HOME: dir } })).map((f) => f.profile),
      ['home'],
    );
    const moved = await findLongTermKeys({
      env: { HOME: dir, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'creds-elsewhere'), AWS_CONFIG_FILE: '~/config-elsewhere' },
    });
    assert.deepEqual(
      moved.map((f) => [f.where, f.profile]),
      [
        ['credentials', 'moved'],
        ['config', 'cfg'],
      ],
    );
  });

  test(
    'an unreadable file is a problem, not a crash',
    { skip: process.platform === 'win32' || process.getuid?.() === 0 ? 'permissions not enforced' : false },
    async () => {
      const dir = freshDir();
      const credentialsPath = join(dir, 'credentials');
      writeFileSync(credentialsPath, `[default]\n${keys(AKIA)}`);
      chmodSync(credentialsPath, 0);
      const scan = await scanLongTermKeys({ env: { HOME: dir }, credentialsPath, configPath: join(dir, 'config') });
      assert.deepEqual(scan.findings, []);
      assert.match(scan.problems[0], /cannot be read \(EACCES\)/);
    },
  );

  test('a path that exists but cannot be opened (symlink loop) is a problem too, even for root', { skip: process.platform === 'win32' }, async () => {
    const dir = freshDir();
    symlinkSync(join(dir, 'loop'), join(dir, 'loop'));
    const scan = await scanLongTermKeys({ env: { HOME: dir }, credentialsPath: join(dir, 'loop'), configPath: join(dir, 'config') });
    assert.deepEqual(scan.findings, []);
    assert.match(scan.problems[0], /loop cannot be read \(ELOOP\)/);
  });

  test('a FIFO in place of the credentials file is reported, not read (the read would block forever)', { skip: process.platform === 'win32' }, async () => {
    const dir = freshDir();
    execFileSync('mkfifo', [join(dir, 'credentials')]);
    writeFileSync(join(dir, 'config'), `[profile a]\n${keys(AKIA)}`);
    const scan = await scanLongTermKeys({ env: { HOME: dir }, credentialsPath: join(dir, 'credentials'), configPath: join(dir, 'config') });
    assert.deepEqual(
      scan.findings.map((f) => f.profile),
      ['a'],
      'the config file is still checked',
    );
    assert.match(scan.problems[0], /credentials is not a regular file/);
  });

  test('summary and guidance name the places and the steps, never the key', () => {
    const home = '/home/dev';
    const findings: LongTermKeyFinding[] = [
      { where: 'credentials', file: '/home/dev/.aws/credentials', profile: 'default', keyId: 'AKIA…MPLE', kind: 'long-term' },
      { where: 'environment', variable: 'AWS_ACCESS_KEY_ID', keyId: 'AKIA…MPLE', kind: 'long-term' },
    ];
    assert.equal(
      summarize(findings, { home }),
      "2 long-term access keys: [profile default] in ~/.aws/credentials, AWS_ACCESS_KEY_ID in the editor's environment",
    );
    assert.equal(summarize(findings.slice(1), { home }), "1 long-term access key: AWS_ACCESS_KEY_ID in the editor's environment");
    assert.equal(summarize([], { home }), 'No long-term access keys found.');
    const guidance = guidanceFor(findings);
    for (const part of [
      /never expire/,
      /short-lived/,
      /Save Role as AWS CLI Profile/,
      /sso_session/,
      /\/home\/dev\/\.aws\/credentials/,
      /shell profile/,
      /IAM console/,
    ])
      assert.match(guidance, part);
    assert.doesNotMatch(guidanceFor(findings.slice(1)), /Save Role as AWS CLI Profile/, 'file steps only when a file has keys');
    assert.doesNotMatch(guidance, /\n/, 'one paragraph');
  });
});
