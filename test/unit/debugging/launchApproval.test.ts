// Which launch configurations get the role they name without asking: the active role, or one this
// workspace was allowed before. Anything else is the user's decision (asked in the adapter).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { approvalKey, decideLaunchRole, MAX_APPROVALS, withApproval } from '../../../src/core/debugging/launchApproval';
import type { RoleRef } from '../../../src/core/common/model';

const PORTAL = 'https://example.awsapps.com/start';
const readOnly: RoleRef = { accountId: '111122223333', roleName: 'ReadOnly', portal: PORTAL };
const admin: RoleRef = { accountId: '444455556666', roleName: 'AdministratorAccess', portal: PORTAL };
const deploy: RoleRef = { accountId: '999988887777', roleName: 'Deploy', via: readOnly, chainName: 'Deploy' };
const otherPortal: RoleRef = { ...readOnly, portal: 'https://other.awsapps.com/start' };
const WS = 'file:///home/me/project';
const OTHER_WS = 'file:///home/me/cloned';

describe('decideLaunchRole', () => {
  const rows: [string, RoleRef, RoleRef | undefined, string[], string][] = [
    ['the active role itself', readOnly, readOnly, [], 'use'],
    ['a more powerful role, never allowed', admin, readOnly, [], 'ask'],
    ['a role while no role is active', admin, undefined, [], 'ask'],
    ['a role this workspace allowed before', admin, readOnly, [approvalKey(WS, admin)], 'use'],
    ['a role another workspace allowed', admin, readOnly, [approvalKey(OTHER_WS, admin)], 'ask'],
    ['another role allowed here, not this one', admin, readOnly, [approvalKey(WS, readOnly)], 'ask'],
    ['a chained role, never allowed', deploy, readOnly, [], 'ask'],
    ['a chained role allowed here', deploy, readOnly, [approvalKey(WS, deploy)], 'use'],
    ['the chained role while its source is active', deploy, readOnly, [approvalKey(WS, readOnly)], 'ask'],
    ['the same account and role of another portal', otherPortal, readOnly, [], 'ask'],
    ['stored junk does not allow anything', admin, readOnly, [42 as unknown as string, `${WS}\n`], 'ask'],
  ];
  for (const [what, requested, active, approved, expected] of rows) {
    test(what, () => assert.equal(decideLaunchRole({ requested, active, workspace: WS, approved }).kind, expected));
  }

  test('the key to remember names the workspace and the role', () => {
    assert.deepEqual(decideLaunchRole({ requested: admin, active: readOnly, workspace: WS, approved: [] }), { kind: 'ask', key: approvalKey(WS, admin) });
    assert.notEqual(approvalKey(WS, admin), approvalKey(OTHER_WS, admin));
    assert.notEqual(approvalKey(WS, admin), approvalKey(WS, deploy));
  });
});

describe('withApproval', () => {
  test('adds once, newest last, drops what is not a key', () => {
    assert.deepEqual(withApproval(['a', 7, 'b'], 'a'), ['b', 'a']);
  });
  test(`keeps at most ${MAX_APPROVALS}`, () => {
    const many = Array.from({ length: MAX_APPROVALS + 5 }, (_, i) => `k${i}`);
    const out = withApproval(many, 'new');
    assert.equal(out.length, MAX_APPROVALS);
    assert.equal(out.at(-1), 'new');
    assert.ok(!out.includes('k0'));
  });
});
