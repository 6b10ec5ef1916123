// Shared fixtures of the role-chaining tests: a sample entry, an isolated environment, refusal and secret checks.
import { strict as assert } from 'node:assert';
import { IdcError } from '../../src/core/common/errors';
import { RoleCredentialsSecret } from '../../src/core/common/model';
import { withEnv as withEnvVars } from './processes';

export const REGION = 'us-east-1';
export const TARGET = 'arn:aws:iam::222233334444:role/team/Deployer';
export const SRC = { accountId: '111122223333', roleName: 'AdministratorAccess' };
export const good = (extra: Record<string, unknown> = {}) => ({ name: 'deploy', roleArn: TARGET, source: { ...SRC }, ...extra });

/** Sets (or, for undefined, deletes) process.env entries while fn runs; no config files, no profile. */
/** No config files, profiles or global endpoint overrides: only what the test sets. */
export function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  return withEnvVars(
    {
      AWS_CONFIG_FILE: '/nonexistent/awsidc-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/awsidc-credentials',
      AWS_PROFILE: undefined,
      AWS_ENDPOINT_URL: undefined,
      AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: undefined,
      ...vars,
    },
    fn,
  );
}

export async function refusal(p: Promise<unknown>): Promise<IdcError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof IdcError, `expected an IdcError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a refusal');
}

/** No secret value of any credentials seen in the test appears in text. */
export function assertNoSecrets(text: string, creds: RoleCredentialsSecret[], extra: string[] = []): void {
  for (const s of [...creds.flatMap((c) => [c.secretAccessKey, c.sessionToken]), ...extra]) {
    assert.ok(!text.includes(s), 'an error message contains a secret');
  }
}
