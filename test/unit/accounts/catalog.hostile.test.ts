// A portal that misbehaves on purpose: page tokens that repeat or never end, a body dripped one byte
// a second, one page with more accounts than any organisation has, the same role listed three times,
// an error type that echoes the access token. Each listing ends, says why, and keeps what it had.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { AccountCatalog } from '../../../src/core/accounts/catalog';
import type { IdentityCenter } from '../../../src/core/aws/identityCenter';
import type { IdcError } from '../../../src/core/common/errors';
import type { Logger } from '../../../src/core/common/log';
import type { Emulator } from '../../emulator/server';
import { signedInPortal, type SignedInPortal } from '../aws/signedInPortal';

describe('AccountCatalog against a misbehaving portal', () => {
  let portal: SignedInPortal;
  let emulator: Emulator;
  let ic: IdentityCenter;
  let accessToken: string;
  before(async () => {
    portal = await signedInPortal({ accounts: 8, dripIntervalMs: 1000 }, { requestTimeoutMs: 3_000, deadlineMs: 2_000 });
    ({ emulator, ic, accessToken } = portal);
  });
  after(() => portal.stop());
  beforeEach(() => {
    emulator.configure({ pageTokens: {}, hugePageAccounts: 0, maxPageSize: 100, accounts: 8 });
    emulator.clearCalls();
    emulator.clearFaults();
  });

  const lines: string[] = [];
  const log: Logger = { trace: (m) => lines.push(m), info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
  function catalog(extra: Partial<ConstructorParameters<typeof AccountCatalog>[0]> = {}) {
    const c = new AccountCatalog({ client: async () => ic, accessToken: async () => accessToken, changeDelayMs: 5, ratePerSec: 500, log, ...extra });
    const failures: IdcError[] = [];
    c.onDidFail((e) => failures.push(e));
    return { c, failures };
  }
  /** Settles the listing (and the role look-ups unless `roles` is false), or fails the test instead of paging forever. */
  async function listed(c: AccountCatalog, ms = 20_000, roles = true): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const guard = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still listing after ${ms} ms`)), ms)));
    try {
      await Promise.race([(async () => (await c.refresh(), roles && (await c.whenIdle())))(), guard]);
    } finally {
      clearTimeout(timer);
      c.dispose();
    }
  }

  test('a nextToken that repeats stops ListAccounts after the repeat, keeping the accounts listed so far', async () => {
    emulator.configure({ pageTokens: { ListAccounts: 'repeat' }, maxPageSize: 3 });
    const { c, failures } = catalog();
    await listed(c);
    const calls = emulator.calls({ operation: 'ListAccounts' }).length;
    assert.equal(calls, 2, 'page 1, then page 2 whose token is its own: stop');
    assert.equal(c.accounts.length, 6);
    assert.equal(failures.length >= 1, true);
    assert.match(failures[0].message, /^Listing accounts stopped: IAM Identity Center sent the same page token twice.*6 accounts listed so far are shown/);
    assert.equal(failures[0].causeName, 'RepeatedPageToken');
    assert.equal(c.listingComplete, false);
  });

  test('a nextToken that never ends stops ListAccounts at the page bound, with a message', async () => {
    emulator.configure({ pageTokens: { ListAccounts: 'endless' }, maxPageSize: 1 });
    const { c, failures } = catalog({ limits: { accounts: { maxPages: 50, maxItems: 20_000 } } });
    await listed(c);
    assert.equal(emulator.calls({ operation: 'ListAccounts' }).length, 50);
    assert.equal(c.accounts.length, 50, 'the 8 real accounts and 42 made-up ones are kept');
    assert.match(failures[0].message, /^Listing accounts stopped after 50 pages: .*50 accounts listed so far are shown/);
  });

  test('with the default bounds, an endless ListAccounts stops at 20,000 accounts', async () => {
    emulator.configure({ pageTokens: { ListAccounts: 'endless' }, accounts: 0 });
    const { c, failures } = catalog({ ratePerSec: 5_000 });
    // Only the account listing is awaited: the role look-ups of 20,000 accounts are cancelled.
    await listed(c, 20_000, false);
    assert.equal(c.accounts.length, 20_000);
    assert.equal(emulator.calls({ operation: 'ListAccounts' }).length, 201, '200 full pages, then one with no room left');
    assert.match(failures[0].message, /stopped at 20000 accounts/);
  });

  test('roles: a repeating token and an endless one both end; roles listed so far are kept, duplicates shown once, one message per refresh', async () => {
    for (const pageTokens of ['repeat', 'endless'] as const) {
      emulator.configure({
        pageTokens: { ListAccountRoles: pageTokens },
        maxPageSize: 2,
        accounts: [{ accountId: '111122223333', accountName: 'Dup', emailAddress: 'd@example.com', roles: ['A', 'A', 'A', 'B'] }],
      });
      emulator.clearCalls();
      const { c, failures } = catalog({ limits: { roles: { maxPages: 100, maxItems: 40 } } });
      await listed(c);
      const state = c.roles('111122223333');
      assert.equal(state.kind, 'loaded');
      const names = state.kind === 'loaded' ? state.roles.map((r) => r.roleName) : [];
      assert.equal(new Set(names).size, names.length, `${pageTokens}: no role shown twice`);
      if (pageTokens === 'repeat') {
        assert.deepEqual(names, ['A', 'B']);
        assert.equal(emulator.calls({ operation: 'ListAccountRoles' }).length, 2);
      } else {
        assert.equal(names.length, 2 + 36, 'A, B and made-up roles up to the 40-item bound (3 duplicates of A collapse)');
        assert.equal(emulator.calls({ operation: 'ListAccountRoles' }).length, 21);
      }
      assert.equal(failures.length, 1);
      assert.match(failures[0].message, /^Listing roles of account 111122223333 stopped/);
    }
  });

  test('duplicate role names from a well-behaved listing are shown once', async () => {
    emulator.configure({
      accounts: [{ accountId: '111122223333', accountName: 'Dup', emailAddress: 'd@example.com', roles: ['ReadOnly', 'ReadOnly', 'ReadOnly', 'Admin'] }],
    });
    const { c, failures } = catalog();
    await listed(c);
    const state = c.roles('111122223333');
    assert.deepEqual(state.kind === 'loaded' && state.roles.map((r) => r.roleName), ['Admin', 'ReadOnly']);
    assert.equal(failures.length, 0);
  });

  test('a body dripped one byte a second ends in a timeout message at the deadline, not when the body ends', async () => {
    emulator.injectFault({ operation: 'ListAccounts', kind: 'drip', count: 1 });
    const { c, failures } = catalog();
    const started = Date.now();
    await listed(c);
    const took = Date.now() - started;
    assert.ok(took >= 1_900 && took < 4_000, `ended after ${took} ms (deadline 2 s)`);
    assert.equal(failures.length, 1);
    assert.match(failures[0].message, /^Listing accounts timed out waiting for IAM Identity Center\. Check your network/);
    assert.equal(failures[0].kind, 'timeout');
  });

  test('one page of 1.2 million accounts is refused while it streams in, without taking the memory', async () => {
    emulator.configure({ hugePageAccounts: 1_200_000 });
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const { c, failures } = catalog();
    const started = Date.now();
    await listed(c);
    clearInterval(sampler);
    const grewMb = (peak - before) / 1024 / 1024;
    assert.ok(grewMb < 150, `memory grew ${grewMb.toFixed(0)} MB`);
    assert.ok(Date.now() - started < 5_000);
    assert.equal(c.accounts.length, 0);
    assert.match(failures[0].message, /^IAM Identity Center sent an answer to ListAccounts larger than 2048 KB/);
    assert.equal(failures[0].causeName, 'ResponseTooLarge');
  });

  test('an error type that echoes the access token reaches neither the message nor the log', async () => {
    emulator.injectFault({ operation: 'ListAccounts', kind: 'echo', count: 1 });
    lines.length = 0;
    const { c, failures } = catalog();
    await listed(c);
    assert.equal(emulator.calls({ operation: 'ListAccounts' })[0].errorType, 'echo');
    assert.equal(failures.length, 1);
    assert.match(failures[0].message, /Listing accounts failed \(UnrecognisedServerError\)/);
    const seen = [failures[0].message, failures[0].causeName, ...lines].join('\n');
    assert.ok(!seen.includes(accessToken), 'the access token is not echoed');
    assert.ok(lines.length > 0);
  });
});
