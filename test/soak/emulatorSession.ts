// Shared by the peer tests and the soak: sign in to the local emulator with the real SDK clients
// (through our IdentityCenter wrapper), list every role, and build a CredentialBroker over it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CredentialBroker } from '../../src/core/credentials/broker';
import { IdentityCenter } from '../../src/core/aws/identityCenter';
import { Logger } from '../../src/core/common/log';
import { RoleRef } from '../../src/core/common/model';
import type { Emulator } from '../emulator/server';

export const START_URL = 'https://emulator.awsapps.com/start';

export interface EmulatorSession {
  ic: IdentityCenter;
  accessToken: string;
  /** Every role of every account, accounts in listing order. */
  roles: RoleRef[];
  dispose(): void;
}

/** Device-authorization sign-in (the emulator must run with autoApprove), then list accounts and roles. */
export async function signIn(em: Emulator): Promise<EmulatorSession> {
  const ic = await IdentityCenter.create({ region: 'us-east-1', endpoints: { oidc: em.url, portal: em.url } });
  const client = await ic.registerClient('credential-server-tests');
  const device = await ic.startDeviceAuthorization(client, START_URL);
  const token = await ic.createTokenWithDeviceCode(client, device.deviceCode);
  const roles: RoleRef[] = [];
  let next: string | undefined;
  do {
    const page = await ic.listAccounts(token.accessToken, next);
    for (const account of page.items) {
      let rnext: string | undefined;
      do {
        const rp = await ic.listAccountRoles(token.accessToken, account.accountId, rnext);
        roles.push(...rp.items);
        rnext = rp.nextToken;
      } while (rnext);
    }
    next = page.nextToken;
  } while (next);
  return { ic, accessToken: token.accessToken, roles, dispose: () => ic.dispose() };
}

export function brokerFor(session: EmulatorSession, refreshBeforeMs: number, log?: Logger): CredentialBroker {
  return new CredentialBroker({
    fetch: (role) => session.ic.getRoleCredentials(session.accessToken, role),
    refreshBeforeMs: () => refreshBeforeMs,
    log,
  });
}

/** Two roles in different accounts, so their ARNs differ in account and role. */
export function twoRoles(roles: RoleRef[]): [RoleRef, RoleRef] {
  const first = roles[0];
  const second =
    roles.find((r) => r.accountId !== first.accountId && r.roleName !== first.roleName) ?? roles.find((r) => r.accountId !== first.accountId) ?? roles[1];
  if (!first || !second) throw new Error(`the emulator offered too few roles (${roles.length})`);
  return [first, second];
}

export const assumedRolePrefix = (role: RoleRef): string => `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/`;

/**
 * Environment for a child process that sees only the credential endpoint: no inherited AWS_*
 * variables, an empty HOME (no ~/.aws), config files pointed at nothing, IMDS disabled.
 */
export function isolatedEnv(extra: Record<string, string>): { env: NodeJS.ProcessEnv; home: string; cleanup(): void } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'awsidc-peer-home-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    AWS_CONFIG_FILE: path.join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    ...extra,
  };
  return { env, home, cleanup: () => fs.rmSync(home, { recursive: true, force: true }) };
}

/** Names of the variables a caller's environment may carry that would beat the container provider. */
export const CONFLICTING_VARS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_SSO',
  'AWS_ENDPOINT_URL_SSO_OIDC',
];
