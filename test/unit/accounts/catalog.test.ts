// Listing accounts and roles through the real SDK against the local Identity Center,
// including paging, the no-role account, non-ASCII names, throttling and a revoked token.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { AccountCatalog } from '../../../src/core/accounts/catalog';
import { IdentityCenter } from '../../../src/core/aws/identityCenter';
import type { Emulator } from '../../emulator/server';
import { START_URL, startEmulator } from '../../support/emulator';

describe('AccountCatalog', () => {
  let emulator: Emulator;
  let ic: IdentityCenter;
  let accessToken: string;
  before(async () => {
    const started = await startEmulator({ accounts: 150, autoApprove: true });
    emulator = started.emulator;
    ic = await started.client();
    const reg = await ic.registerClient('test');
    const auth = await ic.startDeviceAuthorization(reg, START_URL);
    accessToken = (await ic.createTokenWithDeviceCode(reg, auth.deviceCode)).accessToken;
  });
  after(async () => {
    ic.dispose();
    await emulator.stop();
  });
  beforeEach(() => {
    emulator.configure({ throttle: null, latencyMs: 0 });
    emulator.clearCalls();
    emulator.clearFaults();
  });

  const catalog = (extra: Partial<ConstructorParameters<typeof AccountCatalog>[0]> = {}) =>
    new AccountCatalog({ client: async () => ic, accessToken: async () => accessToken, changeDelayMs: 10, ratePerSec: 500, ...extra });

  test('lists every account across pages and every role, matching the seed exactly', async () => {
    const c = catalog();
    await c.refresh();
    await c.whenIdle();
    const seed = emulator.accounts();
    assert.equal(c.accounts.length, seed.length);
    assert.equal(emulator.calls({ operation: 'ListAccounts' }).length, 2, 'two pages of 100');
    for (const account of seed) {
      const state = c.roles(account.accountId);
      assert.equal(state.kind, 'loaded');
      assert.deepEqual(state.kind === 'loaded' && state.roles.map((r) => r.roleName), [...account.roles].sort());
      assert.equal(c.account(account.accountId)?.accountName, account.accountName);
    }
    assert.ok(
      seed.some((a) => a.roles.length === 0),
      'the seed has an account without roles',
    );
    assert.ok(
      c.accounts.some((a) => /[^\x00-\x7f]/.test(a.accountName)),
      'non-ASCII names survive the round trip',
    );
    assert.equal(c.stats.userVisibleErrors, 0);
    c.dispose();
  });

  test('an expanded account jumps the queue', async () => {
    emulator.configure({ latencyMs: 20 });
    const c = catalog({ concurrency: 2 });
    const listing = c.refresh();
    const last = emulator.accounts().at(-1)!;
    await new Promise((r) => setTimeout(r, 300));
    const state = await c.ensureRoles(last.accountId);
    assert.equal(state.kind, 'loaded');
    await listing;
    await c.whenIdle();
    const order = emulator.calls({ operation: 'ListAccountRoles' }).map((x) => x.accountId);
    assert.ok(order.indexOf(last.accountId) < order.length / 4, `loaded early, not last (${order.indexOf(last.accountId)} of ${order.length})`);
    c.dispose();
  });

  test('a throttled listing still completes with no user-visible error', async () => {
    emulator.configure({ throttle: { ratePerSec: 50, burst: 5 } });
    const c = catalog({ ratePerSec: 120, concurrency: 12 });
    await c.refresh();
    await c.whenIdle();
    const throttled = emulator.calls().filter((x) => x.status === 429).length;
    assert.ok(throttled > 0, 'the server did throttle');
    assert.equal(c.stats.userVisibleErrors, 0);
    assert.ok(emulator.accounts().every((a) => c.roles(a.accountId).kind === 'loaded'));
    c.dispose();
  });

  test('a revoked token goes to the session once instead of failing every account', async () => {
    let unauthorized = 0;
    emulator.injectFault({ operation: 'ListAccounts', kind: '401', count: 1 });
    const c = catalog({ onUnauthorized: async () => void unauthorized++ });
    await c.refresh();
    await c.whenIdle();
    assert.equal(unauthorized, 1);
    assert.equal(c.accounts.length, emulator.accounts().length);
    c.dispose();
  });

  test('a 500 on one account shows an error for that account only', async () => {
    emulator.injectFault({ operation: 'ListAccountRoles', kind: '500', count: 3 });
    const c = catalog({ concurrency: 1 });
    await c.refresh();
    await c.whenIdle();
    const errors = c.accounts.filter((a) => c.roles(a.accountId).kind === 'error');
    assert.equal(errors.length, 1);
    const state = c.roles(errors[0].accountId);
    assert.match(state.kind === 'error' ? state.message : '', /internal error.*Try again/);
    c.dispose();
  });

  test('the cached listing restores at once and holds no secrets', async () => {
    const c = catalog();
    await c.refresh();
    await c.whenIdle();
    const snapshot = JSON.stringify(c.snapshot(START_URL));
    for (const secret of emulator.issuedSecrets()) assert.ok(!snapshot.includes(secret), 'no secret in the cache');
    const warm = catalog();
    warm.restore(JSON.parse(snapshot));
    assert.equal(warm.accounts.length, c.accounts.length);
    assert.equal(warm.allRoles().length, c.allRoles().length);
    c.dispose();
    warm.dispose();
  });
});
