// Show Terminal Identity's command, run by a real /bin/sh and the real AWS CLI when installed, and
// the reading of its output.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { IDENTITY_COMMAND, isRoleSession, parseIdentity, plainText } from '../../../src/core/terminals/identityProbe';
import { tempDirs } from '../../support/tempDirs';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function run(env: NodeJS.ProcessEnv): string {
  return execFileSync('/bin/sh', ['-c', IDENTITY_COMMAND], { env, encoding: 'utf8' });
}

test('without the AWS CLI: names of the variables set, AWS_PROFILE and region, never a value', () => {
  const out = run({
    PATH: '/nonexistent',
    AWS_PROFILE: 'legacy',
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_WEB_IDENTITY_TOKEN_FILE: '/tmp/t',
    AWS_REGION: 'eu-west-1',
  });
  assert.ok(!out.includes(SECRET) && !out.includes('/tmp/t'), out);
  const id = parseIdentity(out, 'awsidc-terminal');
  assert.deepEqual(id.set, ['AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE']);
  assert.equal(id.profile, 'legacy');
  assert.equal(id.region, 'eu-west-1');
  assert.equal(id.cli, false);
  assert.deepEqual(id.override, { variable: 'AWS_PROFILE', value: 'legacy' });
});

const cli = ['/root/.pyenv/versions/3.11.7/bin/aws', '/usr/bin/aws'].find((p) => fs.existsSync(p));
test('with the real AWS CLI and a long-term key in the environment: the source is env, the secret never printed', { skip: !cli }, () => {
  const home = tempDirs('awsidc-probe-')();
  const out = run({
    PATH: `${path.dirname(cli!)}:/usr/bin:/bin`,
    HOME: home,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9',
    AWS_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '1',
  });
  assert.ok(!out.includes(SECRET.slice(-4)) && !out.includes('MPLE'), 'no part of a key is printed');
  const id = parseIdentity(out, undefined);
  assert.equal(id.cli, true);
  assert.equal(id.source, 'env');
  assert.equal(id.arn, undefined);
  assert.ok(id.error, 'the CLI error line (the endpoint is unreachable)');
  assert.deepEqual(id.override, { variable: 'AWS_ACCESS_KEY_ID' });
});

test('output as a terminal gives it: escape sequences and carriage returns removed', () => {
  const raw =
    '\x1b]633;C\x07awsidc-set: AWS_PROFILE\r\n\x1b[32mawsidc-profile: awsidc-terminal\x1b[0m\r\nawsidc-arn: arn:aws:sts::111122223333:assumed-role/Admin/me\r\n';
  assert.equal(plainText('\x1b[1mA\x1b[0m\r\n'), 'A\n');
  const id = parseIdentity(raw, 'awsidc-terminal');
  assert.equal(id.accountId, '111122223333');
  assert.equal(id.override, undefined);
});

test('an ARN is the role session of the active role, also under its AWSReservedSSO_ name', () => {
  const role = { accountId: '111122223333', roleName: 'Admin' };
  assert.ok(isRoleSession('arn:aws:sts::111122223333:assumed-role/Admin/me', role));
  assert.ok(isRoleSession('arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123abcd/me', role));
  assert.ok(!isRoleSession('arn:aws:sts::111122223333:assumed-role/AdminX/me', role));
  assert.ok(!isRoleSession('arn:aws:sts::999922223333:assumed-role/Admin/me', role));
  assert.ok(!isRoleSession('arn:aws:iam::111122223333:user/legacy', role));
  assert.ok(!isRoleSession(undefined, role));
});
