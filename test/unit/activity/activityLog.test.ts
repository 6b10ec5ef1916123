// The activity log: real files in a temp dir, a manual clock for the debounce.
import assert from 'node:assert/strict';
import { existsSync, promises as fsp, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ActivityEntry } from '../../../src/core/activity/activityEntry';
import { ActivityLog } from '../../../src/core/activity/activityLog';
import { SECRET, TOKEN, assertNoSecrets } from '../../support/awsExampleKeys';
import { tempDirs } from '../../support/tempDirs';
import { T0, entry } from '../../support/activityEntries';
import { ManualClock } from '../../support/clocks';

const freshDir = tempDirs('awsidc-activity-');

const newLog = (file: string, opts: { maxEntries?: number; clock?: ManualClock } = {}): ActivityLog =>
  new ActivityLog({ file, clock: opts.clock ?? new ManualClock(T0), maxEntries: opts.maxEntries, onError: (e) => assert.fail(String(e)) });
const fileLines = (file: string): unknown[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

describe('ActivityLog', () => {
  test('records newest first, persists after the debounce, reloads from the file', async () => {
    const clock = new ManualClock(T0);
    const file = join(freshDir(), 'sub', 'activity.jsonl');
    const log = newLog(file, { clock });
    let changes = 0;
    log.onDidChange(() => changes++);
    log.record(entry(1));
    log.record(entry(2, { event: 'served', consumer: 'active role' }));
    assert.deepEqual(
      (await log.entries()).map((e) => e.at),
      [T0 + 2000, T0 + 1000],
    );
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
    assert.deepEqual(
      (await log.entries()).map((e) => e.consumer),
      ['copy to clipboard', 'terminal: build'],
    );
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
    assert.deepEqual(
      fileLines(file),
      Array.from({ length: 10 }, (_, i) => entry(i + 7)),
    );
    assert.equal((await log.entries()).length, 10);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
      'no temp file left behind',
    );
    if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  test('corrupt and foreign lines are skipped; secret fields in the file are dropped on read', async () => {
    const file = join(freshDir(), 'activity.jsonl');
    const withSecret = { ...entry(2), secretAccessKey: SECRET, sessionToken: TOKEN };
    writeFileSync(
      file,
      [JSON.stringify(entry(1)), '{"at":', 'not json', JSON.stringify({ ...entry(3), at: 'yesterday' }), JSON.stringify(withSecret), '[]', 'null', ''].join(
        '\n',
      ),
    );
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
    assert.deepEqual(
      lines,
      Array.from({ length: lines.length }, (_, i) => entry(201 - lines.length + i)),
      'in order, none torn or lost',
    );
    assert.deepEqual(
      (await log.entries()).map((e) => e.at),
      Array.from({ length: 20 }, (_, i) => entry(200 - i).at),
    );
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
    assert.deepEqual(Object.keys(fileLines(file)[0] as object).sort(), [
      'accessKeyId',
      'accountId',
      'accountName',
      'at',
      'consumer',
      'event',
      'expiresAt',
      'roleName',
    ]);
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
  test('trimming in one window keeps the newer entries another window appended since it loaded', async () => {
    const file = join(freshDir(), 'activity.jsonl');
    const a = newLog(file, { maxEntries: 4 });
    a.record(entry(1));
    await a.flush();
    const b = newLog(file, { maxEntries: 4 });
    b.record(entry(20));
    b.record(entry(21));
    await b.flush();
    for (let n = 4; n <= 9; n++) a.record(entry(n));
    await a.flush(); // 9 lines > 1.5 x 4: window a trims the file
    assert.deepEqual(
      (await newLog(file, { maxEntries: 4 }).entries()).map((e) => e.at - T0),
      [21000, 20000, 9000, 8000],
    );
    assert.equal(fileLines(file).length, 4);
  });

  test('a torn last line (a crash mid-append) does not swallow the next entry', async () => {
    const file = join(freshDir(), 'activity.jsonl');
    writeFileSync(file, JSON.stringify(entry(1)) + '\n' + JSON.stringify(entry(2)).slice(0, 40));
    const log = newLog(file);
    log.record(entry(3));
    await log.flush();
    const reread = newLog(file);
    assert.deepEqual(await reread.entries(), [entry(3), entry(1)]);
    // ...also when another writer tears a line after we loaded.
    writeFileSync(file, readFileSync(file, 'utf8') + '{"at":');
    reread.record(entry(4));
    await reread.flush();
    assert.deepEqual(await newLog(file).entries(), [entry(4), entry(3), entry(1)]);
  });

  test('a huge file (20 MB, one line without an end) is read from its tail only, and trimmed at the next append', async () => {
    const file = join(freshDir(), 'activity.jsonl');
    writeFileSync(file, 'x'.repeat(20 << 20) + '\n' + JSON.stringify(entry(1)) + '\n');
    const started = performance.now();
    const log = newLog(file);
    assert.deepEqual(await log.entries(), [entry(1)]);
    assert.ok(performance.now() - started < 2000, `${Math.round(performance.now() - started)} ms`);
    log.record(entry(2));
    await log.flush();
    assert.ok(statSync(file).size < 4096, `${statSync(file).size} bytes after the append`);
    assert.deepEqual(fileLines(file), [entry(1), entry(2)]);
  });
});
