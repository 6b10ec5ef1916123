// Shared fixtures of the role-chaining tests: a sample entry, an isolated environment, refusal and secret checks.
import { strict as assert } from 'node:assert';
import { after, before } from 'node:test';
import { IdcError } from '../../src/core/common/errors';
import { RoleCredentialsSecret, RoleRef } from '../../src/core/common/model';
import { Emulator } from '../emulator/server';
import { EmulatorSession, signIn } from '../soak/emulatorSession';
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

export interface SourceRoleFixture {
  em: Emulator;
  session: EmulatorSession;
  sourceRole: RoleRef;
  source: RoleCredentialsSecret;
}

/**
 * An emulator, signed in, whose first role is the source of the chained roles under test; started in the
 * calling describe's before() and stopped in its after(). Read the fields inside tests (set by before()).
 */
export function emulatorSourceRole(): SourceRoleFixture {
  const fixture = {} as SourceRoleFixture;
  before(async () => {
    fixture.em = await Emulator.start({ accounts: 3, specialCases: false, autoApprove: true });
    fixture.session = await signIn(fixture.em);
    fixture.sourceRole = fixture.session.roles[0];
    fixture.source = await fixture.session.ic.getRoleCredentials(fixture.session.accessToken, fixture.sourceRole);
  });
  after(async () => {
    fixture.session?.dispose();
    await fixture.em?.stop();
  });
  return fixture;
}
