// Shared by the CloudTrail review tests and benchmark: role keys issued by the emulator as the
// portal would, hand-outs naming them, and the AWS CLI v1 run with one key against the emulator.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Handout } from '../../src/core/activity/cloudTrailReview';
import type { RoleCredentialsSecret } from '../../src/core/common/model';
import { issueRoleKey } from '../emulator/portal';
import type { Emulator } from '../emulator/server';
import { runProcess, type Run } from './processes';

export const AWS_CLI_V1 = [process.env.AWSIDC_AWS_CLI_V1, '/root/.pyenv/versions/3.11.7/bin/aws'].find((c) => c && existsSync(c));

/** Fresh credentials for a role, as GetRoleCredentials hands them out. */
export function roleKey(emu: Emulator, accountId: string, roleName: string, ttlSec = 3600): RoleCredentialsSecret {
  const k = issueRoleKey(emu, accountId, roleName, 'developer@example.com', ttlSec, 'GetRoleCredentials');
  return { accountId, roleName, accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey, sessionToken: k.sessionToken, expiration: k.expiresAt };
}

export function handoutOf(creds: RoleCredentialsSecret, consumer: string, firstAt = Date.now() - 60_000): Handout {
  return { accessKeyId: creds.accessKeyId, accountId: creds.accountId, roleName: creds.roleName, consumers: [consumer], firstAt, expiresAt: creds.expiration };
}

/** One AWS CLI v1 command signed with `creds`, every AWS endpoint at the emulator, no config files. */
export function cli(emu: Emulator, creds: RoleCredentialsSecret, args: string[], home: string, region = 'us-east-1'): Promise<Run> {
  return runProcess(AWS_CLI_V1!, [...args, '--output', 'json'], {
    PATH: process.env.PATH ?? '',
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_DEFAULT_REGION: region,
    ...emu.env,
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_SESSION_TOKEN: creds.sessionToken,
  });
}
