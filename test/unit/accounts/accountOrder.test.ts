import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { orderAccounts } from '../../../src/core/accounts/accountOrder';
import type { Account } from '../../../src/core/common/model';

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
const compare = (a: Account, b: Account): number => collator.compare(a.accountName, b.accountName) || a.accountId.localeCompare(b.accountId);
const account = (id: number, name: string): Account => ({ accountId: String(id).padStart(12, '0'), accountName: name });
const names = (list: Account[]): string[] => list.map((a) => `${a.accountName}#${Number(a.accountId)}`);
const sorted = (list: Account[]): Account[] => [...list].sort(compare);

describe('orderAccounts (the tree order, kept while pages arrive)', () => {
  // Deterministic shuffled names, with ties and numbers so the collator's numeric order matters.
  const pool = Array.from({ length: 600 }, (_, i) => account(i, `${['Sandbox', 'Prod', 'Älv', 'dev'][(i * 7) % 4]} ${(i * 37) % 250}`));

  it('pages that only add accounts are merged into the known order, equal to a full sort', () => {
    let order: Account[] | undefined;
    for (let end = 100; end <= pool.length; end += 100) {
      order = orderAccounts(order, pool.slice(0, end), compare);
      assert.deepStrictEqual(names(order), names(sorted(pool.slice(0, end))));
    }
  });

  it('the newest objects are returned (a changed e-mail shows), in the old places', () => {
    const first = orderAccounts(undefined, pool.slice(0, 50), compare);
    const again = pool.slice(0, 50).map((a) => ({ ...a, emailAddress: 'new@example.com' }));
    const order = orderAccounts(first, again, compare);
    assert.ok(order.every((a) => a.emailAddress === 'new@example.com'));
    assert.deepStrictEqual(names(order), names(first));
  });

  const cases: { name: string; change: (list: Account[]) => Account[] }[] = [
    { name: 'an account gone', change: (list) => list.slice(1) },
    { name: 'an account renamed', change: (list) => list.map((a, i) => (i === 3 ? { ...a, accountName: 'AAA first' } : a)) },
    { name: 'an account listed twice', change: (list) => [...list, list[0]] },
  ];
  for (const c of cases)
    it(`${c.name}: sorted again in full`, () => {
      const first = orderAccounts(undefined, pool.slice(0, 80), compare);
      const next = c.change(pool.slice(0, 80));
      assert.deepStrictEqual(names(orderAccounts(first, next, compare)), names(sorted(next)));
    });

  it('no previous order: a plain sort that leaves its input alone', () => {
    const input = pool.slice(0, 30);
    const copy = [...input];
    assert.deepStrictEqual(names(orderAccounts(undefined, input, compare)), names(sorted(input)));
    assert.deepStrictEqual(input, copy);
  });
});
