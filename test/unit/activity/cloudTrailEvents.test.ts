// What the review takes from a CloudTrail answer, and which hand-outs it covers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_RECORD_CHARS, isDenial, toTrailEvent } from '../../../src/core/activity/cloudTrailEvents';
import { selectHandouts } from '../../../src/core/activity/cloudTrailReview';
import { T0, entry } from '../../support/activityEntries';

const base = { EventId: 'e1', EventName: 'PutObject', EventTime: new Date(T0), EventSource: 's3.amazonaws.com', ReadOnly: 'false' };

describe('toTrailEvent', () => {
  test('fields from the event and its CloudTrailEvent record, each one bounded line', () => {
    const record = JSON.stringify({ errorCode: 'AccessDenied', sourceIPAddress: '203.0.113.9', userAgent: 'evil\nLine 2\u202e' + 'x'.repeat(500) });
    const e = toTrailEvent({ ...base, CloudTrailEvent: record, Resources: [{ ResourceName: 'arn:aws:s3:::b' }, null, {}] });
    assert.ok(e);
    assert.equal(e.readOnly, false);
    assert.equal(e.errorCode, 'AccessDenied');
    assert.equal(e.sourceIp, '203.0.113.9');
    assert.ok(!/[\n\u202e]/.test(e.userAgent ?? '') && (e.userAgent ?? '').length <= 200);
    assert.deepEqual(e.resources, ['arn:aws:s3:::b']);
  });

  test('a huge or broken record keeps the top-level fields; an event without id, name or time is dropped', () => {
    const huge = toTrailEvent({ ...base, CloudTrailEvent: JSON.stringify({ errorCode: 'X', pad: 'y'.repeat(MAX_RECORD_CHARS) }) });
    assert.equal(huge?.name, 'PutObject');
    assert.equal(huge?.errorCode, undefined);
    assert.equal(toTrailEvent({ ...base, CloudTrailEvent: '{not json' })?.name, 'PutObject');
    assert.equal(toTrailEvent({ ...base, EventId: undefined }), undefined);
    assert.equal(toTrailEvent({ ...base, EventTime: 'yesterday' }), undefined);
    assert.equal(toTrailEvent('PutObject'), undefined);
  });

  test('denials are the access-refused codes, not every failure', () => {
    assert.deepEqual(['AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation', 'ResourceNotFoundException', undefined].map(isDenial), [
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('selectHandouts', () => {
  const entries = [
    entry(0, { event: 'issued', consumer: 'IAM Identity Center portal' }),
    entry(1, { event: 'served', consumer: 'terminals (active role endpoint)', accessKeyId: 'ASIA0000000000000000' }),
    entry(2, { event: 'served', consumer: 'debug session "api"', accessKeyId: 'ASIA0000000000000000' }),
    entry(3, { event: 'issued', consumer: 'IAM Identity Center portal', roleName: 'Admin' }),
  ];

  test('one hand-out per key, its consumers newest first, the issuer only when nothing was served', () => {
    const all = selectHandouts(entries, { kind: 'all' }, T0 + 10_000);
    assert.deepEqual(
      all.map((h) => [h.accessKeyId, h.roleName, h.consumers]),
      [
        ['ASIA0000000000000003', 'Admin', ['IAM Identity Center portal']],
        ['ASIA0000000000000000', 'ReadOnly', ['debug session "api"', 'terminals (active role endpoint)']],
      ],
    );
    assert.equal(all[1].firstAt, T0);
  });

  test('by consumer, by role, and nothing older than CloudTrail keeps', () => {
    assert.deepEqual(
      selectHandouts(entries, { kind: 'consumers', consumers: ['debug session "api"'] }, T0).map((h) => h.accessKeyId),
      ['ASIA0000000000000000'],
    );
    assert.deepEqual(
      selectHandouts(entries, { kind: 'role', accountId: '111122223333', roleName: 'Admin' }, T0).map((h) => h.accessKeyId),
      ['ASIA0000000000000003'],
    );
    assert.deepEqual(selectHandouts(entries, { kind: 'all' }, T0 + 91 * 24 * 3600_000), []);
  });
});
