// What integrated terminals receive in each mode, as a pure function. Empty values neutralise
// variables a user's shell may carry that would win over ours in some SDK or CLI.
import type { RoleCredentialsSecret } from '../common/model';

export type TerminalMode = 'endpoint' | 'env' | 'off';

export type TerminalVariables = Record<string, string>;

/**
 * Static keys would win over the endpoint in every SDK and CLI; an empty value reads as unset, so
 * they are blanked. Static keys in env mode already win over everything but a profile.
 */
const CONFLICTING_IN_ENDPOINT = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_CREDENTIAL_EXPIRATION'];
const CONFLICTING_IN_ENV: string[] = [];

/**
 * Variables that win over what we provide but cannot be blanked: the AWS CLI fails on an empty
 * AWS_PROFILE ("config profile () could not be found"), an empty token file path, or an empty
 * relative URI (measured with CLI v1 and v2). The collection cannot unset, so these are reported.
 * With our terminal profile (`profile`) nothing is: AWS_PROFILE and AWS_DEFAULT_PROFILE are
 * overridden (see endpointVariables and envVariables), and the profile's credential_process is read
 * before the container provider, so an inherited relative URI or token file no longer wins
 * (measured with all seven peers: test/integration/terminals/terminalPeers.test.ts).
 */
export function environmentOverrides(env: NodeJS.ProcessEnv, mode: TerminalMode, options: { profile?: string } = {}): string[] {
  if (options.profile) return [];
  const names =
    mode === 'endpoint'
      ? ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE']
      : mode === 'env'
        ? ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE']
        : [];
  return names.filter((name) => !!env[name]);
}

/** Inherited profile variables our terminal profile replaces (for the log line that says so). */
export function replacedProfileNames(env: NodeJS.ProcessEnv): string[] {
  return ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE'].filter((name) => !!env[name]);
}

/**
 * A POSIX shell command that starts the user's shell bound to one role. It reads the binding from
 * AWSIDC_BOUND_* variables (never from arguments, which other users can see in `ps`) and sets them
 * after VS Code has applied the global collection, so the active role cannot override them.
 * AWSIDC_BOUND_PROFILE (our terminal profile, when it was written) selects that profile.
 */
export const BOUND_SHELL_SCRIPT = [
  'export AWS_CONTAINER_CREDENTIALS_FULL_URI="$AWSIDC_BOUND_URI" AWS_CONTAINER_AUTHORIZATION_TOKEN="$AWSIDC_BOUND_TOKEN"',
  'if [ -n "$AWSIDC_BOUND_PROFILE" ]; then export AWS_PROFILE="$AWSIDC_BOUND_PROFILE"; [ -z "$AWS_DEFAULT_PROFILE" ] || export AWS_DEFAULT_PROFILE="$AWSIDC_BOUND_PROFILE"; fi',
  'unset AWSIDC_BOUND_URI AWSIDC_BOUND_TOKEN AWSIDC_BOUND_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_CREDENTIAL_EXPIRATION AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'shell="$AWSIDC_SHELL"; unset AWSIDC_SHELL',
  'exec "${shell:-/bin/sh}"',
].join('; ');

/**
 * `env`: the environment terminals start from, whose NO_PROXY entries are kept. `profile`: our
 * terminal profile (TERMINAL_PROFILE), only once ensureTerminalProfile has written it (the CLI
 * fails on a selected profile that does not exist). AWS_PROFILE selects it; AWS_DEFAULT_PROFILE is
 * set only when the user's environment has one, since botocore reads it before AWS_PROFILE and would
 * otherwise ignore a one-off `AWS_PROFILE=other aws …`.
 */
export function endpointVariables(
  binding: { url: string; token: string },
  region: string,
  env: NodeJS.ProcessEnv = process.env,
  options: { profile?: string } = {},
): TerminalVariables {
  return {
    ...blank(CONFLICTING_IN_ENDPOINT),
    AWS_CONTAINER_CREDENTIALS_FULL_URI: binding.url,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: binding.token,
    ...profileVariables(env, options.profile),
    ...regionVariables(region),
    ...noProxyVariables(env),
  };
}

/** Where the credential endpoint listens; never to be reached through a proxy. */
export const ENDPOINT_HOST = '127.0.0.1';

/**
 * NO_PROXY and no_proxy with the endpoint's address added to the user's own entries, so a CLI or
 * SDK that honours HTTP(S)_PROXY still fetches from the endpoint directly and its token never
 * reaches a proxy. Both spellings get the same merged list: tools differ in which one wins (Python
 * reads the lower-case one first), and replacing both keeps every entry the user had in either.
 */
export function noProxyVariables(env: NodeJS.ProcessEnv): TerminalVariables {
  return { NO_PROXY: mergeNoProxy(env.NO_PROXY, env.no_proxy), no_proxy: mergeNoProxy(env.NO_PROXY, env.no_proxy) };
}

/** The entries of every list given, once each, in order, plus the endpoint's address. */
export function mergeNoProxy(...lists: (string | undefined)[]): string {
  const entries = [
    ...new Set(
      lists
        .flatMap((l) => (l ?? '').split(','))
        .map((e) => e.trim())
        .filter(Boolean),
    ),
  ];
  if (!entries.includes(ENDPOINT_HOST) && !entries.includes('*')) entries.push(ENDPOINT_HOST);
  return entries.join(',');
}

/**
 * `profile`: our terminal profile, once written. Env keys beat a [default] profile in every client
 * but the Ruby SDK 3.168 with a [default] sso_session, and an inherited AWS_PROFILE beats them in
 * the JS SDK v3 (which skips env keys when a profile is selected; the CLIs, boto3, Go 1.17 and Ruby
 * keep the keys); selecting our profile, whose script prints these same keys, closes both gaps
 * (measured: bench/terminalProfiles.ts).
 */
export function envVariables(
  creds: RoleCredentialsSecret,
  region: string,
  env: NodeJS.ProcessEnv = process.env,
  options: { profile?: string } = {},
): TerminalVariables {
  return {
    ...blank(CONFLICTING_IN_ENV),
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_SESSION_TOKEN: creds.sessionToken,
    AWS_CREDENTIAL_EXPIRATION: new Date(creds.expiration).toISOString(),
    ...profileVariables(env, options.profile),
    ...regionVariables(region),
  };
}

/** AWS_PROFILE = our profile; AWS_DEFAULT_PROFILE too only when inherited (botocore reads it first). */
function profileVariables(env: NodeJS.ProcessEnv, profile: string | undefined): TerminalVariables {
  if (!profile) return {};
  return env.AWS_DEFAULT_PROFILE ? { AWS_PROFILE: profile, AWS_DEFAULT_PROFILE: profile } : { AWS_PROFILE: profile };
}

/** Names of variables we blank, for the log line that explains why. */
export function neutralisedNames(mode: TerminalMode): string[] {
  return mode === 'endpoint' ? CONFLICTING_IN_ENDPOINT : mode === 'env' ? CONFLICTING_IN_ENV : [];
}

/** AWS_REGION and AWS_DEFAULT_REGION, or nothing for ''. */
export function regionVariables(region: string): TerminalVariables {
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
