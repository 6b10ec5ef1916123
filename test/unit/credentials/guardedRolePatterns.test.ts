// Table tests of which roles awsIdc.guardedRoles guards.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_GUARDED_ROLES, guardedRolePatterns, guardingPattern, type GuardedRoleFacts } from '../../../src/core/credentials/guardedRolePatterns';

const prodAdmin: GuardedRoleFacts = { accountId: '111122223333', accountName: 'Production', roleName: 'AdministratorAccess' };
const prodRead: GuardedRoleFacts = { accountId: '111122223333', accountName: 'Production', roleName: 'ReadOnly' };
const s3Full: GuardedRoleFacts = { accountId: '444455556666', accountName: 'Data Lake', roleName: 'AmazonS3FullAccess' };
const slashName: GuardedRoleFacts = { accountId: '777788889999', accountName: 'Team A/B', roleName: 'Deployer' };
const chained: GuardedRoleFacts = { accountId: '999900001111', roleName: 'deploy-role', chainName: 'Prod deploy' };

describe('guardingPattern', () => {
  const cases: [string, readonly string[], GuardedRoleFacts, string | undefined][] = [
    ['default guards AdministratorAccess', DEFAULT_GUARDED_ROLES, prodAdmin, '*/AdministratorAccess'],
    ['default guards *FullAccess*', DEFAULT_GUARDED_ROLES, s3Full, '*/*FullAccess*'],
    ['default leaves ReadOnly alone', DEFAULT_GUARDED_ROLES, prodRead, undefined],
    ['[] guards nothing', [], prodAdmin, undefined],
    ['account by name', ['Production/*'], prodRead, 'Production/*'],
    ['account by id', ['111122223333/ReadOnly'], prodRead, '111122223333/ReadOnly'],
    ['case is ignored (account and role)', ['production/readonly'], prodRead, 'production/readonly'],
    ['wildcard inside the account name', ['Prod*/ReadOnly'], prodRead, 'Prod*/ReadOnly'],
    ['another account is not matched', ['Staging/*'], prodRead, undefined],
    ['a partial name is not a match without *', ['Prod/ReadOnly'], prodRead, undefined],
    ['regex characters are literal', ['Prod.ction/*'], prodRead, undefined],
    ['an account name with a slash: the role is after the last one', ['Team A/B/Deployer'], slashName, 'Team A/B/Deployer'],
    ['a chained role by its settings name', ['*/Prod deploy'], chained, '*/Prod deploy'],
    ['a chained role by its target role', ['999900001111/deploy-*'], chained, '999900001111/deploy-*'],
    ['the first matching pattern is the reason', ['*/ReadOnly', 'Production/*'], prodRead, '*/ReadOnly'],
  ];
  for (const [name, patterns, role, expected] of cases) test(name, () => assert.equal(guardingPattern(patterns, role), expected));
});

describe('guardedRolePatterns (the setting value)', () => {
  const cases: [string, unknown, string[]][] = [
    ['unset: the default', undefined, [...DEFAULT_GUARDED_ROLES]],
    ['not a list: the default (never nothing by mistake)', 'AdministratorAccess', [...DEFAULT_GUARDED_ROLES]],
    ['[] turns it off', [], []],
    ['trimmed, empties and non-strings dropped', [' Prod/* ', '', 3, null], ['Prod/*']],
    ['a bare role name means any account', ['PowerUser'], ['*/PowerUser']],
  ];
  for (const [name, value, expected] of cases) test(name, () => assert.deepEqual(guardedRolePatterns(value), expected));
});
