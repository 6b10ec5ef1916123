// What a user's ~/.aws may hold that every AWS CLI and SDK reads before the container-credentials
// provider (issue 23), written into an isolated HOME, and the terminal designs measured against
// it: none (only the endpoint variables), (a) a credential-less profile of ours selected with
// AWS_PROFILE, (b) that profile with our credential_process, and env mode (static keys).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TERMINAL_PROFILE, ensureTerminalProfile } from '../../src/core/awsFiles/terminalProfile';

export type Shadow = 'none' | 'default-key' | 'default-process' | 'default-sso' | 'default-role' | 'key+process';
export const SHADOWS: readonly Shadow[] = ['none', 'default-key', 'default-process', 'default-sso', 'default-role', 'key+process'];

export type Design = 'endpoint only' | '(a) empty profile' | '(b) credential_process' | 'env keys' | 'env keys + (b)';
export const DESIGNS: readonly Design[] = ['endpoint only', '(a) empty profile', '(b) credential_process', 'env keys', 'env keys + (b)'];

/** The user's own keys (unknown to the emulator, which still logs the key that signed). */
export const USER_KEYS = {
  default: 'AKIAUSERDEFAULT00001',
  process: 'AKIAUSERPROCESS00001',
  source: 'AKIAUSERSOURCE000001',
  other: 'AKIAUSEROTHER0000001',
} as const;

export interface PeerHome {
  home: string;
  configFile: string;
  cleanup(): void;
}

/** A fresh HOME whose ~/.aws holds `shadow`, plus an `other` profile with its own key. */
export function shadowHome(shadow: Shadow): PeerHome {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'awsidc-shadow-'));
  const aws = path.join(home, '.aws');
  fs.mkdirSync(aws, { mode: 0o700 });
  const key = (name: string, id: string): string[] => [`[${name}]`, `aws_access_key_id = ${id}`, `aws_secret_access_key = user-secret-of-${name}`, ''];
  const credentials = [...key('other', USER_KEYS.other)];
  const config = ['[profile other]', 'region = us-east-1', ''];
  const processScript = path.join(home, 'user-credential-process');
  fs.writeFileSync(processScript, `#!/bin/sh\necho '{"Version":1,"AccessKeyId":"${USER_KEYS.process}","SecretAccessKey":"user-process-secret"}'\n`, {
    mode: 0o700,
  });
  if (shadow === 'default-key' || shadow === 'key+process') credentials.push(...key('default', USER_KEYS.default));
  if (shadow === 'default-process' || shadow === 'key+process') config.push('[default]', `credential_process = ${processScript}`, '');
  if (shadow === 'default-sso') config.push('[default]', 'sso_session = corp', 'sso_account_id = 123456789012', 'sso_role_name = Admin', '');
  config.push(
    '[sso-session corp]',
    'sso_start_url = https://corp.awsapps.com/start',
    'sso_region = us-east-1',
    'sso_registration_scopes = sso:account:access',
    '',
  );
  if (shadow === 'default-role') {
    credentials.push(...key('source', USER_KEYS.source));
    config.push('[default]', 'role_arn = arn:aws:iam::123456789012:role/UserRole', 'source_profile = source', '');
  }
  fs.writeFileSync(path.join(aws, 'credentials'), credentials.join('\n'), { mode: 0o600 });
  const configFile = path.join(aws, 'config');
  fs.writeFileSync(configFile, config.join('\n'), { mode: 0o600 });
  return { home, configFile, cleanup: () => fs.rmSync(home, { recursive: true, force: true }) };
}

/** Applies a design to the HOME; returns the variables it adds to the terminal's environment. */
export async function applyDesign(
  design: Design,
  h: PeerHome,
  endpoint: { url: string; token: string },
  envKeys: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken: string }>,
): Promise<Record<string, string>> {
  const container = { AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.url, AWS_CONTAINER_AUTHORIZATION_TOKEN: endpoint.token };
  switch (design) {
    case 'endpoint only':
      return container;
    case '(a) empty profile':
      fs.appendFileSync(h.configFile, `[profile ${TERMINAL_PROFILE}]\n# no credentials: SDKs fall through to the container provider\n`);
      return { ...container, AWS_PROFILE: TERMINAL_PROFILE };
    case '(b) credential_process':
      await ensureTerminalProfile({ configFile: h.configFile, scriptDir: path.join(h.home, '.aws', 'awsidc') });
      return { ...container, AWS_PROFILE: TERMINAL_PROFILE };
    case 'env keys':
    case 'env keys + (b)': {
      const c = await envKeys();
      const keys = { AWS_ACCESS_KEY_ID: c.accessKeyId, AWS_SECRET_ACCESS_KEY: c.secretAccessKey, AWS_SESSION_TOKEN: c.sessionToken };
      if (design === 'env keys') return keys;
      await ensureTerminalProfile({ configFile: h.configFile, scriptDir: path.join(h.home, '.aws', 'awsidc') });
      return { ...keys, AWS_PROFILE: TERMINAL_PROFILE };
    }
  }
}

/**
 * The environment of a terminal in that HOME: no inherited AWS_* variable, IMDS off and pointed at
 * a closed local port, and every proxy variable at a closed local port so that a call to a real
 * AWS host (an ignored endpoint override) fails at once instead of leaving the machine.
 */
export function terminalEnv(home: string, stsEndpoint: string, vars: Record<string, string>): NodeJS.ProcessEnv {
  const closed = 'http://127.0.0.1:9';
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_EC2_METADATA_SERVICE_ENDPOINT: closed,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
    AWS_ENDPOINT_URL_STS: stsEndpoint,
    AWSIDC_STS_ENDPOINT: stsEndpoint,
    HTTP_PROXY: closed,
    HTTPS_PROXY: closed,
    http_proxy: closed,
    https_proxy: closed,
    NO_PROXY: '127.0.0.1',
    no_proxy: '127.0.0.1',
    ...vars,
  };
}
