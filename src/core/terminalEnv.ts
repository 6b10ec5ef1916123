// What integrated terminals receive in each mode, as a pure function. Empty values neutralise
// variables a user's shell may carry that would win over ours in some SDK or CLI.
import type { RoleCredentialsSecret } from './model';

export type TerminalMode = 'endpoint' | 'env' | 'off';

export type TerminalVariables = Record<string, string>;

/** Variables that, if a user's shell carries them, would make a client ignore what we provide. */
const CONFLICTING_IN_ENDPOINT = ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE'];
const CONFLICTING_IN_ENV = ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_SECURITY_TOKEN', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE'];

export function endpointVariables(binding: { url: string; token: string }, region: string): TerminalVariables {
  return {
    ...blank(CONFLICTING_IN_ENDPOINT),
    AWS_CONTAINER_CREDENTIALS_FULL_URI: binding.url,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: binding.token,
    ...regionVariables(region),
  };
}

export function envVariables(creds: RoleCredentialsSecret, region: string): TerminalVariables {
  return {
    ...blank(CONFLICTING_IN_ENV),
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_SESSION_TOKEN: creds.sessionToken,
    AWS_CREDENTIAL_EXPIRATION: new Date(creds.expiration).toISOString(),
    ...regionVariables(region),
  };
}

/** Names of variables we blank, for the log line that explains why. */
export function neutralisedNames(mode: TerminalMode): string[] {
  return mode === 'endpoint' ? CONFLICTING_IN_ENDPOINT : mode === 'env' ? CONFLICTING_IN_ENV : [];
}

function regionVariables(region: string): TerminalVariables {
  return region ? { AWS_REGION: region, AWS_DEFAULT_REGION: region } : {};
}

function blank(names: string[]): TerminalVariables {
  return Object.fromEntries(names.map((n) => [n, '']));
}

/** `export` lines for Copy Credentials as Environment Variables (shell-quoted). */
export function exportLines(vars: TerminalVariables): string {
  return Object.entries(vars)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'`)
    .join('\n');
}
