// The per-role credential cache with refresh-ahead, on a manual clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CredentialBroker } from '../../../src/core/credentials/broker';
import type { RoleCredentialsSecret, RoleRef } from '../../../src/core/common/model';
import { ManualClock } from '../../support/clocks';

function setup(lifetimeMs: number, refreshBeforeMs: number) {
  const clock = new ManualClock();
  const fetched: number[] = [];
  let fail = false;
  const broker = new CredentialBroker({
    clock,
    refreshBeforeMs: () => refreshBeforeMs,
    fetch: async (role: RoleRef): Promise<RoleCredentialsSecret> => {
      if (fail) throw Object.assign(new Error('boom'), { name: 'InternalServerException' });
      fetched.push(clock.now());
      return { ...role, accessKeyId: `AK${fetched.length}`, secretAccessKey: 's', sessionToken: 't', expiration: clock.now() + lifetimeMs };
    },
  });
  return { clock, fetched, broker, setFail: (v: boolean) => (fail = v) };
}
const role = { accountId: '111122223333', roleName: 'ReadOnly' };

test('cached until refreshBeforeExpiry before expiry, then fetched again', async () => {
  const { clock, fetched, broker } = setup(120 * 60_000, 30 * 60_000);
  assert.equal((await broker.get(role)).accessKeyId, 'AK1');
  await clock.advance(89 * 60_000);
  assert.equal((await broker.get(role)).accessKeyId, 'AK1');
  await clock.advance(61_000);
  assert.equal((await broker.get(role)).accessKeyId, 'AK2', 'refreshed with 30 minutes left');
  assert.equal(fetched.length, 2);
});

test('never less than 16 minutes ahead (botocore refreshes on every call inside 15)', async () => {
  const { clock, fetched, broker } = setup(60 * 60_000, 1 * 60_000);
  await broker.get(role);
  await clock.advance(43 * 60_000);
  await broker.get(role);
  assert.equal(fetched.length, 1);
  await clock.advance(61_000);
  await broker.get(role);
  assert.equal(fetched.length, 2, 'refreshed with 16 minutes left although the setting says 1');
});

test('concurrent gets share one fetch', async () => {
  const { fetched, broker } = setup(60 * 60_000, 15 * 60_000);
  await Promise.all([broker.get(role), broker.get(role), broker.get(role)]);
  assert.equal(fetched.length, 1);
});

test('keepFresh refreshes ahead in the background, so what is served always has the margin left', async () => {
  const { clock, fetched, broker } = setup(60 * 60_000, 15 * 60_000);
  const keep = broker.keepFresh(role);
  await clock.advance(0);
  for (let minute = 0; minute < 180; minute++) {
    await clock.advance(60_000);
    const left = broker.peek(role)!.expiration - clock.now();
    assert.ok(left >= 16 * 60_000 - 60_000, `at minute ${minute} only ${left / 60_000} min left`);
  }
  assert.equal(fetched.length, 5, 'one fetch every 44 minutes: at 0, 44, 88, 132 and 176');
  keep.dispose();
  assert.equal(clock.pendingTimers, 0, 'no timer left behind');
});

test('credentials shorter-lived than the setting are refreshed at half-life', async () => {
  const { clock, fetched, broker } = setup(2 * 60_000, 15 * 60_000);
  await broker.get(role);
  await clock.advance(59_000);
  await broker.get(role);
  assert.equal(fetched.length, 1);
  await clock.advance(2_000);
  await broker.get(role);
  assert.equal(fetched.length, 2);
});

test('a failed refresh keeps serving unexpired credentials, but never nearly-dead ones', async () => {
  const { clock, broker, setFail } = setup(60 * 60_000, 15 * 60_000);
  await broker.get(role);
  setFail(true);
  await clock.advance(50 * 60_000);
  assert.equal((await broker.get(role)).accessKeyId, 'AK1');
  await clock.advance(9 * 60_000 + 30_000);
  await assert.rejects(broker.get(role), /boom/);
});

test('clear forgets everything and a fetch in flight does not repopulate', async () => {
  const { broker } = setup(60 * 60_000, 15 * 60_000);
  const pending = broker.get(role);
  broker.clear();
  await pending;
  assert.equal(broker.peek(role), undefined);
});
