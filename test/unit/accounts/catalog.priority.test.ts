// What the user waits for goes first, through the real SDK against the local Identity Center:
// an expanded account is not queued behind the background listing's paced calls, a role switch
// during a throttled listing retries instead of failing, and the freshness rule decides what a
// second start lists.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { AccountCatalog } from '../../../src/core/accounts/catalog';
import { relistOnRefusal } from '../../../src/core/accounts/freshness';
import { IdentityCenter } from '../../../src/core/aws/identityCenter';
import { portalRoleCredentials } from '../../../src/core/aws/portal';
import { errorName } from '../../../src/core/common/errors';
import type { Emulator } from '../../emulator/server';
import { signedInPortal, type SignedInPortal } from '../aws/signedInPortal';
import { START_URL } from '../../support/emulator';

describe('AccountCatalog priorities and freshness', () => {
  let emulator: Emulator;
  let ic: IdentityCenter;
  let accessToken: string;
  let portal: SignedInPortal;
  before(async () => {
    portal = await signedInPortal({ accounts: 120 });
    ({ emulator, ic, accessToken } = portal);
  });
  after(() => portal.stop());
  beforeEach(() => {
    emulator.configure({ throttle: null, latencyMs: 0 });
    emulator.clearCalls();
    emulator.clearFaults();
  });
  const access = () => ({ client: async () => ic, accessToken: async () => accessToken });
  const catalog = (extra: Partial<ConstructorParameters<typeof AccountCatalog>[0]> = {}) =>
    new AccountCatalog({ ...access(), changeDelayMs: 10, ratePerSec: 500, ...extra });

  test('an expanded account during a listing is not queued behind paced background look-ups', async () => {
    emulator.configure({ latencyMs: 20 });
    // 10 calls/s and six look-ups waiting for slots: a call in line would wait at least 600 ms.
    const c = catalog({ ratePerSec: 10, concurrency: 6 });
    const listing = c.refresh();
    while (!(c.listingComplete && c.allRoles().length > 3)) await new Promise((r) => setTimeout(r, 20));
    const last = emulator.accounts().at(-1)!;
    const t = performance.now();
    const state = await c.ensureRoles(last.accountId);
    const ms = performance.now() - t;
    assert.equal(state.kind, 'loaded');
    // Behind the queue it would take 600 ms or more; one round trip is ~20 ms, with room for a busy machine.
    assert.ok(ms < 450, `answered in ${ms.toFixed(0)} ms: one round trip, not behind the queue`);
    c.dispose();
    await listing;
  });

  test('role switches during a listing that saturates the portal: none fails, none waits long', async () => {
    emulator.configure({ latencyMs: 10, throttle: { ratePerSec: 40, burst: 4 } });
    // The background runs at the portal's limit (no headroom) to make throttling certain.
    const c = catalog({ ratePerSec: 40, concurrency: 8 });
    const fetch = portalRoleCredentials(access(), { beforeAttempt: () => c.yieldSlot() });
    const listing = c.refresh();
    const failures: string[] = [];
    const times: number[] = [];
    for (const account of emulator
      .accounts()
      .filter((a) => a.roles.length > 0)
      .slice(0, 10)) {
      const t = performance.now();
      try {
        await fetch({ accountId: account.accountId, roleName: account.roles[0] });
        times.push(performance.now() - t);
      } catch (e) {
        failures.push(errorName(e));
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await listing;
    assert.deepEqual(failures, [], 'no role switch failed');
    assert.ok(
      emulator.calls().some((x) => x.status === 429),
      'the portal did throttle',
    );
    assert.ok(Math.max(...times) < 3_000, `slowest switch ${Math.max(...times).toFixed(0)} ms`);
    c.dispose();
  });

  test('a throttled role switch is retried with backoff, and gives up only after its budget, with the message', async () => {
    emulator.injectFault({ operation: 'GetRoleCredentials', kind: '429', count: 5 });
    const account = emulator.accounts().find((a) => a.roles.length > 0)!;
    const role = { accountId: account.accountId, roleName: account.roles[0] };
    const creds = await portalRoleCredentials(access())(role);
    assert.equal(creds.accountId, account.accountId);
    assert.equal(emulator.calls({ operation: 'GetRoleCredentials' }).length, 6, 'five refusals, then served');
    emulator.injectFault({ operation: 'GetRoleCredentials', kind: '429', count: 1_000 });
    const t = performance.now();
    await assert.rejects(portalRoleCredentials(access(), { throttleBudgetMs: 300 })(role), (e: Error) =>
      /throttl|TooManyRequests/i.test(`${e.name} ${e.message}`),
    );
    assert.ok(performance.now() - t < 5_000, 'the budget bounds the wait');
  });

  test('freshness: a second start within the window lists nothing; stale, new and doubtful accounts are listed again', async () => {
    let now = Date.now();
    const clock = { now: () => now, setTimeout: (fn: () => void, ms: number) => clearTimeout.bind(null, setTimeout(fn, ms)) as () => void };
    const first = catalog({ clock });
    await first.update();
    const saved = JSON.parse(JSON.stringify(first.snapshot(START_URL)));
    first.dispose();
    emulator.clearCalls();

    const second = catalog({ clock });
    second.restore(saved);
    assert.equal(second.needsUpdate(), false);
    await second.update();
    assert.equal(emulator.calls().length, 0, 'nothing listed within the freshness window');

    // Half an hour later: the accounts are listed again (cheap), the roles are not.
    now += 30 * 60_000;
    await second.update();
    assert.equal(emulator.calls({ operation: 'ListAccounts' }).length, 2);
    assert.equal(emulator.calls({ operation: 'ListAccountRoles' }).length, 0);

    // A credential fetch refused for a role of one account: that account's roles are listed again.
    emulator.clearCalls();
    const doubtful = second.accounts[7].accountId;
    second.rolesDoubtful(doubtful);
    await second.whenIdle();
    assert.deepEqual(
      emulator.calls({ operation: 'ListAccountRoles' }).map((x) => x.accountId),
      [doubtful],
    );

    // Thirteen hours later every account's roles are due again.
    emulator.clearCalls();
    now += 13 * 3_600_000;
    await second.update();
    assert.equal(emulator.calls({ operation: 'ListAccountRoles' }).length, 120);
    second.dispose();
  });

  test("a credential fetch refused for a listed role lists that account's roles again", async () => {
    const c = catalog();
    await c.update();
    emulator.clearCalls();
    const account = c.accounts.find((a) => c.roles(a.accountId).kind === 'loaded')!;
    const fetch = relistOnRefusal(portalRoleCredentials(access()), (id) => c.rolesDoubtful(id));
    // A role the listing showed but that is no longer assigned: the portal says ResourceNotFoundException.
    await assert.rejects(fetch({ accountId: account.accountId, roleName: 'NoLongerAssigned' }));
    await c.whenIdle();
    assert.deepEqual(
      emulator.calls({ operation: 'ListAccountRoles' }).map((x) => x.accountId),
      [account.accountId],
    );
    c.dispose();
  });
});
