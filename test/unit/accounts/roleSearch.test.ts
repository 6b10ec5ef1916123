// Switch Role type-ahead: which accounts a typed text asks to look up now (table tests).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { accountQuery, accountsToLookUp, matchRank, MAX_PER_QUERY } from '../../../src/core/accounts/roleSearch';
import type { RolesState } from '../../../src/core/accounts/roleQueue';
import type { Account } from '../../../src/core/common/model';

const acct = (accountId: string, accountName: string): Account => ({ accountId, accountName });
const accounts = [
  acct('111111111111', 'Sandbox'),
  acct('222222222222', 'Sandbox Data'),
  acct('333333333333', 'payments-sandbox'),
  acct('444444444444', 'Production'),
  acct('555555555555', 'Team Sandboxes'),
];

describe('roleSearch', () => {
  test('accountQuery: the part before the slash, trimmed, lower case', () => {
    for (const [typed, want] of [
      ['Sandbox', 'sandbox'],
      ['  Sandbox   Data / Admin', 'sandbox data'],
      ['/ReadOnly', ''],
      ['1111', '1111'],
    ])
      assert.equal(accountQuery(typed), want, typed);
  });

  test('matchRank: exact, prefix, word start, substring, none', () => {
    const table: [Account, string, number][] = [
      [accounts[0], 'sandbox', 0],
      [accounts[0], '111111111111', 0],
      [accounts[1], 'sandbox', 1],
      [accounts[0], '1111', 1],
      [accounts[2], 'sandbox', 2],
      [accounts[4], 'sandbox', 2],
      [accounts[3], 'duct', 3],
      [accounts[3], 'sandbox', -1],
      [accounts[3], '', -1],
    ];
    for (const [a, q, want] of table) assert.equal(matchRank(a, q), want, `${a.accountName} / ${q}`);
  });

  test('accountsToLookUp: matches whose roles are not loaded (unknown, queued, failed), best first, capped', () => {
    const states: Record<string, RolesState> = {
      '222222222222': { kind: 'loaded', roles: [] },
      '555555555555': { kind: 'loading' },
      '333333333333': { kind: 'error', message: 'throttled' },
    };
    const stateOf = (id: string): RolesState => states[id] ?? { kind: 'unknown' };
    assert.deepEqual(accountsToLookUp('Sandbox', accounts, stateOf), ['111111111111', '333333333333', '555555555555']);
    assert.deepEqual(accountsToLookUp('sandbox / Admin', accounts, stateOf, 1), ['111111111111'], 'too many matches: the exact one only');
    assert.deepEqual(accountsToLookUp('sandb', accounts, stateOf, 2), [], 'too many matches and none exact: nothing yet');
    assert.deepEqual(accountsToLookUp('4444', accounts, stateOf), ['444444444444']);
    assert.deepEqual(accountsToLookUp('s', accounts, stateOf), [], 'one character names too many');
    assert.deepEqual(accountsToLookUp('/ReadOnly', accounts, stateOf), [], 'a role name alone names no account');
    assert.deepEqual(accountsToLookUp('nothing', accounts, stateOf), []);
  });

  test('a big organisation: a prefix of many names asks nothing; the typed name asks for its account(s)', () => {
    const many = Array.from({ length: 2000 }, (_, i) => acct(String(100000000000 + i), `team-${String(i).padStart(4, '0')}`));
    const unknown = (): RolesState => ({ kind: 'unknown' });
    assert.deepEqual(accountsToLookUp('team-1', many, unknown), []);
    assert.deepEqual(accountsToLookUp('team-1234', many, unknown), ['100000001234']);
    assert.deepEqual(accountsToLookUp('team-123', many, unknown), [], 'team-1230…1239: ten, none of them exact');
    const few = many.slice(0, 1005); // team-1000 … team-1004 start with team-100, and nothing else does
    assert.deepEqual(accountsToLookUp('team-100', few, unknown).length, 5);
    assert.ok(MAX_PER_QUERY >= 5);
  });
});
