// Table tests of what integrated terminals receive in each mode.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  BOUND_SHELL_SCRIPT,
  endpointVariables,
  environmentOverrides,
  envVariables,
  exportLines,
  mergeNoProxy,
  noProxyVariables,
  replacedProfileNames,
} from '../../../src/core/terminals/terminalEnv';
import { TERMINAL_PROFILE } from '../../../src/core/awsFiles/terminalProfile';
import { execFileSync } from 'node:child_process';

describe('terminal variables', () => {
  const creds = {
    accountId: '1',
    roleName: 'R',
    accessKeyId: 'ASIAEXAMPLE',
    secretAccessKey: "se'cret",
    sessionToken: 'tok',
    expiration: Date.UTC(2026, 0, 1),
  };
  test('endpoint mode: URL, token, region, and blanks for variables that would win (never AWS_PROFILE, which the CLI rejects blank)', () => {
    const v = endpointVariables({ url: 'http://127.0.0.1:1/x', token: 't' }, 'eu-west-1');
    assert.equal(v.AWS_CONTAINER_CREDENTIALS_FULL_URI, 'http://127.0.0.1:1/x');
    assert.equal(v.AWS_CONTAINER_AUTHORIZATION_TOKEN, 't');
    assert.equal(v.AWS_REGION, 'eu-west-1');
    assert.equal(v.AWS_DEFAULT_REGION, 'eu-west-1');
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) assert.equal(v[k], '');
    assert.equal(v.AWS_PROFILE, undefined);
  });
  test('endpoint mode: 127.0.0.1 joins NO_PROXY and no_proxy, keeping what the user had in either', () => {
    const table: [NodeJS.ProcessEnv, string][] = [
      [{}, '127.0.0.1'],
      [{ NO_PROXY: '' }, '127.0.0.1'],
      [{ NO_PROXY: 'corp.example,.internal' }, 'corp.example,.internal,127.0.0.1'],
      [{ no_proxy: 'localhost' }, 'localhost,127.0.0.1'],
      [{ NO_PROXY: 'a.example, b.example', no_proxy: 'b.example,c.example' }, 'a.example,b.example,c.example,127.0.0.1'],
      [{ NO_PROXY: '127.0.0.1,x' }, '127.0.0.1,x'],
      [{ NO_PROXY: '*' }, '*'],
    ];
    for (const [env, expected] of table) assert.deepEqual(noProxyVariables(env), { NO_PROXY: expected, no_proxy: expected }, JSON.stringify(env));
    const v = endpointVariables({ url: 'http://127.0.0.1:1/x', token: 't' }, 'eu-west-1', { NO_PROXY: 'corp.example' });
    assert.equal(v.NO_PROXY, 'corp.example,127.0.0.1');
    assert.equal(v.no_proxy, 'corp.example,127.0.0.1');
    assert.equal(envVariables(creds, 'us-east-1').NO_PROXY, undefined, 'env mode has no endpoint to protect');
    assert.equal(mergeNoProxy(' ,, '), '127.0.0.1');
  });
  test('env mode: the keys with expiration, endpoint variables blanked', () => {
    const v = envVariables(creds, 'us-east-1');
    assert.equal(v.AWS_ACCESS_KEY_ID, 'ASIAEXAMPLE');
    assert.equal(v.AWS_CREDENTIAL_EXPIRATION, '2026-01-01T00:00:00.000Z');
    assert.equal(v.AWS_CONTAINER_CREDENTIALS_FULL_URI, undefined, 'static keys win over the endpoint anyway');
  });
  test('variables that cannot be blanked are reported when set', () => {
    assert.deepEqual(environmentOverrides({ AWS_PROFILE: 'dev', AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/x', HOME: '/h' }, 'endpoint'), [
      'AWS_PROFILE',
      'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
    ]);
    assert.deepEqual(environmentOverrides({ AWS_PROFILE: '' }, 'endpoint'), []);
    assert.deepEqual(environmentOverrides({ AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/x' }, 'env'), []);
    assert.deepEqual(environmentOverrides({ AWS_PROFILE: 'dev' }, 'off'), []);
  });
  test('endpoint mode with our terminal profile: AWS_PROFILE selects it; AWS_DEFAULT_PROFILE only replaced when inherited', () => {
    const b = { url: 'http://127.0.0.1:1/x', token: 't' };
    const v = endpointVariables(b, 'eu-west-1', {}, { profile: TERMINAL_PROFILE });
    assert.equal(v.AWS_PROFILE, 'awsidc-terminal');
    assert.equal(v.AWS_DEFAULT_PROFILE, undefined, 'botocore reads it before AWS_PROFILE: set, it would beat a one-off AWS_PROFILE=other');
    assert.equal(v.AWS_CONTAINER_CREDENTIALS_FULL_URI, b.url, 'the script reads the endpoint from the terminal');
    const inherited = endpointVariables(b, 'eu-west-1', { AWS_PROFILE: 'dev', AWS_DEFAULT_PROFILE: 'old' }, { profile: TERMINAL_PROFILE });
    assert.equal(inherited.AWS_PROFILE, 'awsidc-terminal');
    assert.equal(inherited.AWS_DEFAULT_PROFILE, 'awsidc-terminal');
    assert.deepEqual(replacedProfileNames({ AWS_PROFILE: 'dev', AWS_DEFAULT_PROFILE: '', HOME: '/h' }), ['AWS_PROFILE']);
  });
  test('with our profile nothing inherited wins, so nothing is reported (both modes)', () => {
    const env = { AWS_PROFILE: 'dev', AWS_DEFAULT_PROFILE: 'old', AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/x' };
    assert.deepEqual(environmentOverrides(env, 'endpoint', { profile: TERMINAL_PROFILE }), [], 'the profile is read before the container provider');
    assert.deepEqual(environmentOverrides(env, 'endpoint'), ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE']);
    assert.deepEqual(environmentOverrides(env, 'env', { profile: TERMINAL_PROFILE }), []);
    assert.deepEqual(environmentOverrides(env, 'env'), ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE']);
  });
  test('env mode with our profile: the keys, and AWS_PROFILE selecting the profile whose script prints them', () => {
    const v = envVariables(creds, 'us-east-1', { AWS_DEFAULT_PROFILE: 'old' }, { profile: TERMINAL_PROFILE });
    assert.equal(v.AWS_ACCESS_KEY_ID, 'ASIAEXAMPLE');
    assert.equal(v.AWS_PROFILE, 'awsidc-terminal');
    assert.equal(v.AWS_DEFAULT_PROFILE, 'awsidc-terminal');
    assert.equal(envVariables(creds, 'us-east-1', {}, { profile: TERMINAL_PROFILE }).AWS_DEFAULT_PROFILE, undefined);
    assert.equal(envVariables(creds, 'us-east-1').AWS_PROFILE, undefined, 'Copy as Environment Variables selects no profile');
  });
  test('the bound-terminal script selects the bound profile, keeps secrets out of argv, and leaves no AWSIDC_ variable', () => {
    const run = (extra: Record<string, string>): Record<string, string> => {
      const out = execFileSync('/bin/sh', ['-c', BOUND_SHELL_SCRIPT], {
        env: { PATH: '/usr/bin:/bin', AWSIDC_SHELL: '/usr/bin/env', AWSIDC_BOUND_URI: 'http://127.0.0.1:1/p', AWSIDC_BOUND_TOKEN: 'tok', ...extra },
        encoding: 'utf8',
      });
      return Object.fromEntries(
        out
          .trim()
          .split('\n')
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
    };
    const bound = run({ AWSIDC_BOUND_PROFILE: TERMINAL_PROFILE, AWS_PROFILE: 'dev', AWS_ACCESS_KEY_ID: 'AKIA' });
    assert.equal(bound.AWS_PROFILE, 'awsidc-terminal');
    assert.equal(bound.AWS_DEFAULT_PROFILE, undefined);
    assert.equal(bound.AWS_CONTAINER_AUTHORIZATION_TOKEN, 'tok');
    assert.equal(bound.AWS_ACCESS_KEY_ID, undefined);
    assert.deepEqual(
      Object.keys(bound).filter((k) => k.startsWith('AWSIDC_')),
      [],
    );
    assert.equal(run({ AWSIDC_BOUND_PROFILE: TERMINAL_PROFILE, AWS_DEFAULT_PROFILE: 'old' }).AWS_DEFAULT_PROFILE, 'awsidc-terminal');
    assert.equal(run({ AWS_PROFILE: 'dev' }).AWS_PROFILE, 'dev', 'without a bound profile the inherited one stays (as before)');
    assert.doesNotMatch(BOUND_SHELL_SCRIPT, /tok/);
  });
  test('export lines are shell-quoted and skip blanks', () => {
    const text = exportLines(envVariables(creds, 'us-east-1'));
    assert.match(text, /export AWS_SECRET_ACCESS_KEY='se'\\''cret'/);
    assert.doesNotMatch(text, /AWS_PROFILE/);
  });
});
