import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CATCH_UP_SLOTS, Pacer } from '../../../src/core/aws/pacer';
import { ManualClock } from '../../support/clocks';

const START = 10_000;

/** One caller making `calls` calls as fast as the pacer lets it, stalling `stallMs` after call `stallAfter`; when each call went. */
async function run(calls: number, stallAfter: number, stallMs: number): Promise<number[]> {
  const clock = new ManualClock(START);
  const pacer = new Pacer({ ratePerSec: 10, clock }); // a slot every 100 ms
  const times: number[] = [];
  let done = false;
  const caller = (async () => {
    for (let i = 0; i < calls; i++) {
      await pacer.acquire();
      times.push(clock.now() - START);
      if (i === stallAfter) await new Promise<void>((r) => clock.setTimeout(r, stallMs));
    }
    done = true;
  })();
  while (!done) await clock.advance(10);
  await caller;
  return times;
}

describe('Pacer', () => {
  test('a caller that stalls loses no slot: the slots it missed are taken when it comes back', async () => {
    const steady = await run(20, -1, 0);
    const stalled = await run(20, 8, 350); // 3.5 slots missed, fewer than CATCH_UP_SLOTS
    assert.equal(stalled.at(-1), steady.at(-1), `the 20th call at ${stalled.at(-1)} ms with a stall, ${steady.at(-1)} ms without`);
  });

  test(`after a pause at most ${CATCH_UP_SLOTS} missed slots are made up: a short burst, then the rate`, async () => {
    const clock = new ManualClock(START);
    const pacer = new Pacer({ ratePerSec: 10, clock });
    const times: number[] = [];
    const calls = Array.from({ length: CATCH_UP_SLOTS + 3 }, () => pacer.acquire().then(() => times.push(clock.now() - START)));
    await new Promise((r) => setImmediate(r)); // the calls that need no wait have gone
    assert.equal(times.length, CATCH_UP_SLOTS + 1, 'calls at once after a pause');
    await clock.advance(1_000);
    await Promise.all(calls);
    assert.deepEqual(times.slice(CATCH_UP_SLOTS + 1), [100, 200], 'then one call per slot');
  });

  test('with no catch-up slots (a service whose bucket is two calls deep) even the first calls are spaced', async () => {
    const clock = new ManualClock(START);
    const pacer = new Pacer({ ratePerSec: 2, catchUpSlots: 0, clock });
    const times: number[] = [];
    const calls = Array.from({ length: 4 }, () => pacer.acquire().then(() => times.push(clock.now() - START)));
    await new Promise((r) => setImmediate(r)); // the call that needs no wait has gone
    assert.deepEqual(times, [0], 'one call at once, not a burst');
    await clock.advance(2_000);
    await Promise.all(calls);
    assert.deepEqual(times, [0, 500, 1000, 1500]);
  });
});
