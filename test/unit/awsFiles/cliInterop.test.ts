// AWS CLI interop: the ~/.aws/sso/cache token file (format, atomic writes, reuse, following each
// other's refreshes) and "Save Role as AWS CLI Profile" edits of ~/.aws/config. The last suite runs
// the real AWS CLI v1 (pip) and v2 (Debian 2.9) against the local Identity Center emulator.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { checkCliName, saveCliProfile, suggestProfileName, upsertCliProfile, type CliProfileOptions } from '../../../src/core/awsFiles/awsConfigWrite';
import { rfc3339 as cliTimestamp } from '../../../src/core/common/format';
import { CliTokenCache, cliCacheKey, formatCliToken, parseCliTimestamp, type CliTokenStore } from '../../../src/core/awsFiles/cliTokenCache';
import { IdentityCenter } from '../../../src/core/aws/identityCenter';
import type { Logger } from '../../../src/core/common/log';
import type { ClientRegistrationSecret, SsoTarget, SsoTokenSecret } from '../../../src/core/common/model';
import { SECRET_KEYS } from '../../../src/core/common/storageKeys';
import { Session } from '../../../src/core/signIn/session';
import type { Emulator } from '../../emulator/server';
import { isolatedEnv } from '../../soak/emulatorSession';
import { REGION, START_URL, startEmulator } from '../../support/emulator';
import { MemorySecrets } from '../../support/memorySecrets';
import { runProcess as execFileAsync, withEnv } from '../../support/processes';

const CLI_V1 = '/root/.pyenv/versions/3.11.7/bin/aws';
const CLI_V2 = '/usr/bin/aws';
const CLI_V1_PYTHON = '/root/.pyenv/versions/3.11.7/bin/python3';
const SESSION_NAME = 'corp';
const target: SsoTarget = { startUrl: START_URL, region: REGION, sessionName: SESSION_NAME };
const SECRET_FIELDS = /"(accessToken|refreshToken|clientSecret)": "[^"]*"/g;
/** A cache file's text with its secrets blanked, safe for assertion messages and diagnostics. */
const redact = (text: string): string => text.replace(SECRET_FIELDS, '"$1": "<redacted>"');

/** Compares tokens without ever printing them (assert.equal would show both values on failure). */
const sameSecret = (a: string | undefined, b: string | undefined, what = 'the tokens differ'): void => assert.ok(a !== undefined && a === b, what);
const differentSecret = (a: string | undefined, b: string | undefined, what = 'the tokens are the same'): void => assert.ok(a !== b, what);
const tempDir = (prefix: string): string => fs.mkdtempSync(path.join(os.tmpdir(), `awsidc-${prefix}-`));
const noUndefined = <T extends object>(o: T): T => JSON.parse(JSON.stringify(o)) as T;

function captureLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const add = (m: string): void => void lines.push(m);
  return { lines, trace: add, info: add, warn: add, error: add };
}

function sampleToken(overrides: Partial<SsoTokenSecret> = {}): SsoTokenSecret {
  return { accessToken: 'aoa-access', refreshToken: 'aor-refresh', expiresAt: Date.UTC(2030, 0, 2, 3, 4, 5, 678), startUrl: START_URL, region: REGION, sessionName: SESSION_NAME, ...overrides };
}
const sampleRegistration: ClientRegistrationSecret = { clientId: 'client-1', clientSecret: 'secret-1', expiresAt: Date.UTC(2030, 3, 1, 0, 0, 0, 250), region: REGION, scopes: ['sso:account:access'] };

describe('AWS CLI token cache file', () => {
  let home: string;
  let cache: CliTokenCache;
  beforeEach(() => {
    home = tempDir('clihome');
    cache = new CliTokenCache({ home, clock: { now: () => Date.UTC(2029, 0, 1), setTimeout: () => () => undefined } });
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  test('is written byte-for-byte like the CLI: its key order, Python json.dumps separators, whole-second UTC, no newline, 0600 in a 0700 dir', async () => {
    await cache.write(sampleToken(), sampleRegistration);
    const file = path.join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update('corp').digest('hex')}.json`);
    assert.equal(cache.pathFor(target), file, 'named by the sha1 of the sso-session name');
    assert.equal(
      fs.readFileSync(file, 'utf8'),
      '{"startUrl": "https://emulator.awsapps.com/start", "region": "us-east-1", "accessToken": "aoa-access", "expiresAt": "2030-01-02T03:04:05Z", ' +
        '"clientId": "client-1", "clientSecret": "secret-1", "registrationExpiresAt": "2030-04-01T00:00:00Z", "refreshToken": "aor-refresh"}',
    );
    if (process.platform !== 'win32') {
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
    }
    // Absent fields are omitted; a registration from another region is useless for this token.
    assert.equal(formatCliToken(sampleToken({ refreshToken: undefined }), { ...sampleRegistration, region: 'eu-west-1' }),
      '{"startUrl": "https://emulator.awsapps.com/start", "region": "us-east-1", "accessToken": "aoa-access", "expiresAt": "2030-01-02T03:04:05Z"}');
    // Escapes as Python's json.dumps (ensure_ascii) writes them; compared with botocore itself below.
    assert.ok(formatCliToken(sampleToken({ startUrl: 'https://ü.awsapps.com/start\u007f\u2028\u{1F600}"\\\n\t\x01' }))
      .startsWith('{"startUrl": "https://\\u00fc.awsapps.com/start\\u007f\\u2028\\ud83d\\ude00\\"\\\\\\n\\t\\u0001", "region"'));
    assert.equal(cliCacheKey({ startUrl: START_URL }), createHash('sha1').update(START_URL).digest('hex'), 'legacy (no session): sha1 of the start URL');
  });

  test("matches botocore's own serializer (botocore.tokens._sso_json_dumps) byte for byte", async (t) => {
    if (!fs.existsSync(CLI_V1_PYTHON)) return t.skip(`${CLI_V1_PYTHON} (the CLI v1's Python) missing`);
    const token = sampleToken({ startUrl: 'https://ü.awsapps.com/start\u2028"\\', accessToken: 'a/b+c=' });
    // The same fields as botocore builds them after a refresh: datetimes for the expiries.
    const script = `import json, sys, datetime
from botocore.tokens import _sso_json_dumps
d = json.loads(sys.argv[1])
utc = datetime.timezone.utc
tok = {"startUrl": d["startUrl"], "region": d["region"], "accessToken": d["accessToken"],
       "expiresAt": datetime.datetime.fromtimestamp(d["expiresAt"] / 1000, utc),
       "clientId": d["clientId"], "clientSecret": d["clientSecret"],
       "registrationExpiresAt": datetime.datetime.fromtimestamp(d["registrationExpiresAt"] / 1000, utc),
       "refreshToken": d["refreshToken"]}
sys.stdout.write(_sso_json_dumps(tok))`;
    const input = JSON.stringify({ ...token, clientId: sampleRegistration.clientId, clientSecret: sampleRegistration.clientSecret, registrationExpiresAt: sampleRegistration.expiresAt });
    const py = await execFileAsync(CLI_V1_PYTHON, ['-c', script, input]);
    assert.equal(py.code, 0, py.stderr);
    assert.equal(formatCliToken(token, sampleRegistration), py.stdout);
  });

  test('reads both timestamp forms (CLI whole seconds, JS SDK pretty-printed with milliseconds) and derives the registration', async () => {
    const dir = path.dirname(cache.pathFor(target));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(cache.pathFor(target), JSON.stringify({
      startUrl: `${START_URL}/`, region: REGION, accessToken: 'a1', expiresAt: '2030-01-02T03:04:05.678Z', clientId: 'c', clientSecret: 's', registrationExpiresAt: '2030-04-01T00:00:00Z', refreshToken: 'r1',
    }, null, 2));
    const js = await cache.read(target);
    assert.deepEqual(js, {
      token: { accessToken: 'a1', refreshToken: 'r1', expiresAt: Date.UTC(2030, 0, 2, 3, 4, 5, 678), startUrl: START_URL, region: REGION, sessionName: SESSION_NAME },
      registration: { clientId: 'c', clientSecret: 's', expiresAt: Date.UTC(2030, 3, 1), region: REGION, scopes: ['sso:account:access'] },
    });
    fs.writeFileSync(cache.pathFor(target), '{"startUrl": "https://emulator.awsapps.com/start", "region": "us-east-1", "accessToken": "a2", "expiresAt": "2030-01-02T03:04:05Z", "clientId": "c", "clientSecret": "s", "registrationExpiresAt": "2030-04-01T00:00:00UTC"}');
    const cli = await cache.read(target);
    assert.equal(cli?.token.expiresAt, Date.UTC(2030, 0, 2, 3, 4, 5));
    assert.equal(cli?.token.refreshToken, undefined);
    assert.deepEqual(cli?.registration?.scopes, [], 'no refresh token: no claim of the refresh scope');
    assert.equal(cli?.registration?.expiresAt, Date.UTC(2030, 3, 1), 'the "UTC" suffix older CLIs wrote');
    for (const [text, ms] of [['2030-01-02T03:04:05+01:00', Date.UTC(2030, 0, 2, 2, 4, 5)], ['2030-01-02 03:04:05Z', Date.UTC(2030, 0, 2, 3, 4, 5)], ['tomorrow', undefined], ['2030-01-02', undefined], [42, undefined]] as const) {
      assert.equal(parseCliTimestamp(text), ms, String(text));
    }
    assert.equal(cliTimestamp(Date.UTC(2030, 0, 2, 3, 4, 5, 999)), '2030-01-02T03:04:05Z');
  });

  test('ignores files for another portal or region, expired, incomplete or garbage', async () => {
    const file = cache.pathFor(target);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const good = { startUrl: START_URL, region: REGION, accessToken: 'a', expiresAt: '2030-01-01T00:00:00Z' };
    const cases: [string, string][] = [
      ['another portal', JSON.stringify({ ...good, startUrl: 'https://other.awsapps.com/start' })],
      ['another region', JSON.stringify({ ...good, region: 'eu-west-1' })],
      ['no startUrl', JSON.stringify({ ...good, startUrl: undefined })],
      ['expired', JSON.stringify({ ...good, expiresAt: '2028-12-31T23:59:59Z' })],
      ['unparsable expiry', JSON.stringify({ ...good, expiresAt: 'soon' })],
      ['no access token', JSON.stringify({ ...good, accessToken: '' })],
      ['truncated', JSON.stringify(good).slice(0, 40)],
      ['an array', '[1,2]'],
      ['empty', ''],
    ];
    for (const [why, text] of cases) {
      fs.writeFileSync(file, text);
      assert.equal(await cache.read(target), undefined, why);
    }
    fs.writeFileSync(file, JSON.stringify({ ...good, expiresAt: '2028-12-31T23:59:59Z' }));
    assert.equal((await cache.read(target, { allowExpired: true }))?.token.accessToken, 'a', 'allowExpired still reads an expired one');
    fs.writeFileSync(file, JSON.stringify(good));
    assert.equal((await cache.read(target))?.token.accessToken, 'a');
    assert.equal(await cache.read({ ...target, sessionName: 'other' }), undefined, 'another session name is another file');
  });

  test('remove() deletes only a file that still holds this token', async () => {
    await cache.write(sampleToken({ accessToken: 'theirs' }));
    await cache.remove(sampleToken({ accessToken: 'ours' }));
    assert.equal((await cache.read(target))?.token.accessToken, 'theirs', 'a newer sign-in by the CLI is kept');
    await cache.write(sampleToken({ accessToken: 'ours' }));
    await cache.remove(sampleToken({ accessToken: 'ours' }));
    assert.equal(fs.existsSync(cache.pathFor(target)), false);
    await cache.remove(sampleToken({ accessToken: 'ours' })); // nothing there: no error
    assert.deepEqual(fs.readdirSync(path.dirname(cache.pathFor(target))), [], 'no leftovers');
  });

  test('concurrent writes are atomic: a reader in another process never sees a partial file; no temp files left', async (t) => {
    const file = cache.pathFor(target);
    await cache.write(sampleToken({ accessToken: 'start' }));
    // The reader is a separate process reading as fast as it can, like a CLI run in a terminal.
    const reader = execFileAsync(process.execPath, ['-e', `
      const fs = require('fs'); let reads = 0, bad = 0, missing = 0; const until = Date.now() + 1500;
      while (Date.now() < until) {
        let t; try { t = fs.readFileSync(${JSON.stringify(file)}, 'utf8'); } catch { missing++; continue; }
        reads++; try { const d = JSON.parse(t); if (!d.accessToken || !d.expiresAt) bad++; } catch { bad++; }
      }
      process.stdout.write(JSON.stringify({ reads, bad, missing }));`]);
    await new Promise((r) => setTimeout(r, 150));
    let writes = 0;
    const started = Date.now();
    while (Date.now() - started < 1100) {
      // Long tokens make a torn write likely if writes were not atomic.
      await Promise.all(Array.from({ length: 8 }, (_, i) => cache.write(sampleToken({ accessToken: `t${writes}-${i}-${'x'.repeat(20_000)}` }), sampleRegistration).then(() => writes++)));
    }
    const out = JSON.parse((await reader).stdout) as { reads: number; bad: number; missing: number };
    assert.equal(out.bad, 0, `the reader saw ${out.bad} partial files in ${out.reads} reads`);
    assert.equal(out.missing, 0, 'the file never disappeared');
    assert.ok(out.reads > 50 && writes > 50, `too little overlap: ${out.reads} reads, ${writes} writes`);
    t.diagnostic(`${writes} writes (8 at a time, 20 KB each) against ${out.reads} reads by another process: none partial`);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), [path.basename(file)], 'no temp files left');
    assert.ok(JSON.parse(fs.readFileSync(file, 'utf8')).accessToken.startsWith('t'));
  });
});

describe('upsertCliProfile / saveCliProfile', () => {
  const opts: CliProfileOptions = { profileName: 'dev', sessionName: 'corp', startUrl: 'https://d-123.awsapps.com/start', region: 'us-east-1', accountId: '111122223333', roleName: 'ReadOnly', profileRegion: 'eu-west-1' };
  const NEW_BLOCK = '[sso-session corp]\nsso_start_url = https://d-123.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n\n' +
    '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\nregion = eu-west-1\n';

  const cases: { name: string; before: string; opts?: Partial<CliProfileOptions>; after: string }[] = [
    { name: 'empty file', before: '', after: NEW_BLOCK },
    { name: 'no newline at the end: one is added before the new sections', before: '[default]\nregion = us-west-2', after: `[default]\nregion = us-west-2\n\n${NEW_BLOCK}` },
    {
      name: 'comments, other profiles, odd spacing and a nested block are kept byte-for-byte',
      before: '# my config\n; semicolon comment\n[default]\nregion=us-west-2\ns3 =\n  max_concurrent_requests = 20\n\n[profile other]   # trailing\noutput: json\n\n\n',
      after: `# my config\n; semicolon comment\n[default]\nregion=us-west-2\ns3 =\n  max_concurrent_requests = 20\n\n[profile other]   # trailing\noutput: json\n\n\n${NEW_BLOCK}`,
    },
    {
      name: 'CRLF files get CRLF lines',
      before: '[default]\r\nregion = us-west-2\r\n',
      after: `[default]\r\nregion = us-west-2\r\n\r\n${NEW_BLOCK.replace(/\n/g, '\r\n')}`,
    },
    {
      name: 'an existing profile is updated in place: its other keys, comments and key spelling kept; missing keys go after its last key',
      before: '[profile dev]\n# points at prod!\nSSO_ROLE_NAME=Admin\noutput = json\nsso_account_id = 111122223333\n# about the next one\n\n[sso-session corp]\nsso_start_url = https://d-123.awsapps.com/start/\nsso_region = us-east-1\n',
      after: '[profile dev]\n# points at prod!\nSSO_ROLE_NAME = ReadOnly\noutput = json\nsso_account_id = 111122223333\nsso_session = corp\nregion = eu-west-1\n# about the next one\n\n[sso-session corp]\nsso_start_url = https://d-123.awsapps.com/start/\nsso_region = us-east-1\n',
    },
    {
      name: 'without profileRegion a new profile gets the Identity Center region, an existing one keeps its own',
      before: '[profile dev]\nregion = ap-south-1\n',
      opts: { profileRegion: undefined },
      after: '[profile dev]\nregion = ap-south-1\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n\n[sso-session corp]\nsso_start_url = https://d-123.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n',
    },
    {
      name: 'legacy sso keys left in the profile are made to agree with the session (botocore refuses contradictions)',
      before: '[profile dev]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-west-2\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\nregion = eu-west-1\n[sso-session corp]\nsso_start_url = https://d-123.awsapps.com/start\nsso_region = us-east-1',
      after: '[profile dev]\nsso_start_url = https://d-123.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\nregion = eu-west-1\nsso_session = corp\n[sso-session corp]\nsso_start_url = https://d-123.awsapps.com/start\nsso_region = us-east-1',
    },
    { name: '"default" is written as [default]', before: '', opts: { profileName: 'default' }, after: NEW_BLOCK.replace('[profile dev]', '[default]') },
    {
      name: 'an existing [profile default] is updated rather than shadowed',
      before: '[profile default]\nsso_role_name = Admin\n',
      opts: { profileName: 'default' },
      after: '[profile default]\nsso_role_name = ReadOnly\nsso_session = corp\nsso_account_id = 111122223333\nregion = eu-west-1\n\n[sso-session corp]\nsso_start_url = https://d-123.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n',
    },
    { name: 'an sso-session missing its keys gets them', before: '[sso-session corp]\n', after: '[sso-session corp]\nsso_start_url = https://d-123.awsapps.com/start\nsso_region = us-east-1\n\n' + NEW_BLOCK.slice(NEW_BLOCK.indexOf('[profile')) },
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
    assert.throws(() => upsertCliProfile(conflict, opts, '/home/u/.aws/config'), (e: Error) => {
      assert.match(e.message, /\[sso-session corp\] in \/home\/u\/\.aws\/config already points to https:\/\/other\.awsapps\.com\/start in us-east-1, not https:\/\/d-123\.awsapps\.com\/start in us-east-1\. Choose another session name.*Nothing was written/);
      return true;
    });
    assert.throws(() => upsertCliProfile('[sso-session corp]\nsso_region = eu-west-1\n', opts), /\[sso-session corp\].*eu-west-1/);
    assert.throws(() => upsertCliProfile('[profile dev]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = base\n', opts), /profile "dev".*role_arn.*another profile name/);
    for (const [name, why] of [['my dev', 'spaces'], ['dev]', 'brackets'], ['', 'empty'], ['a"b', 'quotes'], ['x\ny', 'spaces']]) {
      assert.match(checkCliName('profile', name) ?? '', new RegExp(why), JSON.stringify(name));
      assert.throws(() => upsertCliProfile('', { ...opts, profileName: name }));
    }
    assert.equal(checkCliName('profile', 'team_a.dev-1@x+y=z,w'), undefined);
    assert.throws(() => upsertCliProfile('', { ...opts, accountId: '123' }), /12-digit/);
    assert.throws(() => upsertCliProfile('', { ...opts, roleName: 'Read\nOnly' }), /role name/);
    assert.throws(() => upsertCliProfile('', { ...opts, startUrl: 'http://x.awsapps.com/start' }), /https/);
    assert.throws(() => upsertCliProfile('', { ...opts, region: 'mars-1' }), /region/);
    // Nothing can smuggle a line (and so a key or section) into the file.
    assert.throws(() => upsertCliProfile('', { ...opts, profileRegion: 'eu-west-1\ncredential_process = evil' }), /region/);
    assert.throws(() => upsertCliProfile('', { ...opts, registrationScopes: 'sso:account:access\n[default]' }), /scopes/);
    assert.throws(() => upsertCliProfile('', { ...opts, startUrl: 'https://d-123.awsapps.com/start\nx=1' }));
  });

  test('the JS SDK\'s own INI loader reads the result as an sso_session profile', async () => {
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

describe('Session with the AWS CLI token cache (emulator)', { timeout: 60_000 }, () => {
  let emulator: Emulator;
  let client: () => Promise<IdentityCenter>;
  let home: string;
  let cache: CliTokenCache;
  before(async () => ({ emulator, client } = await startEmulator()));
  after(() => emulator.stop());
  beforeEach(() => {
    emulator.reset();
    emulator.configure({ autoApprove: true });
    home = tempDir('sessionhome');
    cache = new CliTokenCache({ home });
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  const newSession = (opts: { store?: MemorySecrets; share?: boolean; log?: Logger; cliCache?: CliTokenStore } = {}) =>
    Session.create({ store: opts.store ?? new MemorySecrets(), createClient: () => client(), cliCache: opts.cliCache ?? cache, shareWithCli: () => !!opts.share, log: opts.log });

  /** A sign-in made outside our Session, saved the way `aws sso login` saves it. */
  async function cliLogin(expiresInMs?: number): Promise<{ token: SsoTokenSecret; registration: ClientRegistrationSecret }> {
    const ic = await client();
    const registration = await ic.registerClient(`botocore-client-${SESSION_NAME}`);
    const device = await ic.startDeviceAuthorization(registration, START_URL);
    const out = await ic.createTokenWithDeviceCode(registration, device.deviceCode);
    const token = { accessToken: out.accessToken, refreshToken: out.refreshToken, expiresAt: Date.now() + (expiresInMs ?? out.expiresIn * 1000), startUrl: START_URL, region: REGION };
    writeLikeCli(token, registration);
    return { token, registration };
  }
  function writeLikeCli(token: SsoTokenSecret, registration: ClientRegistrationSecret): void {
    const ts = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';
    const file = cache.pathFor(target);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Spelled out rather than through formatCliToken, so the reader is checked against the CLI's bytes.
    fs.writeFileSync(file, `{"startUrl": "${token.startUrl}", "region": "${token.region}", "accessToken": "${token.accessToken}", "expiresAt": "${ts(token.expiresAt)}", ` +
      `"clientId": "${registration.clientId}", "clientSecret": "${registration.clientSecret}", "registrationExpiresAt": "${ts(registration.expiresAt)}", "refreshToken": "${token.refreshToken}"}`);
  }
  const noSecretsIn = (lines: string[]): void => {
    const secrets = emulator.issuedSecrets();
    lines.forEach((line, i) => assert.ok(!secrets.some((s) => line.includes(s)), `log line ${i} carries a secret`));
  };

  test('signIn reuses a valid AWS CLI sign-in: no OIDC call, its registration kept for refresh, the portal accepts the token', async () => {
    const { registration } = await cliLogin();
    emulator.clearCalls();
    const store = new MemorySecrets();
    const log = captureLog();
    const session = newSession({ store, log });
    const result = await session.signIn(target, { onCode: () => assert.fail('no device code expected') });
    assert.deepEqual(result, { reusedFrom: 'awsCli' });
    assert.deepEqual(emulator.calls().map((c) => c.operation), [], 'no RegisterClient, StartDeviceAuthorization or CreateToken');
    assert.equal(session.state.kind === 'signedIn' && session.state.sessionName, SESSION_NAME);
    assert.equal(JSON.parse(store.data.get(SECRET_KEYS.token)!).sessionName, SESSION_NAME);
    assert.equal(JSON.parse(store.data.get(SECRET_KEYS.registration)!).clientId, registration.clientId);
    const ic = await client();
    assert.ok((await ic.listAccounts(await session.accessToken())).items.length > 0);
    await session.handleUnauthorized(new Error('test: force a refresh'));
    const refresh = emulator.calls({ operation: 'CreateToken' });
    assert.deepEqual(refresh.map((c) => [c.grantType, c.status, c.clientId]), [['refresh_token', 200, registration.clientId]], "refreshed with the CLI's client");
    assert.ok(log.lines.some((l) => l.includes('reused the AWS CLI sign-in')));
    noSecretsIn(log.lines);
    session.dispose();
  });

  test('signIn does not reuse a CLI token with 15 minutes or less left, nor one for another portal', async () => {
    await cliLogin(14 * 60_000);
    emulator.clearCalls();
    const session = newSession();
    assert.deepEqual(await session.signIn(target, { onCode: () => undefined }), { reusedFrom: undefined });
    assert.equal(emulator.calls({ operation: 'StartDeviceAuthorization' }).length, 1);
    await session.signOut();
    await cliLogin(); // valid for an hour, but for START_URL
    emulator.clearCalls();
    emulator.configure({ startUrl: [START_URL, 'https://other.awsapps.com/start'] });
    assert.deepEqual(await session.signIn({ ...target, startUrl: 'https://other.awsapps.com/start' }, { onCode: () => undefined }), { reusedFrom: undefined });
    assert.equal(emulator.calls({ operation: 'StartDeviceAuthorization' }).length, 1);
    session.dispose();
  });

  test('sharing on: the device sign-in is written as the CLI would, with the sso-session name; sign-out removes only our file', async () => {
    const store = new MemorySecrets();
    const session = newSession({ store, share: true });
    await session.signIn(target, { onCode: () => undefined });
    const stored = JSON.parse(store.data.get(SECRET_KEYS.token)!) as SsoTokenSecret;
    assert.equal(stored.sessionName, SESSION_NAME, 'device-flow tokens carry the session name');
    const registration = JSON.parse(store.data.get(SECRET_KEYS.registration)!) as ClientRegistrationSecret;
    const text = fs.readFileSync(cache.pathFor(target), 'utf8');
    assert.ok(text === formatCliToken(stored, registration), `unexpected file: ${redact(text)}`);
    await session.signOut();
    assert.equal(fs.existsSync(cache.pathFor(target)), false, 'our file is removed on sign-out');

    await session.signIn(target, { onCode: () => undefined });
    await cliLogin(); // the CLI signs in again after us: a different token in the same file
    await session.signOut();
    assert.ok(fs.existsSync(cache.pathFor(target)), "the CLI's newer sign-in survives our sign-out");
    session.dispose();
  });

  test('sharing off writes nothing; a failing write is logged without secrets and does not fail the sign-in', async () => {
    const off = newSession();
    await off.signIn(target, { onCode: () => undefined });
    assert.equal(fs.existsSync(path.join(home, '.aws')), false);
    await off.signOut();
    off.dispose();

    const blocked = path.join(home, 'not-a-dir');
    fs.writeFileSync(blocked, '');
    const log = captureLog();
    const session = Session.create({ store: new MemorySecrets(), createClient: () => client(), cliCache: new CliTokenCache({ home: blocked }), shareWithCli: () => true, log });
    await session.signIn(target, { onCode: () => undefined });
    assert.equal(session.state.kind, 'signedIn');
    assert.ok(log.lines.some((l) => /could not write the AWS CLI token cache \((ENOTDIR|EEXIST)\)/.test(l)), log.lines.join('\n'));
    noSecretsIn(log.lines);
    session.dispose();
  });

  test('linkCliSession names the sign-in after an [sso-session] made later and writes the file under that name', async () => {
    const store = new MemorySecrets();
    const session = newSession({ store, share: true });
    const legacy = { startUrl: START_URL, region: REGION };
    await session.signIn(legacy, { onCode: () => undefined });
    assert.ok(fs.existsSync(cache.pathFor(legacy)), 'without a session name the file is keyed by the start URL');
    await session.linkCliSession(SESSION_NAME);
    assert.equal(session.state.kind === 'signedIn' && session.state.sessionName, SESSION_NAME);
    assert.equal(JSON.parse(store.data.get(SECRET_KEYS.token)!).sessionName, SESSION_NAME);
    sameSecret((await cache.read(target))?.token.accessToken, await session.accessToken());
    const other = newSession({ store });
    await other.ready;
    assert.equal(other.state.kind === 'signedIn' && other.state.sessionName, SESSION_NAME, 'other windows see the name too');
    other.dispose();
    session.dispose();
  });

  test('refresh follows the CLI: a fresher token in the file is adopted instead of calling CreateToken', async () => {
    const store = new MemorySecrets();
    const session = newSession({ store, share: true });
    await session.signIn(target, { onCode: () => undefined });
    // Another tool refreshes the shared sign-in with the refresh token in the file (and rotates it).
    await new Promise((r) => setTimeout(r, 1100)); // the file holds whole seconds: make "later" visible
    const inFile = (await cache.read(target))!;
    const ic = await client();
    const out = await ic.createTokenWithRefreshToken(inFile.registration!, inFile.token.refreshToken!);
    await cache.write({ ...inFile.token, accessToken: out.accessToken, refreshToken: out.refreshToken, expiresAt: Date.now() + out.expiresIn * 1000 }, inFile.registration);
    emulator.clearCalls();
    await session.handleUnauthorized(new Error('test: force a refresh'));
    assert.equal(emulator.calls({ operation: 'CreateToken' }).length, 0, 'no refresh of our own');
    sameSecret(await session.accessToken(), out.accessToken);
    sameSecret(JSON.parse(store.data.get(SECRET_KEYS.token)!).refreshToken, out.refreshToken, 'the rotated refresh token is stored');
    await session.handleUnauthorized(new Error('test: and refresh again'));
    assert.deepEqual(emulator.calls({ operation: 'CreateToken' }).map((c) => c.status), [200], 'our next refresh uses the rotated token');
    session.dispose();
  });
});

// ---------------------------------------------------------------------------------------------
// Real AWS CLIs. CLI v1 (botocore 1.43) honours AWS_ENDPOINT_URL_SSO/_SSO_OIDC/_STS; Debian's
// CLI v2 2.9 predates them (2.13), so it reaches the emulator through a local HTTPS proxy that
// terminates TLS with a throwaway CA given to it as AWS_CA_BUNDLE.

/** An HTTPS proxy that answers CONNECT to any AWS host with a certificate from its own CA and forwards to `upstream`. */
async function startInterceptingProxy(upstream: URL, dir: string): Promise<{ url: string; caFile: string; hosts: string[]; close(): Promise<void> } | string> {
  const ca = path.join(dir, 'ca');
  const names = ['oidc.us-east-1.amazonaws.com', 'portal.sso.us-east-1.amazonaws.com', 'sts.us-east-1.amazonaws.com', 'sts.amazonaws.com'];
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'];
  const mk = await execFileAsync('openssl', ['req', '-x509', ...key, '-subj', '/CN=awsidc test CA', '-keyout', `${ca}.key`, '-out', `${ca}.pem`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
  if (mk.code !== 0) return `openssl could not make a CA (${mk.stderr.trim() || mk.code})`;
  const leaf = await execFileAsync('openssl', ['req', '-x509', ...key, '-subj', '/CN=aws', '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-keyout', `${dir}/leaf.key`, '-out', `${dir}/leaf.pem`, '-addext', `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`]);
  if (leaf.code !== 0) return `openssl could not make a certificate (${leaf.stderr.trim() || leaf.code})`;
  const secureContext = tls.createSecureContext({ key: fs.readFileSync(`${dir}/leaf.key`), cert: fs.readFileSync(`${dir}/leaf.pem`) });
  const forward = http.createServer((req, res) => {
    const up = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  const hosts: string[] = [];
  const proxy = http.createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req: http.IncomingMessage, socket: import('node:net').Socket, head: Buffer) => {
    hosts.push(req.url ?? '');
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) socket.unshift(head);
    forward.emit('connection', new tls.TLSSocket(socket, { isServer: true, secureContext }));
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const close = async (): Promise<void> => {
    proxy.closeAllConnections();
    forward.closeAllConnections();
    await new Promise((r) => proxy.close(r));
  };
  return { url: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`, caFile: `${ca}.pem`, hosts, close };
}

describe('real AWS CLIs share the sign-in', { timeout: 120_000 }, () => {
  let emulator: Emulator;
  let client: () => Promise<IdentityCenter>;
  let home: string;
  let configFile: string;
  let cache: CliTokenCache;
  let role: { accountId: string; roleName: string };
  let proxy: Awaited<ReturnType<typeof startInterceptingProxy>>;
  let baseEnv: NodeJS.ProcessEnv;
  let cleanupEnv: () => void;
  const hasV1 = fs.existsSync(CLI_V1);
  const hasV2 = fs.existsSync(CLI_V2);
  const profile = 'idc-dev';

  before(async () => {
    ({ emulator, client } = await startEmulator({ autoApprove: true }));
    const iso = isolatedEnv({});
    baseEnv = iso.env;
    cleanupEnv = iso.cleanup;
    home = iso.home;
    configFile = path.join(home, '.aws', 'config');
    baseEnv.AWS_CONFIG_FILE = configFile;
    cache = new CliTokenCache({ home });
    const account = emulator.accounts().find((a) => a.roles.length > 0)!;
    role = { accountId: account.accountId, roleName: account.roles[0] };
    await saveCliProfile(configFile, { profileName: profile, sessionName: SESSION_NAME, startUrl: START_URL, region: REGION, accountId: role.accountId, roleName: role.roleName });
    proxy = hasV2 ? await startInterceptingProxy(new URL(emulator.url), fs.mkdtempSync(path.join(home, 'tls-'))) : 'CLI v2 missing';
  });
  after(async () => {
    if (typeof proxy === 'object') await proxy.close();
    await emulator.stop();
    cleanupEnv();
  });

  const envV1 = (): NodeJS.ProcessEnv => ({ ...baseEnv, AWS_ENDPOINT_URL_SSO: emulator.url, AWS_ENDPOINT_URL_SSO_OIDC: emulator.url, AWS_ENDPOINT_URL_STS: emulator.url });
  const envV2 = (): NodeJS.ProcessEnv => {
    assert.ok(typeof proxy === 'object');
    return { ...baseEnv, HTTPS_PROXY: proxy.url, https_proxy: proxy.url, AWS_CA_BUNDLE: proxy.caFile };
  };
  /** `aws --profile idc-dev sts get-caller-identity`, with the CLI's own role-credential cache cleared so it uses the token. */
  async function callerArn(cli: string, env: NodeJS.ProcessEnv): Promise<string> {
    fs.rmSync(path.join(home, '.aws', 'cli', 'cache'), { recursive: true, force: true });
    const r = await execFileAsync(cli, ['--profile', profile, 'sts', 'get-caller-identity', '--output', 'text', '--query', 'Arn'], env);
    assert.equal(r.code, 0, `${cli} exit ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    return r.stdout.trim();
  }
  const arnPrefix = (): string => `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/`;
  const cliRefreshes = (ua: string) => emulator.calls({ operation: 'CreateToken' }).filter((c) => c.grantType === 'refresh_token' && c.userAgent?.includes(ua));
  const fileText = (): string => fs.readFileSync(cache.pathFor(target), 'utf8');
  const newSession = (store: MemorySecrets, share: boolean) =>
    Session.create({ store, createClient: () => client(), cliCache: cache, shareWithCli: () => share });

  test('versions and reachability', async (t) => {
    for (const [cli, has] of [[CLI_V1, hasV1], [CLI_V2, hasV2]] as const) {
      if (!has) {
        t.diagnostic(`SKIPPED: ${cli} is not installed`);
        continue;
      }
      const v = await execFileAsync(cli, ['--version'], baseEnv);
      t.diagnostic(`${cli}: ${(v.stdout + v.stderr).trim()}`);
    }
    if (typeof proxy === 'string') t.diagnostic(`CLI v2 tests skipped: ${proxy}`);
  });

  test('after our sign-in (sharing on) and saveCliProfile, `aws --profile` prints the role ARN at once: CLI v1 and v2', async (t) => {
    const session = newSession(new MemorySecrets(), true);
    await session.signIn(target, { onCode: () => undefined });
    const ours = await session.accessToken();
    emulator.clearCalls();
    if (hasV1) {
      const arn = await callerArn(CLI_V1, envV1());
      assert.ok(arn.startsWith(arnPrefix()), arn);
      t.diagnostic(`CLI v1 → ${arn}`);
    } else t.diagnostic(`SKIPPED CLI v1: ${CLI_V1} missing`);
    if (typeof proxy === 'object') {
      const arn = await callerArn(CLI_V2, envV2());
      assert.ok(arn.startsWith(arnPrefix()), arn);
      t.diagnostic(`CLI v2 → ${arn} (via ${[...new Set(proxy.hosts)].join(', ')})`);
    } else t.diagnostic(`SKIPPED CLI v2: ${proxy}`);
    assert.equal(emulator.calls({ operation: 'CreateToken' }).length, 0, 'the CLIs used our token as it was (no refresh, no sign-in)');
    assert.ok(emulator.calls({ operation: 'GetRoleCredentials' }).length >= (hasV1 ? 1 : 0) + (typeof proxy === 'object' ? 1 : 0));
    sameSecret((await cache.read(target))?.token.accessToken, ours, 'the file still holds our token');
    await session.signOut();
    session.dispose();
  });

  test('CLI v1 refreshes the shared sign-in (rotating the refresh token); we follow it, also when it races our refresh; then the CLI follows ours', async (t) => {
    if (!hasV1) return t.skip(`${CLI_V1} missing`);
    // Under 15 minutes left: botocore refreshes on every run; ours refreshes 5 minutes before expiry.
    emulator.configure({ accessTokenTtlSec: 600 });
    const store = new MemorySecrets();
    let cliDuringNextRead: (() => Promise<void>) | undefined;
    // The real cache, with a hook to run the CLI between our pre-refresh check and our CreateToken.
    const racing: CliTokenStore = {
      read: async (tg, o) => {
        const found = await cache.read(tg, o);
        const hook = cliDuringNextRead;
        cliDuringNextRead = undefined;
        await hook?.();
        return found;
      },
      write: (tok, reg) => cache.write(tok, reg),
      remove: (tok) => cache.remove(tok),
    };
    const session = Session.create({ store, createClient: () => client(), cliCache: racing, shareWithCli: () => true });
    const ended: string[] = [];
    session.onDidEnd((e) => void ended.push(e.message));
    await session.signIn(target, { onCode: () => undefined });
    const first = await session.accessToken();
    await new Promise((r) => setTimeout(r, 1000)); // whole-second timestamps: the CLI's token must expire visibly later

    // 1. The CLI refreshes; our next (forced) refresh adopts its token without a CreateToken of ours.
    emulator.clearCalls();
    assert.ok((await callerArn(CLI_V1, envV1())).startsWith(arnPrefix()));
    assert.deepEqual(cliRefreshes('aws-cli/1.').map((c) => c.status), [200], 'botocore refreshed the token');
    const afterCli = fileText();
    const cliToken = (await cache.read(target))!;
    differentSecret(cliToken.token.accessToken, first);
    assert.ok(afterCli === formatCliToken(cliToken.token, cliToken.registration), `botocore's bytes differ from ours: ${redact(afterCli)}`);
    emulator.clearCalls();
    await session.handleUnauthorized(new Error('test: force a refresh'));
    assert.equal(emulator.calls({ operation: 'CreateToken' }).length, 0, 'we adopted the CLI token instead of refreshing');
    sameSecret(await session.accessToken(), cliToken.token.accessToken);

    // 2. The CLI refreshes again right after our check of the file: our refresh token is refused, we adopt its token.
    cliDuringNextRead = async () => void assert.ok((await callerArn(CLI_V1, envV1())).startsWith(arnPrefix()));
    emulator.clearCalls();
    await session.handleUnauthorized(new Error('test: force a refresh'));
    const ours = emulator.calls({ operation: 'CreateToken' }).filter((c) => !c.userAgent?.includes('aws-cli'));
    assert.deepEqual(ours.map((c) => c.errorType), ['InvalidGrantException'], 'our refresh lost the race');
    assert.equal(session.state.kind, 'signedIn');
    assert.deepEqual(ended, [], 'the session did not end');
    sameSecret(await session.accessToken(), (await cache.read(target))?.token.accessToken, "we use the CLI's newest token");
    assert.ok((await (await client()).listAccounts(await session.accessToken())).items.length > 0);

    // 3. Our refresh rotates the token and rewrites the file; the CLI's next refresh uses it and succeeds.
    emulator.clearCalls();
    await session.handleUnauthorized(new Error('test: force a refresh'));
    assert.deepEqual(emulator.calls({ operation: 'CreateToken' }).map((c) => c.status), [200]);
    sameSecret((await cache.read(target))?.token.accessToken, await session.accessToken(), 'the file holds our refreshed token');
    assert.ok((await callerArn(CLI_V1, envV1())).startsWith(arnPrefix()));
    assert.deepEqual(cliRefreshes('aws-cli/1.').map((c) => c.status), [200], 'botocore refreshed with the refresh token we wrote');
    t.diagnostic('CLI refresh → adopted; CLI refresh racing ours → invalid_grant → adopted; our refresh → CLI refresh OK');
    session.dispose();
    emulator.configure({ accessTokenTtlSec: 3600 });
  });

  test('JS SDK v3 fromSSO uses the shared file, refreshes it in its own format (pretty, milliseconds, not atomic), and we follow', async (t) => {
    emulator.configure({ accessTokenTtlSec: 240 }); // under 5 minutes: the JS SDK refreshes
    const store = new MemorySecrets();
    const session = newSession(store, true);
    await session.signIn(target, { onCode: () => undefined });
    await new Promise((r) => setTimeout(r, 1000)); // whole-second timestamps: the SDK's token must expire visibly later
    emulator.clearCalls();
    const { fromSSO } = await import('@aws-sdk/credential-providers');
    const creds = await withEnv({ HOME: home, USERPROFILE: undefined, AWS_CONFIG_FILE: configFile, AWS_PROFILE: undefined, AWS_ENDPOINT_URL_SSO: emulator.url, AWS_ENDPOINT_URL_SSO_OIDC: emulator.url },
      () => fromSSO({ profile, ignoreCache: true } as Parameters<typeof fromSSO>[0])());
    assert.ok(creds.accessKeyId && creds.sessionToken);
    const fetched = emulator.calls({ operation: 'GetRoleCredentials' }).at(-1);
    assert.deepEqual([fetched?.accountId, fetched?.roleName], [role.accountId, role.roleName]);
    assert.deepEqual(emulator.calls().map((c) => [c.operation, c.grantType ?? '', c.status]), [['CreateToken', 'refresh_token', 200], ['GetRoleCredentials', '', 200]], 'the SDK refreshed, then fetched the role');
    const text = fileText();
    assert.match(redact(text), /^\{\n {2}"startUrl": .*"expiresAt": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"/s, 'the JS SDK pretty-prints and writes milliseconds');
    const inFile = (await cache.read(target))!;
    differentSecret(inFile.token.accessToken, await session.accessToken());
    emulator.clearCalls();
    await session.handleUnauthorized(new Error('test: force a refresh'));
    assert.equal(emulator.calls({ operation: 'CreateToken' }).length, 0, "we adopted the SDK's token instead of refreshing");
    sameSecret(await session.accessToken(), inFile.token.accessToken);
    t.diagnostic(`the JS SDK wrote ${redact(text).replace(/\s+/g, ' ')}`);
    await session.signOut();
    session.dispose();
    emulator.configure({ accessTokenTtlSec: 3600 });
  });

  test('`aws sso login` (CLI v2) signs in; Session.signIn reuses it with zero StartDeviceAuthorization, and keeps the CLI working after our refresh (sharing off)', async (t) => {
    if (typeof proxy !== 'object') return t.skip(`CLI v2 unavailable: ${proxy}`);
    fs.rmSync(path.dirname(cache.pathFor(target)), { recursive: true, force: true });
    emulator.clearCalls();
    const login = await execFileAsync(CLI_V2, ['sso', 'login', '--sso-session', SESSION_NAME, '--no-browser'], envV2());
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stdout, /Successfully logged into Start URL: https:\/\/emulator\.awsapps\.com\/start/);
    assert.deepEqual(emulator.calls().map((c) => c.operation), ['RegisterClient', 'StartDeviceAuthorization', 'CreateToken']);
    const written = fileText();
    const parsed = (await cache.read(target))!;
    assert.ok(parsed.registration && parsed.token.refreshToken);
    assert.ok(written === formatCliToken(parsed.token, parsed.registration), `the CLI's bytes differ from ours: ${redact(written)}`);
    t.diagnostic(`aws sso login wrote ${redact(written)}`);

    emulator.clearCalls();
    const store = new MemorySecrets();
    const session = newSession(store, false);
    assert.deepEqual(await session.signIn(target, { onCode: () => assert.fail('no device code expected') }), { reusedFrom: 'awsCli' });
    assert.equal(emulator.calls({ operation: 'StartDeviceAuthorization' }).length, 0);
    assert.equal(emulator.calls().length, 0, 'no OIDC call at all');
    sameSecret(await session.accessToken(), parsed.token.accessToken);

    // Our refresh spends the refresh token the file holds: with sharing off we still rewrite that
    // file, or the CLI's next refresh would fail.
    emulator.configure({ accessTokenTtlSec: 600 });
    await session.handleUnauthorized(new Error('test: force a refresh'));
    assert.deepEqual(emulator.calls({ operation: 'CreateToken' }).map((c) => [c.status, c.clientId]), [[200, parsed.registration.clientId]]);
    sameSecret((await cache.read(target))?.token.accessToken, await session.accessToken());
    emulator.clearCalls();
    assert.ok((await callerArn(CLI_V2, envV2())).startsWith(arnPrefix()));
    assert.deepEqual(cliRefreshes('aws-cli/2.').map((c) => c.status), [200], 'CLI v2 refreshed with the token we wrote');
    emulator.configure({ accessTokenTtlSec: 3600 });
    session.dispose();
  });
});
