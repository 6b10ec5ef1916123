// Issue 24 item 6: names someone else chose (a launch configuration's name, a server's account name)
// in the activity log. A long name used to get the entry dropped (credentials handed out, nothing
// recorded); a multi-line or bidi-laden one could make an entry, or an output-log line, read as
// another. Every label is now one bounded line of visible text, and the entry is kept.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { credentialActivity } from '../../../src/core/activity/activityEntry';
import { ActivityLog } from '../../../src/core/activity/activityLog';
import { renderActivityMarkdown } from '../../../src/core/activity/activityTable';
import type { RoleCredentialsSecret } from '../../../src/core/common/model';
import { T0 } from '../../support/activityEntries';
import { ManualClock } from '../../support/clocks';
import { tempDirs } from '../../support/tempDirs';

const freshDir = tempDirs('awsidc-activity-labels-');
const CREDS: RoleCredentialsSecret = {
  accountId: '111122223333',
  roleName: 'Admin',
  accessKeyId: 'ASIA0000000000000001',
  secretAccessKey: 'secret',
  sessionToken: 'token',
  expiration: T0 + 3_600_000,
};
const newLog = () => new ActivityLog({ file: join(freshDir(), 'activity.jsonl'), clock: new ManualClock(T0), onError: (e) => assert.fail(String(e)) });
/** As the debug adapter builds it today: `debug session "<configuration name>"`. */
const launch = (name: string) => `debug session "${name}"`;
const VISIBLE_ONE_LINE = /^[^\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]+$/;

describe('activity log labels', () => {
  test('a 300-character launch configuration name: the hand-out is still recorded, its label cut to a bounded line', async () => {
    const log = newLog();
    log.record(credentialActivity(CREDS, launch('x'.repeat(300)), 'served'));
    const entries = await log.entries();
    assert.equal(entries.length, 1, 'credentials were served: the entry is kept');
    assert.ok(entries[0].consumer.length <= 200, `bounded: ${entries[0].consumer.length}`);
    assert.match(entries[0].consumer, /^debug session "x+/);
  });

  test('a multi-line launch configuration name cannot forge a second entry or a log line', async () => {
    const forged = 'build"\n2026-12-07 09:00:00.000 [info] [debug] debug session "deploy" uses its own credentials\r\n| 2026-01-01 | 999999999999 |';
    const log = newLog();
    log.record(credentialActivity(CREDS, launch(forged), 'served'));
    const [e] = await log.entries();
    assert.match(e.consumer, VISIBLE_ONE_LINE, JSON.stringify(e.consumer));
    const table = renderActivityMarkdown(await log.entries(), { now: T0, timeZone: 'UTC' });
    assert.equal(table.split('\n').filter((l) => l.startsWith('| ')).length, 2, 'a header and one row');
  });

  test('bidi overrides, zero-width and control characters from a name or a server’s account name are removed', async () => {
    const log = newLog();
    // U+202E turns "Admin" into "nimdA" on screen; U+200B hides between letters; U+0085 is a C1 line break.
    log.record(credentialActivity(CREDS, launch('dev\u202e\u200bnimdA\u0085\u2028x'), 'served', () => 'Prod\u202eccount\u0007'));
    const [e] = await log.entries();
    assert.match(e.consumer, VISIBLE_ONE_LINE, JSON.stringify(e.consumer));
    assert.match(e.accountName ?? '', VISIBLE_ONE_LINE, JSON.stringify(e.accountName));
    assert.equal(e.consumer, 'debug session "dev nimdA x"');
  });
});
