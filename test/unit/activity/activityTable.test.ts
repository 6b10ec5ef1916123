// The activity log's Markdown table.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderActivityMarkdown } from '../../../src/core/activity/activityTable';
import { T0, entry } from '../../support/activityEntries';

describe('renderActivityMarkdown', () => {
  test('a table with one row per entry, cells escaped', () => {
    const now = T0 + 18 * 60_000;
    const md = renderActivityMarkdown(
      [
        entry(0),
        entry(60, {
          accountId: '444455556666',
          accountName: 'Prod | main\nEU',
          roleName: 'Admin',
          chain: 'deploy',
          consumer: 'extension: acme.tools',
          event: 'served',
          expiresAt: T0 - 1000,
          accessKeyId: 'ASIAEXAMPLEKEY000002',
        }),
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
