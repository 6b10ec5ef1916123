// What a debug session's launched process receives, as pure functions over the launch
// configuration: the role it asks for (`awsIdc`), what it sets itself (which then wins), and the
// configuration with our variables added in the shape its debugger reads (`env` object, or an
// `environment` list of { name, value } as cppdbg takes).
import { chainedRoleRef, type ChainedRoleDefinition } from '../credentials/chainedRoles';
import type { RoleRef } from '../common/model';
import { mergeNoProxy } from '../terminals/terminalEnv';

/** The `awsIdc` attribute of a launch configuration. */
export type LaunchRoleRequest = { accountId: string; roleName: string } | { name: string };

export type ParsedLaunchRole = { ok: true; request?: LaunchRoleRequest } | { ok: false; error: string };

const ACCOUNT_ID = /^\d{12}$/;

export function parseLaunchRole(raw: unknown): ParsedLaunchRole {
  if (raw === undefined || raw === null) return { ok: true };
  if (typeof raw !== 'object' || Array.isArray(raw))
    return { ok: false, error: 'must be an object: { "accountId", "roleName" } or { "name" } of a chained role' };
  const r = raw as Record<string, unknown>;
  if (typeof r.name === 'string' && r.name.trim()) return { ok: true, request: { name: r.name.trim() } };
  if (typeof r.accountId === 'string' && ACCOUNT_ID.test(r.accountId) && typeof r.roleName === 'string' && r.roleName.trim()) {
    return { ok: true, request: { accountId: r.accountId, roleName: r.roleName.trim() } };
  }
  return { ok: false, error: 'needs "accountId" (12 digits) and "roleName", or the "name" of an entry of awsIdc.chainedRoles' };
}

/** The role a request names, among the portal's roles and the chained roles; undefined if none. */
export function findLaunchRole(request: LaunchRoleRequest, portalRoles: readonly RoleRef[], chained: readonly ChainedRoleDefinition[]): RoleRef | undefined {
  if ('name' in request) {
    const def = chained.find((d) => d.name === request.name);
    const source = def && portalRoles.find((r) => !r.via && r.accountId === def.source.accountId && r.roleName === def.source.roleName);
    // The source's portal comes along: the chained role is assumed with that portal's credentials.
    return def && source ? chainedRoleRef(def, { ...def.source, ...(source.portal ? { portal: source.portal } : {}) }) : undefined;
  }
  return portalRoles.find((r) => !r.via && r.accountId === request.accountId && r.roleName === request.roleName);
}

/** Variables that choose credentials: a configuration that sets any of them keeps its own. */
const CREDENTIAL_CHOOSERS = /^AWS_(PROFILE|DEFAULT_PROFILE|ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|CONTAINER_.+|WEB_IDENTITY_TOKEN_FILE|ROLE_ARN)$/;
const REGION_VARIABLES = /^AWS_(REGION|DEFAULT_REGION)$/;
const PROFILE_VARIABLES = /^AWS_(PROFILE|DEFAULT_PROFILE)$/;

export interface LaunchConfig {
  env?: unknown;
  environment?: unknown;
  [key: string]: unknown;
}

/** AWS_ names the configuration sets itself, in `env`, `environment` or the text of its `envFile`. */
export function explicitAwsNames(config: LaunchConfig, envFileText = ''): string[] {
  const names = new Set<string>();
  if (config.env && typeof config.env === 'object' && !Array.isArray(config.env)) {
    for (const k of Object.keys(config.env)) if (k.startsWith('AWS_')) names.add(k);
  }
  if (Array.isArray(config.environment)) {
    for (const e of config.environment) if (e && typeof e === 'object' && typeof e.name === 'string' && e.name.startsWith('AWS_')) names.add(e.name);
  }
  for (const line of envFileText.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?(AWS_[A-Za-z0-9_]+)\s*=/.exec(line);
    if (m) names.add(m[1]);
  }
  return [...names].sort();
}

export interface LaunchPlan {
  /** The variables to add (what the configuration sets itself is left out). */
  vars: Record<string, string>;
  /** Names the configuration sets itself that decided what we left out. */
  kept: string[];
  /** False when the configuration chooses its own credentials: we add no credential variables. */
  credentials: boolean;
}

/** Which of `ours` to add, given what the configuration sets explicitly. */
export function planLaunch(ours: Record<string, string>, explicit: readonly string[]): LaunchPlan {
  const choosers = explicit.filter((n) => CREDENTIAL_CHOOSERS.test(n));
  const credentials = choosers.length === 0;
  const vars: Record<string, string> = {};
  // Our terminal profile lives in the user's config file: a configuration reading another one would
  // not find it (botocore fails on a selected profile that does not exist).
  const ownConfigFile = explicit.includes('AWS_CONFIG_FILE');
  for (const [k, v] of Object.entries(ours)) {
    if (explicit.includes(k)) continue;
    if (!credentials && !REGION_VARIABLES.test(k)) continue;
    if (ownConfigFile && PROFILE_VARIABLES.test(k)) continue;
    vars[k] = v;
  }
  const kept = credentials ? explicit.filter((n) => n in ours) : choosers;
  return { vars, kept, credentials };
}

/** The configuration with `vars` added where its debugger reads the environment. */
export function withLaunchVariables<T extends LaunchConfig>(config: T, vars: Record<string, string>): T {
  if (!Object.keys(vars).length) return config;
  if (Array.isArray(config.environment)) {
    const list = config.environment as unknown[];
    const nameOf = (e: unknown): string | undefined =>
      e && typeof e === 'object' && typeof (e as { name?: unknown }).name === 'string' ? (e as { name: string }).name : undefined;
    const own = (name: string): string | undefined => {
      const value = (list.find((e) => nameOf(e) === name) as { value?: unknown } | undefined)?.value;
      return typeof value === 'string' ? value : undefined;
    };
    const added = keepOwnNoProxy(vars, own);
    // Their NO_PROXY entries are merged into ours, so theirs leave the list (no duplicate names).
    const kept = list.filter((e) => !(NO_PROXY_NAMES.includes(nameOf(e) ?? '') && nameOf(e)! in added));
    return { ...config, environment: [...kept, ...Object.entries(added).map(([name, value]) => ({ name, value }))] };
  }
  const env = config.env && typeof config.env === 'object' && !Array.isArray(config.env) ? (config.env as Record<string, unknown>) : {};
  return { ...config, env: { ...env, ...keepOwnNoProxy(vars, (name) => (typeof env[name] === 'string' ? (env[name] as string) : undefined)) } };
}

const NO_PROXY_NAMES = ['NO_PROXY', 'no_proxy'];

/** A configuration's own NO_PROXY/no_proxy entries stay (in both spellings), with ours (the endpoint's address) added. */
function keepOwnNoProxy(vars: Record<string, string>, own: (name: string) => string | undefined): Record<string, string> {
  const out = { ...vars };
  const theirs = NO_PROXY_NAMES.map(own);
  if (!theirs.some(Boolean)) return out;
  for (const name of NO_PROXY_NAMES) if (name in out) out[name] = mergeNoProxy(...theirs, out[name]);
  return out;
}
