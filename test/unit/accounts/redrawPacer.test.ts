// The Accounts tree's redraw pacing while pages arrive: the first change at once, the rest merged
// into one redraw per pause, the pause growing with the number of rows drawn.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RedrawPacer, redrawGapMs } from '../../../src/core/accounts/redrawPacer';
import { ManualClock } from '../../support/clocks';

describe('RedrawPacer', () => {
  test('the pause grows with the rows drawn, from 100 ms to 1 s', () => {
    assert.deepEqual([0, 500, 1_000, 2_000, 10_000, 100_000].map(redrawGapMs), [100, 100, 100, 200, 1_000, 1_000]);
  });

  test('a first change draws at once; changes during the pause are drawn once, at its end', async () => {
    const clock = new ManualClock();
    const drawnAt: number[] = [];
    let rows = 10_000;
    const start = clock.now();
    const pacer = new RedrawPacer(clock, () => (drawnAt.push(clock.now() - start), rows));
    pacer.request();
    assert.deepEqual(drawnAt, [0]);
    for (let i = 0; i < 9; i++) {
      await clock.advance(100);
      pacer.request();
    }
    assert.deepEqual(drawnAt, [0], 'nothing during the 1 s pause after 10,000 rows');
    await clock.advance(100);
    assert.deepEqual(drawnAt, [0, 1_000], 'the nine changes in one redraw');
    rows = 500;
    await clock.advance(1_000);
    assert.deepEqual(drawnAt, [0, 1_000], 'no redraw without a change');
    pacer.request();
    assert.deepEqual(drawnAt, [0, 1_000, 2_000], 'idle again: at once');
    pacer.request();
    await clock.advance(100);
    assert.deepEqual(drawnAt, [0, 1_000, 2_000, 2_100], 'after 500 rows the pause is 100 ms');
  });

  test('dispose drops a pending redraw', async () => {
    const clock = new ManualClock();
    let draws = 0;
    const pacer = new RedrawPacer(clock, () => (draws++, 5_000));
    pacer.request();
    pacer.request();
    pacer.dispose();
    await clock.advance(5_000);
    assert.equal(draws, 1);
    assert.equal(clock.pendingTimers, 0);
  });
});
