// The awsIdc.chainedRoles settings parser and the role references it yields (table tests).
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { defaultSessionName } from '../../../src/core/credentials/assumeRole';
import { chainedRoleDefinition, chainedRoleRef, chainedRolesFrom, parseChainedRoles } from '../../../src/core/credentials/chainedRoles';
import { RoleRef, roleKey } from '../../../src/core/common/model';
import { TARGET, SRC, good } from '../../support/chainedRoleFixtures';

describe('parseChainedRoles', () => {
  test('a full entry is kept, trimmed, with every field', () => {
    const full = good({
      name: ' deploy ',
      roleArn: ` ${TARGET} `,
      externalId: 'ext:Team/42=ok',
      mfaSerial: 'arn:aws:iam::111122223333:mfa/alice',
      durationSeconds: 3600,
      sourceIdentity: 'alice@example.com',
      roleSessionName: 'alice-deploy',
      region: 'eu-west-1',
    });
    const { roles, problems } = parseChainedRoles([full]);
    assert.deepEqual(problems, []);
    assert.deepEqual(roles, [
      {
        name: 'deploy',
        roleArn: TARGET,
        source: SRC,
        externalId: 'ext:Team/42=ok',
        mfaSerial: 'arn:aws:iam::111122223333:mfa/alice',
        durationSeconds: 3600,
        sourceIdentity: 'alice@example.com',
        roleSessionName: 'alice-deploy',
        region: 'eu-west-1',
      },
    ]);
  });

  test('minimal entries, other partitions, hardware MFA serials, empty optional strings', () => {
    const { roles, problems } = parseChainedRoles([
      good({ externalId: '', region: null }),
      good({ name: 'cn', roleArn: 'arn:aws-cn:iam::123456789012:role/R', region: 'cn-north-1', mfaSerial: 'GAHT12345678' }),
      good({ name: 'gov', roleArn: 'arn:aws-us-gov:iam::123456789012:role/R', durationSeconds: 900 }),
    ]);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      roles.map((r) => r.name),
      ['deploy', 'cn', 'gov'],
    );
    assert.equal(roles[0].externalId, undefined);
  });

  test('nothing configured is no problem; a non-list is one problem', () => {
    for (const raw of [undefined, null, []]) assert.deepEqual(parseChainedRoles(raw), { roles: [], problems: [] });
    for (const raw of [{}, 'arn:aws:iam::222233334444:role/R', 42, true]) {
      const { roles, problems } = parseChainedRoles(raw);
      assert.deepEqual(roles, []);
      assert.equal(problems.length, 1);
      assert.match(problems[0], /awsIdc\.chainedRoles must be a list/);
    }
  });

  // Each bad entry is skipped with one message naming the entry and the field to fix.
  const bad: [string, unknown, RegExp][] = [
    ['not an object', 'deploy', /entry 2 was skipped: it must be an object/],
    ['null entry', null, /entry 2 was skipped: it must be an object/],
    ['array entry', [good()], /entry 2 was skipped: it must be an object/],
    ['no name', good({ name: undefined }), /add a "name"/],
    ['blank name', good({ name: '  ' }), /add a "name"/],
    ['numeric name', good({ name: 7 }), /add a "name"/],
    ['long name', good({ name: 'n'.repeat(65) }), /"name" must be at most 64/],
    ['no roleArn', good({ roleArn: undefined }), /"roleArn" must be a role ARN/],
    ['user ARN', good({ roleArn: 'arn:aws:iam::222233334444:user/bob' }), /"roleArn" must be a role ARN/],
    ['iso partition', good({ roleArn: 'arn:aws-iso:iam::222233334444:role/R' }), /"roleArn" must be a role ARN/],
    ['11-digit account', good({ roleArn: 'arn:aws:iam::22223333444:role/R' }), /"roleArn"/],
    ['bad role chars', good({ roleArn: 'arn:aws:iam::222233334444:role/Bad Name' }), /"roleArn"/],
    ['no source', good({ source: undefined }), /add "source"/],
    ['source as string', good({ source: 'AdministratorAccess' }), /add "source"/],
    ['numeric account id', good({ source: { accountId: 111122223333, roleName: 'R' } }), /"source\.accountId" must be a string in quotes/],
    ['account id with dashes', good({ source: { accountId: '1111-2222-3333', roleName: 'R' } }), /12-digit account id, without dashes/],
    ['no source role', good({ source: { accountId: SRC.accountId } }), /"source\.roleName"/],
    ['externalId too short', good({ externalId: 'x' }), /"externalId" must be 2 to 1224/],
    ['externalId too long', good({ externalId: 'x'.repeat(1225) }), /"externalId" must be 2 to 1224/],
    ['externalId with space', good({ externalId: 'a b' }), /"externalId"/],
    ['externalId a number', good({ externalId: 12345 }), /"externalId" must be a string/],
    ['mfaSerial not an ARN', good({ mfaSerial: 'arn:aws:iam::111122223333:user/alice' }), /"mfaSerial" must be your MFA device ARN/],
    ['mfaSerial too short', good({ mfaSerial: 'ABC' }), /"mfaSerial"/],
    [
      'duration over an hour',
      good({ durationSeconds: 7200 }),
      /"durationSeconds" must be a whole number from 900 to 3600: AWS limits a role assumed from another role to one hour/,
    ],
    ['duration 3601', good({ durationSeconds: 3601 }), /"durationSeconds"/],
    ['duration under 900', good({ durationSeconds: 899 }), /"durationSeconds"/],
    ['duration fraction', good({ durationSeconds: 1000.5 }), /"durationSeconds"/],
    ['duration as string', good({ durationSeconds: '900' }), /"durationSeconds"/],
    ['sourceIdentity too short', good({ sourceIdentity: 'a' }), /"sourceIdentity" must be 2 to 64/],
    ['sourceIdentity with colon', good({ sourceIdentity: 'aws:alice' }), /"sourceIdentity"/],
    ['roleSessionName too long', good({ roleSessionName: 's'.repeat(65) }), /"roleSessionName" must be 2 to 64/],
    ['roleSessionName with slash', good({ roleSessionName: 'a/b' }), /"roleSessionName"/],
    ['not a region', good({ region: 'europe' }), /"region": "europe" is not an AWS region/],
    ['region of another partition', good({ region: 'cn-north-1' }), /"region" cn-north-1 is not in the aws partition/],
    ['duplicate name (any case)', good({ name: 'OK' }), /the name "OK" is already used by entry 1/],
  ];
  for (const [what, entry, message] of bad) {
    test(`skips an entry with ${what}`, () => {
      const { roles, problems } = parseChainedRoles([good({ name: 'ok' }), entry]);
      assert.deepEqual(
        roles.map((r) => r.name),
        ['ok'],
        'the good entry is kept, the bad one skipped',
      );
      assert.equal(problems.length, 1, problems.join('\n'));
      assert.match(problems[0], /^awsIdc\.chainedRoles entry 2\b/);
      assert.match(problems[0], message);
    });
  }

  test('several mistakes in one entry are one message; unknown keys keep the entry with a note', () => {
    const many = parseChainedRoles([good({ roleArn: 'nope', durationSeconds: 1 })]);
    assert.equal(many.problems.length, 1);
    assert.match(many.problems[0], /"roleArn".*; "durationSeconds"/);
    const typo = parseChainedRoles([good({ externalID: 'abc' })]);
    assert.equal(typo.roles.length, 1);
    assert.match(typo.problems[0], /entry 1 \("deploy"\): ignored unknown key "externalID" \(check the spelling\)/);
  });

  test('refs for the tree: account and name from the ARN, under their source role, with distinct keys', () => {
    const { roles } = parseChainedRoles([
      good(),
      good({ name: 'audit', roleArn: 'arn:aws:iam::555566667777:role/Auditor' }),
      good({ name: 'elsewhere', source: { accountId: '999988887777', roleName: 'ReadOnly' } }),
    ]);
    const source: RoleRef = { ...SRC };
    const refs = chainedRolesFrom(roles, source);
    assert.deepEqual(refs, [
      { accountId: '222233334444', roleName: 'Deployer', via: SRC, chainName: 'deploy' },
      { accountId: '555566667777', roleName: 'Auditor', via: SRC, chainName: 'audit' },
    ]);
    assert.deepEqual(chainedRoleRef(roles[0]), refs[0]);
    // IAM role names ignore case; the ref takes the portal's spelling so keys match the tree.
    assert.deepEqual(chainedRolesFrom(roles, { accountId: SRC.accountId, roleName: 'administratoraccess' })[0].via, {
      accountId: SRC.accountId,
      roleName: 'administratoraccess',
    });
    assert.deepEqual(chainedRolesFrom(roles, refs[0]), [], 'no chains from chained roles');
    const keys = new Set([roleKey(source), ...refs.map(roleKey), roleKey({ accountId: '222233334444', roleName: 'Deployer' })]);
    assert.equal(keys.size, 4);
    assert.equal(chainedRoleDefinition(roles, refs[1])?.name, 'audit');
    assert.equal(chainedRoleDefinition(roles, { ...refs[1], chainName: 'gone' }), undefined);
    assert.equal(chainedRoleDefinition(roles, source), undefined);
  });

  test('default session names use AWS characters only, 2 to 64 long', () => {
    const src = { accountId: SRC.accountId, roleName: 'Admin Access/x' };
    assert.equal(defaultSessionName(undefined, src), 'awsidc-Admin-Access-x');
    assert.equal(defaultSessionName('alice@example.com', src), 'alice@example.com');
    assert.equal(defaultSessionName('Ålice Smith', src), '-lice-Smith');
    assert.equal(defaultSessionName('x', src), 'awsidc-Admin-Access-x');
    assert.equal(defaultSessionName('y'.repeat(80), src).length, 64);
    assert.equal(defaultSessionName(undefined, { ...src, roleName: 'R'.repeat(80) }).length, 64);
  });
});
