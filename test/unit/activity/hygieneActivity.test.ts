// Long-term key detection (real files through the SDK's INI loader) and the activity log
// (real files in a temp dir, a manual clock for the debounce).
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, promises as fsp, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ActivityLog, type ActivityEntry, renderActivityMarkdown } from '../../../src/core/activity/activityLog';
import { findLongTermKeys, guidanceFor, scanLongTermKeys, summarize, type LongTermKeyFinding } from '../../../src/core/awsFiles/longTermKeys';
import { ManualClock } from '../../support/clocks';

const root = mkdtempSync(join(tmpdir(), 'awsidc-hygiene-'));
let seq = 0;
const freshDir = (): string => {
  const d = join(root, String(++seq));
  mkdirSync(d);
  return d;
};

// AWS's documented example values: the full id and the secret must never come back out.
const AKIA = 'AKIAIOSFODNN7EXAMPLE';
const ASIA = 'ASIAY34FZKBOKMUTVV7A';
const OTHER = 'ABCDEFGHIJKLMNOP1234';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLETOKEN';
const keys = (id: string, token = false): string => `aws_access_key_id = ${id}\naws_secret_access_key = ${SECRET}\n${token ? `aws_session_token = ${TOKEN}\n` : ''}`;

describe('findLongTermKeys', () => {
  type Case = { name: string; credentials?: string; config?: string; env?: NodeJS.ProcessEnv; want: Partial<LongTermKeyFinding>[] };
  const cases: Case[] = [
    { name: 'default profile with a long-term key', credentials: `[default]\n${keys(AKIA)}`, want: [{ where: 'credentials', profile: 'default', keyId: 'AKIA…MPLE' }] },
    { name: 'temporary ASIA key with a session token', credentials: `[temp]\n${keys(ASIA, true)}`, want: [] },
    { name: 'IAM user key (AKIA) even with a session token', credentials: `[odd]\n${keys(AKIA, true)}`, want: [{ where: 'credentials', profile: 'odd', keyId: 'AKIA…MPLE' }] },
    { name: 'any other key without a session token', credentials: `[other]\n${keys(OTHER)}`, want: [{ where: 'credentials', profile: 'other', keyId: 'ABCD…1234' }] },
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
      want: [{ profile: 'default', keyId: 'ABCD…1234' }, { profile: 'ci', keyId: 'AKIA…MPLE' }],
    },
    { name: 'environment: key and secret, no token', env: { AWS_ACCESS_KEY_ID: AKIA, AWS_SECRET_ACCESS_KEY: SECRET }, want: [{ where: 'environment', variable: 'AWS_ACCESS_KEY_ID', keyId: 'AKIA…MPLE' }] },
    { name: 'environment: AKIA with a token', env: { AWS_ACCESS_KEY_ID: AKIA, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN }, want: [{ where: 'environment', keyId: 'AKIA…MPLE' }] },
    { name: 'environment: temporary credentials', env: { AWS_ACCESS_KEY_ID: ASIA, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN }, want: [] },
    { name: 'environment: blanked variables', env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' }, want: [] },
    { name: 'missing files and empty environment', want: [] },
    { name: 'garbage files do not crash', credentials: '\u0000\u0001[[[ not ini\n= = =\n[default', config: '[profile __proto__]\naws_access_key_id = x\n', want: [] },
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
    assert.deepEqual((await findLongTermKeys({ env: { HOME: dir } })).map((f) => f.profile), ['home']);
    const moved = await findLongTermKeys({ env: { HOME: dir, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'creds-elsewhere'), AWS_CONFIG_FILE: '~/config-elsewhere' } });
    assert.deepEqual(moved.map((f) => [f.where, f.profile]), [['credentials', 'moved'], ['config', 'cfg']]);
  });

  test('an unreadable file is a problem, not a crash', { skip: process.platform === 'win32' || process.getuid?.() === 0 ? 'permissions not enforced' : false }, async () => {
    const dir = freshDir();
    const credentialsPath = join(dir, 'credentials');
    writeFileSync(credentialsPath, `[default]\n${keys(AKIA)}`);
    chmodSync(credentialsPath, 0);
    const scan = await scanLongTermKeys({ env: { HOME: dir }, credentialsPath, configPath: join(dir, 'config') });
    assert.deepEqual(scan.findings, []);
    assert.match(scan.problems[0], /cannot be read \(EACCES\)/);
  });

  test('a path that exists but cannot be opened (symlink loop) is a problem too, even for root', { skip: process.platform === 'win32' }, async () => {
    const dir = freshDir();
    symlinkSync(join(dir, 'loop'), join(dir, 'loop'));
    const scan = await scanLongTermKeys({ env: { HOME: dir }, credentialsPath: join(dir, 'loop'), configPath: join(dir, 'config') });
    assert.deepEqual(scan.findings, []);
    assert.match(scan.problems[0], /loop cannot be read \(ELOOP\)/);
  });

  test('summary and guidance name the places and the steps, never the key', () => {
    const home = '/home/dev';
    const findings: LongTermKeyFinding[] = [
      { where: 'credentials', file: '/home/dev/.aws/credentials', profile: 'default', keyId: 'AKIA…MPLE', kind: 'long-term' },
      { where: 'environment', variable: 'AWS_ACCESS_KEY_ID', keyId: 'AKIA…MPLE', kind: 'long-term' },
    ];
    assert.equal(summarize(findings, { home }), "2 long-term access keys: [profile default] in ~/.aws/credentials, AWS_ACCESS_KEY_ID in the editor's environment");
    assert.equal(summarize(findings.slice(1), { home }), "1 long-term access key: AWS_ACCESS_KEY_ID in the editor's environment");
    assert.equal(summarize([], { home }), 'No long-term access keys found.');
    const guidance = guidanceFor(findings);
    for (const part of [/never expire/, /short-lived/, /Save Role as AWS CLI Profile/, /sso_session/, /\/home\/dev\/\.aws\/credentials/, /shell profile/, /IAM console/]) assert.match(guidance, part);
    assert.doesNotMatch(guidanceFor(findings.slice(1)), /Save Role as AWS CLI Profile/, 'file steps only when a file has keys');
    assert.doesNotMatch(guidance, /\n/, 'one paragraph');
  });
});

function assertNoSecrets(text: string): void {
  for (const secret of [AKIA, ASIA, OTHER, SECRET, TOKEN]) assert.ok(!text.includes(secret), `leaked ${secret.slice(0, 4)}…`);
}

// ---------------------------------------------------------------------------------------------

const T0 = Date.UTC(2025, 0, 2, 14, 3, 5);
const entry = (n: number, over: Partial<ActivityEntry> = {}): ActivityEntry => ({
  at: T0 + n * 1000,
  accountId: '111122223333',
  accountName: 'Sandbox',
  roleName: 'ReadOnly',
  expiresAt: T0 + 3_600_000,
  accessKeyId: `ASIA${String(n).padStart(16, '0')}`,
  consumer: 'terminal: build',
  event: 'issued',
  ...over,
});
const newLog = (file: string, opts: { maxEntries?: number; clock?: ManualClock } = {}): ActivityLog =>
  new ActivityLog({ file, clock: opts.clock ?? new ManualClock(T0), maxEntries: opts.maxEntries, onError: (e) => assert.fail(String(e)) });
const fileLines = (file: string): unknown[] => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

describe('ActivityLog', () => {
  test('records newest first, persists after the debounce, reloads from the file', async () => {
    const clock = new ManualClock(T0);
    const file = join(freshDir(), 'sub', 'activity.jsonl');
    const log = newLog(file, { clock });
    let changes = 0;
    log.onDidChange(() => changes++);
    log.record(entry(1));
    log.record(entry(2, { event: 'served', consumer: 'active role' }));
    assert.deepEqual((await log.entries()).map((e) => e.at), [T0 + 2000, T0 + 1000]);
    assert.equal(changes, 1, 'records made before the first load arrive as one change');
    assert.equal(existsSync(file), false, 'nothing written before the debounce');
    await clock.advance(1000);
    await log.flush();
    assert.deepEqual(fileLines(file), [entry(1), entry(2, { event: 'served', consumer: 'active role' })]);
    if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600);
    const again = newLog(file);
    assert.deepEqual(await again.entries(), await log.entries());
  });

  test('the same consumer served the same key again is not a new entry, also across reloads', async () => {
    const file = join(freshDir(), 'activity.jsonl');
    const log = newLog(file);
    await log.entries();
    log.record(entry(1));
    log.record(entry(5, { accessKeyId: entry(1).accessKeyId, event: 'served' }));
    log.record(entry(6, { accessKeyId: entry(1).accessKeyId, consumer: 'copy to clipboard', event: 'served' }));
    assert.deepEqual((await log.entries()).map((e) => e.consumer), ['copy to clipboard', 'terminal: build']);
    await log.flush();
    const again = newLog(file);
    again.record(entry(9, { accessKeyId: entry(1).accessKeyId, event: 'served' }));
    again.record(entry(10));
    assert.equal((await again.entries()).length, 3);
    await again.flush();
    assert.equal(fileLines(file).length, 3);
  });

  test('`at` defaults to the clock', async () => {
    const log = newLog(join(freshDir(), 'a.jsonl'), { clock: new ManualClock(T0 + 42) });
    const { at: _at, ...rest } = entry(1);
    log.record(rest);
    assert.equal((await log.entries())[0].at, T0 + 42);
  });

  test('the file is trimmed to maxEntries once it grows past 1.5×, atomically', async () => {
    const dir = freshDir();
    const file = join(dir, 'activity.jsonl');
    const log = newLog(file, { maxEntries: 10 });
    for (let i = 1; i <= 15; i++) log.record(entry(i));
    await log.flush();
    assert.equal(fileLines(file).length, 15, 'not yet past 1.5 × 10');
    log.record(entry(16));
    await log.flush();
    assert.deepEqual(fileLines(file), Array.from({ length: 10 }, (_, i) => entry(i + 7)));
    assert.equal((await log.entries()).length, 10);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temp file left behind');
    if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  test('corrupt and foreign lines are skipped; secret fields in the file are dropped on read', async () => {
    const file = join(freshDir(), 'activity.jsonl');
    const withSecret = { ...entry(2), secretAccessKey: SECRET, sessionToken: TOKEN };
    writeFileSync(file, [JSON.stringify(entry(1)), '{"at":', 'not json', JSON.stringify({ ...entry(3), at: 'yesterday' }), JSON.stringify(withSecret), '[]', 'null', ''].join('\n'));
    const log = newLog(file);
    const got = await log.entries();
    assert.deepEqual(got, [entry(2), entry(1)]);
    assertNoSecrets(JSON.stringify(got));
  });

  test('concurrent records and flushes are serialised: the file stays valid JSONL', async () => {
    const file = join(freshDir(), 'activity.jsonl');
    const log = newLog(file, { maxEntries: 20 });
    const pending: Promise<unknown>[] = [];
    for (let i = 1; i <= 200; i++) {
      log.record(entry(i));
      if (i % 4 === 0) pending.push(log.flush());
      if (i % 13 === 0) pending.push(log.entries());
      // Let file operations run between records, so records land while appends and trims are under way.
      if (i % 3 === 0) await new Promise((r) => setImmediate(r));
    }
    pending.push(log.flush());
    await Promise.all(pending);
    const lines = fileLines(file) as ActivityEntry[];
    assert.ok(lines.length >= 20 && lines.length <= 30, `${lines.length} lines`);
    assert.deepEqual(lines, Array.from({ length: lines.length }, (_, i) => entry(201 - lines.length + i)), 'in order, none torn or lost');
    assert.deepEqual((await log.entries()).map((e) => e.at), Array.from({ length: 20 }, (_, i) => entry(200 - i).at));
    if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  test('a record made while the file is being trimmed is appended afterwards, not lost', async () => {
    const file = join(freshDir(), 'activity.jsonl');
    const log = newLog(file, { maxEntries: 4 });
    for (let i = 1; i <= 6; i++) log.record(entry(i));
    await log.flush(); // 6 lines: at the limit, not past it
    const rename = fsp.rename;
    fsp.rename = async (from, to) => {
      log.record(entry(99)); // lands between the temp write and the rename
      return rename(from, to);
    };
    try {
      log.record(entry(7));
      await log.flush(); // 7 lines: trimmed to entries 4..7
    } finally {
      fsp.rename = rename;
    }
    await log.flush();
    assert.deepEqual(fileLines(file), [entry(4), entry(5), entry(6), entry(7), entry(99)]);
  });

  test('only whitelisted fields are written, whatever object is passed at runtime', async () => {
    const file = join(freshDir(), 'activity.jsonl');
    const log = newLog(file);
    // For example a RoleCredentialsSecret passed by mistake, plus a secret in place of the key id.
    log.record({ ...entry(1), secretAccessKey: SECRET, sessionToken: TOKEN, expiration: 1 } as unknown as ActivityEntry);
    log.record({ ...entry(2), accessKeyId: SECRET } as ActivityEntry);
    log.record({ ...entry(3), consumer: undefined } as unknown as ActivityEntry);
    await log.flush();
    const text = readFileSync(file, 'utf8');
    assertNoSecrets(text);
    assert.deepEqual(fileLines(file), [entry(1)]);
    assert.deepEqual(Object.keys(fileLines(file)[0] as object).sort(), ['accessKeyId', 'accountId', 'accountName', 'at', 'consumer', 'event', 'expiresAt', 'roleName']);
  });

  test('clear empties memory and file and says so', async () => {
    const file = join(freshDir(), 'activity.jsonl');
    const log = newLog(file);
    log.record(entry(1));
    await log.flush();
    let changes = 0;
    log.onDidChange(() => changes++);
    await log.clear();
    assert.equal(changes, 1);
    assert.deepEqual(await log.entries(), []);
    assert.equal(readFileSync(file, 'utf8'), '');
    log.record(entry(1));
    assert.equal((await log.entries()).length, 1, 'a cleared key can be recorded again');
  });

  test('a file that cannot be written never throws to the caller', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'blocker'), '');
    const errors: unknown[] = [];
    const log = new ActivityLog({ file: join(dir, 'blocker', 'activity.jsonl'), clock: new ManualClock(T0), onError: (e) => errors.push(e) });
    log.record(entry(1));
    await log.flush();
    assert.equal((await log.entries()).length, 1, 'kept in memory');
    assert.ok(errors.length >= 1);
  });
});

describe('renderActivityMarkdown', () => {
  test('a table with one row per entry, cells escaped', () => {
    const now = T0 + 18 * 60_000;
    const md = renderActivityMarkdown(
      [
        entry(0),
        entry(60, { accountId: '444455556666', accountName: 'Prod | main\nEU', roleName: 'Admin', chain: 'deploy', consumer: 'extension: acme.tools', event: 'served', expiresAt: T0 - 1000, accessKeyId: 'ASIAEXAMPLEKEY000002' }),
        entry(61, { accountName: undefined }),
      ],
      { now, timeZone: 'UTC' },
    );
    const lines = md.split('\n');
    assert.equal(lines[0], '# AWS credential activity');
    assert.match(lines[2], /times in UTC/);
    assert.deepEqual(lines.slice(4), [
      '| Time | Account | Role | Consumer | Event | Expires | Access key id |',
      '|---|---|---|---|---|---|---|',
      '| 2025-01-02 14:03:05 | Sandbox (111122223333) | ReadOnly | terminal: build | issued | 2025-01-02 15:03:05 (in 42 minutes) | `ASIA0000000000000000` |',
      '| 2025-01-02 14:04:05 | Prod \\| main EU (444455556666) | Admin → deploy | extension: acme.tools | served | 2025-01-02 14:03:04 (expired) | `ASIAEXAMPLEKEY000002` |',
      '| 2025-01-02 14:04:06 | 111122223333 | ReadOnly | terminal: build | issued | 2025-01-02 15:03:05 (in 42 minutes) | `ASIA0000000000000061` |',
      '',
    ]);
  });

  test('the time zone option moves the times', () => {
    const md = renderActivityMarkdown([entry(0)], { now: T0, timeZone: 'Asia/Tokyo' });
    assert.match(md, /\| 2025-01-02 23:03:05 \| Sandbox/);
  });

  test('an empty log is a sentence, not an empty table', () => {
    const md = renderActivityMarkdown([], { now: T0, timeZone: 'UTC' });
    assert.match(md, /^# AWS credential activity\n/);
    assert.match(md, /No credentials have been issued yet/);
    assert.doesNotMatch(md, /\|/);
  });
});
