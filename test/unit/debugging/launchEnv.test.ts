// The pure decisions behind debug-session credentials: which role a configuration asks for, what
// it sets itself, and where our variables go for each debugger's shape.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChainedRoleDefinition } from '../../../src/core/credentials/chainedRoles';
import { explicitAwsNames, findLaunchRole, parseLaunchRole, planLaunch, withLaunchVariables } from '../../../src/core/debugging/launchEnv';
import { endpointVariables } from '../../../src/core/terminals/terminalEnv';
import { TERMINAL_PROFILE } from '../../../src/core/awsFiles/terminalProfile';

const ROLES = [
  { accountId: '111122223333', roleName: 'ReadOnly' },
  { accountId: '111122223333', roleName: 'Admin' },
];
const CHAINED = [
  { name: 'Deploy', roleArn: 'arn:aws:iam::999988887777:role/Deploy', source: { accountId: '111122223333', roleName: 'Admin' } },
  { name: 'Orphan', roleArn: 'arn:aws:iam::999988887777:role/Orphan', source: { accountId: '444455556666', roleName: 'Gone' } },
] as ChainedRoleDefinition[];
const OURS = {
  AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:1/x',
  AWS_CONTAINER_AUTHORIZATION_TOKEN: 't',
  AWS_ACCESS_KEY_ID: '',
  AWS_REGION: 'eu-west-1',
};

describe('parseLaunchRole', () => {
  for (const [what, raw, expected] of [
    ['absent', undefined, { ok: true }],
    ['account and role', { accountId: '111122223333', roleName: ' ReadOnly ' }, { ok: true, request: { accountId: '111122223333', roleName: 'ReadOnly' } }],
    ['a chained role name', { name: 'Deploy' }, { ok: true, request: { name: 'Deploy' } }],
  ] as const) {
    test(what, () => assert.deepEqual(parseLaunchRole(raw), expected));
  }
  for (const [what, raw] of [
    ['a string', 'ReadOnly'],
    ['an array', []],
    ['a short account id', { accountId: '1234', roleName: 'R' }],
    ['no role name', { accountId: '111122223333' }],
    ['an empty name', { name: ' ' }],
  ] as const) {
    test(`refuses ${what} with a message that says what it needs`, () => {
      const r = parseLaunchRole(raw);
      assert.equal(r.ok, false);
      assert.match(!r.ok ? r.error : '', /accountId|object/);
    });
  }
});

describe('findLaunchRole', () => {
  test('a portal role', () => assert.deepEqual(findLaunchRole({ accountId: '111122223333', roleName: 'Admin' }, ROLES, CHAINED), ROLES[1]));
  test('a role the sign-in does not have', () => assert.equal(findLaunchRole({ accountId: '111122223333', roleName: 'Billing' }, ROLES, CHAINED), undefined));
  test('a chained role whose source role is available', () => {
    const r = findLaunchRole({ name: 'Deploy' }, ROLES, CHAINED);
    assert.deepEqual(r, { accountId: '999988887777', roleName: 'Deploy', via: { accountId: '111122223333', roleName: 'Admin' }, chainName: 'Deploy' });
  });
  test('a chained role whose source role is not available', () => assert.equal(findLaunchRole({ name: 'Orphan' }, ROLES, CHAINED), undefined));
  test('an unknown chained role', () => assert.equal(findLaunchRole({ name: 'Nope' }, ROLES, CHAINED), undefined));
});

describe('explicitAwsNames', () => {
  test('from env, an environment list and an envFile', () => {
    const names = explicitAwsNames(
      {
        env: { AWS_REGION: 'x', OTHER: '1' },
        environment: [
          { name: 'AWS_PROFILE', value: 'p' },
          { name: 'PATH', value: '' },
        ],
      },
      '# comment\nexport AWS_ACCESS_KEY_ID=AKIA\nAWS_SECRET_ACCESS_KEY = s\nNOT_AWS=1\n',
    );
    assert.deepEqual(names, ['AWS_ACCESS_KEY_ID', 'AWS_PROFILE', 'AWS_REGION', 'AWS_SECRET_ACCESS_KEY']);
  });
  test('nothing set', () => assert.deepEqual(explicitAwsNames({ env: 'not an object' }), []));
});

describe('planLaunch', () => {
  test('nothing explicit: all of ours', () => assert.deepEqual(planLaunch(OURS, []), { vars: OURS, kept: [], credentials: true }));
  test('an explicit region wins, credentials still added', () => {
    const plan = planLaunch(OURS, ['AWS_REGION']);
    assert.equal(plan.credentials, true);
    assert.equal('AWS_REGION' in plan.vars, false);
    assert.deepEqual(plan.kept, ['AWS_REGION']);
  });
  for (const chooser of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_CONTAINER_CREDENTIALS_FULL_URI']) {
    test(`an explicit ${chooser}: no credential variable of ours, only the region`, () => {
      const plan = planLaunch(OURS, [chooser]);
      assert.deepEqual(plan, { vars: { AWS_REGION: 'eu-west-1' }, kept: [chooser], credentials: false });
    });
  }
});

describe('planLaunch with the terminal profile (issue 23)', () => {
  const withProfile = endpointVariables({ url: 'http://127.0.0.1:1/p', token: 't' }, 'eu-west-1', {}, { profile: TERMINAL_PROFILE });
  test('a debug session gets the same profile selection as a terminal', () => {
    const plan = planLaunch(withProfile, []);
    assert.equal(plan.vars.AWS_PROFILE, 'awsidc-terminal');
    assert.equal(plan.vars.AWS_CONTAINER_CREDENTIALS_FULL_URI, 'http://127.0.0.1:1/p');
    assert.equal(plan.credentials, true);
  });
  test('a configuration with its own AWS_CONFIG_FILE gets the endpoint but not our profile (it is not in that file)', () => {
    const plan = planLaunch(withProfile, ['AWS_CONFIG_FILE']);
    assert.equal(plan.credentials, true);
    assert.equal(plan.vars.AWS_PROFILE, undefined);
    assert.equal(plan.vars.AWS_CONTAINER_CREDENTIALS_FULL_URI, 'http://127.0.0.1:1/p');
  });
  for (const chooser of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ACCESS_KEY_ID']) {
    test(`a configuration that sets ${chooser} keeps its own choice: no AWS_PROFILE of ours`, () => {
      const plan = planLaunch(withProfile, [chooser]);
      assert.equal(plan.vars.AWS_PROFILE, undefined);
      assert.equal(plan.credentials, false);
      assert.deepEqual(Object.keys(plan.vars).sort(), ['AWS_DEFAULT_REGION', 'AWS_REGION']);
    });
  }
});

describe('withLaunchVariables', () => {
  test('an env object keeps its entries', () =>
    assert.deepEqual(withLaunchVariables({ type: 'node', env: { A: '1' } }, { AWS_REGION: 'r' }), { type: 'node', env: { A: '1', AWS_REGION: 'r' } }));
  test('no env yet', () => assert.deepEqual(withLaunchVariables({ type: 'node' }, { AWS_REGION: 'r' }), { type: 'node', env: { AWS_REGION: 'r' } }));
  test('a { name, value } list (cppdbg)', () =>
    assert.deepEqual(withLaunchVariables({ type: 'cppdbg', environment: [{ name: 'A', value: '1' }] }, { AWS_REGION: 'r' }), {
      type: 'cppdbg',
      environment: [
        { name: 'A', value: '1' },
        { name: 'AWS_REGION', value: 'r' },
      ],
    }));
  test("the configuration's own NO_PROXY entries stay, with the endpoint's address added", () => {
    const ours = { AWS_REGION: 'r', NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' };
    assert.deepEqual(withLaunchVariables({ type: 'node', env: { NO_PROXY: 'corp.example' } }, ours).env, {
      NO_PROXY: 'corp.example,127.0.0.1',
      no_proxy: 'corp.example,127.0.0.1',
      AWS_REGION: 'r',
    });
    assert.deepEqual(
      withLaunchVariables(
        {
          type: 'cppdbg',
          environment: [
            { name: 'no_proxy', value: 'x' },
            { name: 'A', value: '1' },
          ],
        },
        ours,
      ).environment,
      [
        { name: 'A', value: '1' },
        { name: 'AWS_REGION', value: 'r' },
        { name: 'NO_PROXY', value: 'x,127.0.0.1' },
        { name: 'no_proxy', value: 'x,127.0.0.1' },
      ],
    );
  });
  test('nothing to add: the same object', () => {
    const config = { type: 'node' };
    assert.equal(withLaunchVariables(config, {}), config);
  });
});
