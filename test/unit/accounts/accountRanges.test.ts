// Big account lists in ranges: flat up to the limit, ranges of at most maxPerRange in list order,
// and starts that stay put while pages arrive (an expanded range does not jump).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { partitionAccounts, sameAccounts, type AccountRange, type RangeStart } from '../../../src/core/accounts/accountRanges';
import type { Account } from '../../../src/core/common/model';

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
const compare = (a: RangeStart, b: RangeStart): number => collator.compare(a.accountName, b.accountName) || a.accountId.localeCompare(b.accountId);
const account = (n: number, name = `acct-${n}`): Account => ({ accountId: String(100000000000 + n), accountName: name });
const sorted = (accounts: Account[]): Account[] => [...accounts].sort(compare);
const limits = { flatUpTo: 10, maxPerRange: 6 };
const shape = (ranges: AccountRange[] | undefined) =>
  ranges?.map((r) => `${r.accounts[0].accountName}…${r.accounts[r.accounts.length - 1].accountName} (${r.accounts.length})`);
const everyAccount = (ranges: AccountRange[]) => ranges.flatMap((r) => r.accounts);

describe('partitionAccounts', () => {
  const cases: { name: string; count: number; expected: string[] | undefined }[] = [
    { name: 'up to the flat limit: no ranges', count: 10, expected: undefined },
    {
      name: 'one past it: ranges of about half the maximum',
      count: 11,
      expected: ['acct-1…acct-3 (3)', 'acct-4…acct-6 (3)', 'acct-7…acct-9 (3)', 'acct-10…acct-11 (2)'],
    },
    {
      name: 'ranges never exceed the maximum',
      count: 20,
      expected: [
        'acct-1…acct-3 (3)',
        'acct-4…acct-6 (3)',
        'acct-7…acct-9 (3)',
        'acct-10…acct-12 (3)',
        'acct-13…acct-15 (3)',
        'acct-16…acct-18 (3)',
        'acct-19…acct-20 (2)',
      ],
    },
  ];
  for (const c of cases)
    test(c.name, () => {
      const accounts = sorted(Array.from({ length: c.count }, (_, i) => account(i + 1)));
      const ranges = partitionAccounts(accounts, [], compare, limits);
      assert.deepEqual(shape(ranges), c.expected);
      if (ranges) assert.deepEqual(everyAccount(ranges), accounts, 'every account once, in list order');
    });

  test('the default limits: 10,000 accounts in ranges of at most 500, every one of them in order', () => {
    const accounts = sorted(Array.from({ length: 10_000 }, (_, i) => account(i)));
    assert.equal(partitionAccounts(accounts.slice(0, 1_000), [], compare), undefined);
    const ranges = partitionAccounts(accounts, [], compare)!;
    assert.ok(ranges.every((r) => r.accounts.length <= 500 && r.accounts.length > 0));
    assert.deepEqual(everyAccount(ranges), accounts);
    assert.ok(ranges.length <= 40, `${ranges.length} rows at the root`);
  });

  test('while pages arrive in any order, a range keeps its start; a full one splits, keeping its start for its first part', () => {
    // 60 accounts arriving 6 at a time in an order unrelated to their names (as Identity Center pages do).
    const all = Array.from({ length: 60 }, (_, i) => account((i * 37) % 60));
    let listed: Account[] = [];
    let starts: RangeStart[] = [];
    for (let page = 0; page < 10; page++) {
      listed = sorted([...listed, ...all.slice(page * 6, page * 6 + 6)]);
      const ranges = partitionAccounts(listed, starts, compare, limits);
      if (!ranges) continue;
      assert.deepEqual(everyAccount(ranges), listed);
      assert.ok(ranges.every((r) => r.accounts.length <= limits.maxPerRange));
      const ids = ranges.map((r) => r.start.accountId);
      // Every start of the last partition is still a start (no account was removed).
      for (const s of starts) assert.ok(ids.includes(s.accountId), `range starting at ${s.accountName} kept`);
      // Each account is in the range of the last start at or before it (the first range takes those before any).
      ranges.forEach((r, i) => {
        for (const x of r.accounts) {
          if (i > 0) assert.ok(compare(x, r.start) >= 0, `${x.accountName} after the start of its range`);
          if (i + 1 < ranges.length) assert.ok(compare(x, ranges[i + 1].start) < 0, `${x.accountName} before the next range's start`);
        }
      });
      starts = ranges.map((r) => r.start);
    }
  });

  test('accounts sorting before the first start join the first range, which keeps its id', () => {
    const first = sorted(Array.from({ length: 12 }, (_, i) => account(i + 10, `m-${i + 10}`)));
    const ranges = partitionAccounts(first, [], compare, limits)!;
    const next = partitionAccounts(
      sorted([...first, account(1, 'a-early')]),
      ranges.map((r) => r.start),
      compare,
      limits,
    )!;
    assert.equal(next[0].start.accountId, ranges[0].start.accountId);
    assert.equal(next[0].accounts[0].accountName, 'a-early');
  });

  test('a range whose accounts are all gone disappears; the others keep their starts', () => {
    const accounts = sorted(Array.from({ length: 12 }, (_, i) => account(i + 1)));
    const ranges = partitionAccounts(accounts, [], compare, limits)!;
    const gone = new Set(ranges[1].accounts.map((a) => a.accountId));
    const after = partitionAccounts(
      accounts
        .filter((a) => !gone.has(a.accountId))
        .concat(account(50), account(51))
        .sort(compare),
      ranges.map((r) => r.start),
      compare,
      limits,
    )!;
    assert.deepEqual(
      after.map((r) => r.start.accountId),
      ranges.filter((_, i) => i !== 1).map((r) => r.start.accountId),
    );
  });

  test('non-ASCII names: ranges follow the collator (accents, other scripts), with no account lost', () => {
    const names = ['Émile', 'zeta', 'Ålesund', 'Ärzte', 'Ωmega', '東京', 'Zürich', 'éclair', 'ärger', 'alpha', 'Ømega', 'ßtraße', 'İstanbul', 'ıspanak'];
    const accounts = sorted(names.map((n, i) => account(i, n)));
    const ranges = partitionAccounts(accounts, [], compare, limits)!;
    assert.deepEqual(everyAccount(ranges), accounts);
    for (let i = 1; i < ranges.length; i++) assert.ok(compare(ranges[i - 1].accounts.at(-1)!, ranges[i].accounts[0]) < 0, 'ranges in list order');
  });

  test('several portals: each list is partitioned on its own, same names in two portals do not mix', () => {
    const portalA = sorted(Array.from({ length: 12 }, (_, i) => account(i, `shared-${i}`)));
    const portalB = sorted(Array.from({ length: 12 }, (_, i) => account(i + 100, `shared-${i}`)));
    const a = partitionAccounts(portalA, [], compare, limits)!;
    const b = partitionAccounts(portalB, [], compare, limits)!;
    assert.deepEqual(everyAccount(a), portalA);
    assert.deepEqual(everyAccount(b), portalB);
    assert.ok(a.every((r) => r.accounts.every((x) => Number(x.accountId) < 100000000100)));
  });

  test('sameAccounts compares ids and names in order', () => {
    assert.ok(sameAccounts([account(1)], [account(1)]));
    assert.ok(!sameAccounts([account(1)], [account(1, 'renamed')]));
    assert.ok(!sameAccounts([account(1), account(2)], [account(2), account(1)]));
  });
});
