// The AWS CLI's token cache file (~/.aws/sso/cache): its exact bytes, atomic writes, reading it back.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { rfc3339 as cliTimestamp } from '../../../src/core/common/format';
import { CliTokenCache, cliCacheKey, formatCliToken, parseCliTimestamp } from '../../../src/core/awsFiles/cliTokenCache';
import { REGION, START_URL } from '../../support/emulator';
import { runProcess as execFileAsync } from '../../support/processes';
import { CLI_V1_PYTHON, SESSION_NAME, target, tempDir, sampleToken, sampleRegistration } from '../../support/cliFixtures';

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
    assert.equal(
      formatCliToken(sampleToken({ refreshToken: undefined }), { ...sampleRegistration, region: 'eu-west-1' }),
      '{"startUrl": "https://emulator.awsapps.com/start", "region": "us-east-1", "accessToken": "aoa-access", "expiresAt": "2030-01-02T03:04:05Z"}',
    );
    // Escapes as Python's json.dumps (ensure_ascii) writes them; compared with botocore itself below.
    assert.ok(
      formatCliToken(sampleToken({ startUrl: 'https://ü.awsapps.com/start\u007f\u2028\u{1F600}"\\\n\t\x01' })).startsWith(
        '{"startUrl": "https://\\u00fc.awsapps.com/start\\u007f\\u2028\\ud83d\\ude00\\"\\\\\\n\\t\\u0001", "region"',
      ),
    );
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
    const input = JSON.stringify({
      ...token,
      clientId: sampleRegistration.clientId,
      clientSecret: sampleRegistration.clientSecret,
      registrationExpiresAt: sampleRegistration.expiresAt,
    });
    const py = await execFileAsync(CLI_V1_PYTHON, ['-c', script, input]);
    assert.equal(py.code, 0, py.stderr);
    assert.equal(formatCliToken(token, sampleRegistration), py.stdout);
  });

  test('reads both timestamp forms (CLI whole seconds, JS SDK pretty-printed with milliseconds) and derives the registration', async () => {
    const dir = path.dirname(cache.pathFor(target));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      cache.pathFor(target),
      JSON.stringify(
        {
          startUrl: `${START_URL}/`,
          region: REGION,
          accessToken: 'a1',
          expiresAt: '2030-01-02T03:04:05.678Z',
          clientId: 'c',
          clientSecret: 's',
          registrationExpiresAt: '2030-04-01T00:00:00Z',
          refreshToken: 'r1',
        },
        null,
        2,
      ),
    );
    const js = await cache.read(target);
    assert.deepEqual(js, {
      token: {
        accessToken: 'a1',
        refreshToken: 'r1',
        expiresAt: Date.UTC(2030, 0, 2, 3, 4, 5, 678),
        startUrl: START_URL,
        region: REGION,
        sessionName: SESSION_NAME,
      },
      registration: { clientId: 'c', clientSecret: 's', expiresAt: Date.UTC(2030, 3, 1), region: REGION, scopes: ['sso:account:access'] },
    });
    fs.writeFileSync(
      cache.pathFor(target),
      '{"startUrl": "https://emulator.awsapps.com/start", "region": "us-east-1", "accessToken": "a2", "expiresAt": "2030-01-02T03:04:05Z", "clientId": "c", "clientSecret": "s", "registrationExpiresAt": "2030-04-01T00:00:00UTC"}',
    );
    const cli = await cache.read(target);
    assert.equal(cli?.token.expiresAt, Date.UTC(2030, 0, 2, 3, 4, 5));
    assert.equal(cli?.token.refreshToken, undefined);
    assert.deepEqual(cli?.registration?.scopes, [], 'no refresh token: no claim of the refresh scope');
    assert.equal(cli?.registration?.expiresAt, Date.UTC(2030, 3, 1), 'the "UTC" suffix older CLIs wrote');
    for (const [text, ms] of [
      ['2030-01-02T03:04:05+01:00', Date.UTC(2030, 0, 2, 2, 4, 5)],
      ['2030-01-02 03:04:05Z', Date.UTC(2030, 0, 2, 3, 4, 5)],
      ['tomorrow', undefined],
      ['2030-01-02', undefined],
      [42, undefined],
    ] as const) {
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

  test('a file over 64 KB (a 50 MB token), an implausible token, or a FIFO is not used; onIgnored says why without the token', async (t) => {
    const file = cache.pathFor(target);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const good = { startUrl: START_URL, region: REGION, accessToken: 'aoa-ok', expiresAt: '2030-01-01T00:00:00Z' };
    const cases: [string, string, RegExp][] = [
      ['a 50 MB token', JSON.stringify({ ...good, accessToken: 'a'.repeat(50 << 20) }), /is 52428\d+ bytes, more than a token cache file ever holds \(65536\)/],
      ['a 20 KB token', JSON.stringify({ ...good, accessToken: 'a'.repeat(20_000) }), /accessToken is 20000 characters long/],
      ['a token with a line break', JSON.stringify({ ...good, accessToken: 'aoa\r\nX-Injected: 1' }), /accessToken holds characters no token has/],
      ['a non-ASCII refresh token', JSON.stringify({ ...good, refreshToken: 'aor-\u00e9' }), /refreshToken holds characters/],
      ['a numeric client secret', JSON.stringify({ ...good, clientId: 'c', clientSecret: 12 }), /clientSecret is not a string/],
    ];
    for (const [why, text, reason] of cases) {
      fs.writeFileSync(file, text);
      const heard: string[] = [];
      const started = performance.now();
      assert.equal(await cache.read(target, { onIgnored: (w) => heard.push(w) }), undefined, why);
      assert.ok(performance.now() - started < 2000, `${why}: ${Math.round(performance.now() - started)} ms`);
      assert.equal(heard.length, 1, why);
      assert.match(heard[0], reason, why);
      assert.ok(heard[0].startsWith(file) && !heard[0].includes('aaaa') && !heard[0].includes('aoa'), `${why}: names the file, never the token`);
    }
    fs.writeFileSync(file, JSON.stringify(good));
    assert.equal((await cache.read(target))?.token.accessToken, 'aoa-ok', 'a sane file is still read');
    if (process.platform === 'win32') return t.skip('no FIFOs');
    fs.rmSync(file);
    const fifo = await execFileAsync('mkfifo', [file]);
    if (fifo.code !== 0) return t.skip('mkfifo failed');
    const heard: string[] = [];
    assert.equal(await cache.read(target, { onIgnored: (w) => heard.push(w) }), undefined, 'a FIFO neither hangs nor counts');
    assert.match(heard[0] ?? '', /is not a regular file/);
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
    const reader = execFileAsync(process.execPath, [
      '-e',
      `
      const fs = require('fs'); let reads = 0, bad = 0, missing = 0; const until = Date.now() + 1500;
      while (Date.now() < until) {
        let t; try { t = fs.readFileSync(${JSON.stringify(file)}, 'utf8'); } catch { missing++; continue; }
        reads++; try { const d = JSON.parse(t); if (!d.accessToken || !d.expiresAt) bad++; } catch { bad++; }
      }
      process.stdout.write(JSON.stringify({ reads, bad, missing }));`,
    ]);
    await new Promise((r) => setTimeout(r, 150));
    let writes = 0;
    const started = Date.now();
    while (Date.now() - started < 1100) {
      // Long tokens make a torn write likely if writes were not atomic.
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          cache.write(sampleToken({ accessToken: `t${writes}-${i}-${'x'.repeat(20_000)}` }), sampleRegistration).then(() => writes++),
        ),
      );
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
