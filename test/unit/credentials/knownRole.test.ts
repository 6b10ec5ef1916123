// Command arguments name roles; only roles the catalog knows are used, and their names come from
// the catalog (a forged argument cannot relabel a role or reach one the sign-in does not list).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { knownRole } from '../../../src/core/credentials/knownRole';
import type { ChainedRoleDefinition } from '../../../src/core/credentials/chainedRoles';
import type { RoleRef } from '../../../src/core/common/model';

const P1 = 'https://one.awsapps.com/start';
const P2 = 'https://two.awsapps.com/start';
const ROLES: RoleRef[] = [
  { accountId: '111122223333', roleName: 'ReadOnly', portal: P1 },
  { accountId: '111122223333', roleName: 'ReadOnly', portal: P2 },
];
const CHAINED = [
  { name: 'Deploy', roleArn: 'arn:aws:iam::999988887777:role/Deploy', source: { accountId: '111122223333', roleName: 'ReadOnly' } },
] as ChainedRoleDefinition[];
const NAMES: Record<string, string> = { '111122223333': 'Sandbox' };
const lookup = (arg: unknown) => knownRole(arg, ROLES, CHAINED, (id) => NAMES[id]);
const deployVia = (via: unknown, extra: Record<string, unknown> = {}) => ({
  accountId: '999988887777',
  roleName: 'Deploy',
  via,
  chainName: 'Deploy',
  ...extra,
});

describe('knownRole', () => {
  test('a listed role, named from the catalog', () => {
    assert.deepEqual(lookup({ accountId: '111122223333', roleName: 'ReadOnly', portal: P2 }), { ...ROLES[1], accountName: 'Sandbox' });
  });
  test('a tree node role as the argument carries it (account name from the catalog, not the node)', () => {
    assert.equal(lookup({ accountId: '111122223333', roleName: 'ReadOnly', portal: P1, accountName: 'Production (safe!)' })?.accountName, 'Sandbox');
  });
  test('a listed chained role, named by its settings entry', () => {
    assert.deepEqual(lookup(deployVia({ accountId: '111122223333', roleName: 'ReadOnly', portal: P1 })), {
      accountId: '999988887777',
      roleName: 'Deploy',
      via: ROLES[0],
      chainName: 'Deploy',
      accountName: 'Deploy',
    });
  });
  for (const [what, arg] of [
    ['a role the catalog does not list', { accountId: '444455556666', roleName: 'AdministratorAccess' }],
    ['a listed account with another role', { accountId: '111122223333', roleName: 'AdministratorAccess', portal: P1 }],
    ['a listed role of a portal not signed in', { accountId: '111122223333', roleName: 'ReadOnly', portal: 'https://evil.example.com/start' }],
    ['a portal that is not a string', { accountId: '111122223333', roleName: 'ReadOnly', portal: 7 }],
    ['a chained role not in the settings', { ...deployVia({ accountId: '111122223333', roleName: 'ReadOnly', portal: P1 }), chainName: 'Exfiltrate' }],
    ['a chained role from a source not listed', deployVia({ accountId: '444455556666', roleName: 'ReadOnly' })],
    [
      'a chained name pointing at another target',
      deployVia({ accountId: '111122223333', roleName: 'ReadOnly', portal: P1 }, { accountId: '444455556666', roleName: 'Admin' }),
    ],
    ['a string', '111122223333/ReadOnly'],
    ['nothing', undefined],
    ['an array', [ROLES[0]]],
  ] as const) {
    test(`refuses ${what}`, () => assert.equal(lookup(arg), undefined));
  }
});
