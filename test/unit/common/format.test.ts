// Table tests of the countdown text, its ticks and its colour thresholds.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatTimeLeft, nextTickIn, urgency } from '../../../src/core/common/format';

describe('formatTimeLeft and ticks', () => {
  const table: [number, string, number][] = [
    [2 * 3600_000 + 5 * 60_000, '2h 05m', 60_000],
    [42 * 60_000 + 30_000, '42m', 30_000],
    [60_500, '1m', 500],
    [59_000, '59s', 1000],
    [1_200, '1s', 200],
    [0, 'expired', 60_000],
    [-5000, 'expired', 60_000],
  ];
  for (const [ms, text, tick] of table) {
    test(`${ms} ms → ${text}, next change in ${tick} ms`, () => {
      assert.equal(formatTimeLeft(ms), text);
      assert.equal(nextTickIn(ms), tick);
    });
  }
  test('urgency thresholds', () => {
    assert.equal(urgency(11 * 60_000, 10 * 60_000), 'normal');
    assert.equal(urgency(10 * 60_000, 10 * 60_000), 'warning');
    assert.equal(urgency(1, 10 * 60_000), 'warning');
    assert.equal(urgency(0, 10 * 60_000), 'expired');
  });
});
