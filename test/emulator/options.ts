// Knobs of the emulator. Everything here is plain JSON so the control API can
// read and change it from another process (e.g. a VS Code extension host).

export type Operation =
  | 'RegisterClient'
  | 'StartDeviceAuthorization'
  | 'CreateToken'
  | 'ListAccounts'
  | 'ListAccountRoles'
  | 'GetRoleCredentials'
  | 'Logout'
  | 'GetCallerIdentity'
  | 'AssumeRole'
  | 'GetAccessKeyLastUsed'
  | 'LookupEvents'
  | 'ListTables'
  | 'DescribeTable'
  | 'CreateTable'
  | 'DeleteTable';

/** Non-AWS requests that still appear in the call log (the browser page). */
export type PageOperation =
  'VerificationPage' | 'VerificationSubmit' | 'GetSigninToken' | 'ConsoleLogin' | 'Authorize' | 'AuthorizeConsent' | 'AuthorizeSubmit';

/**
 * 'drip': the normal answer, its body sent one byte every dripIntervalMs. 'echo': a 400 whose
 * x-amzn-ErrorType header is the client secret (or bearer token) the request carried, with the
 * request body echoed in the message, as a server reflecting its input would.
 */
export type FaultKind = '500' | '503' | '429' | 'reset' | 'stall' | '401' | 'drip' | 'echo';

/** Paging of ListAccounts/ListAccountRoles: 'repeat' hands out the same nextToken forever, 'endless' always one more page (of made-up items). */
export type PageTokens = 'normal' | 'repeat' | 'endless';

/** Numbers put on the wire in place of the real ones (absent: the real one). */
export interface WireValues {
  /** GetRoleCredentials `expiration`, epoch ms. */
  roleExpiration?: number;
  /** RegisterClient `clientSecretExpiresAt`, epoch seconds. */
  clientSecretExpiresAt?: number;
  /** CreateToken `expiresIn`, seconds. */
  tokenExpiresIn?: number;
}

export interface FaultSpec {
  /** Operation to hit; '*' or absent = any AWS operation. */
  operation?: Operation | '*';
  kind: FaultKind;
  /** How many matching calls this fault consumes (default 1). */
  count?: number;
}

export interface SeedAccount {
  accountId: string; // 12 digits
  accountName: string;
  emailAddress: string;
  roles: string[];
}

export interface ThrottleOptions {
  ratePerSec: number;
  /** Bucket size; defaults to max(1, ratePerSec). */
  burst?: number;
}

export interface EmulatorOptions {
  /** Fixed port; 0 (default) picks a free one. Only used by start(). */
  port?: number;
  /** Number of generated accounts (deterministic) or an explicit list. Default 5. */
  accounts?: number | SeedAccount[];
  /** Generated accounts include a non-ASCII name, a zero-role account and an HTML-ish name. Default true. */
  specialCases?: boolean;
  /** Start URLs accepted by StartDeviceAuthorization. Default https://emulator.awsapps.com/start */
  startUrl?: string | string[];
  /**
   * More portals, by start URL, each with its own accounts (a count generates accounts with ids of
   * their own, no special cases). Their start URLs are accepted too; a token issued for one lists,
   * and gets credentials for, only that portal's accounts. Every other start URL uses `accounts`.
   */
  portals?: Record<string, number | SeedAccount[]>;
  /** Delay added to every AWS API call (not the control API or the page). */
  latencyMs?: number;
  /** One token bucket shared by ListAccounts, ListAccountRoles and GetRoleCredentials; null = off. */
  throttle?: ThrottleOptions | null;
  /** Lifetimes in seconds (fractions allowed internally; the wire carries whole seconds rounded up). */
  accessTokenTtlSec?: number;
  roleCredentialTtlSec?: number;
  deviceCodeTtlSec?: number;
  clientSecretTtlSec?: number;
  /** Polling interval handed out by StartDeviceAuthorization. */
  interval?: number;
  /** Answer SlowDownException when a device code is polled faster than interval (10% tolerance). */
  enforceSlowDown?: boolean;
  /** Approve device authorizations as soon as they are started. */
  autoApprove?: boolean;
  /** Refresh grant hands out a new refresh token and invalidates the old one. */
  rotateRefreshTokens?: boolean;
  /** Issue refresh tokens at all (false: every sign-in ends when its access token expires). */
  issueRefreshTokens?: boolean;
  /** Include an idToken in CreateToken responses. */
  issueIdToken?: boolean;
  /** ListAccounts/ListAccountRoles page size when max_result is absent. */
  defaultPageSize?: number;
  /** Largest page handed out whatever max_result asks (the real service may send fewer). */
  maxPageSize?: number;
  /** Host used in verificationUri; *.localhost resolves to loopback in browsers. */
  verificationHost?: string;
  /** Role session name used in assumed-role ARNs of portal credentials. */
  userName?: string;
  /** The server's clock runs this many seconds ahead of the machine's (negative: behind). */
  clockSkewSec?: number;
  /**
   * Stand-ins for trust-policy conditions, by role ARN: AssumeRole without the given ExternalId, or
   * without this MFA serial and code, is refused with AccessDenied as AWS does.
   */
  assumeRoleRequirements?: Record<string, AssumeRoleRequirement>;
  /**
   * IAM GetAccessKeyLastUsed: what it answers per access key id (unknown keys: never used), and the
   * role names whose sessions are denied iam:GetAccessKeyLastUsed.
   */
  accessKeyLastUsed?: { keys: Record<string, { userName: string; lastUsedDate?: string; serviceName?: string; region?: string }>; deniedRoles: string[] };
  /** Misbehaving paging per listing (see PageTokens); absent: normal. */
  pageTokens?: Partial<Record<'ListAccounts' | 'ListAccountRoles', PageTokens>>;
  /** When > 0, ListAccounts answers with one page of this many made-up accounts, streamed. */
  hugePageAccounts?: number;
  /** Absurd numbers to send (see WireValues). */
  wireValues?: WireValues;
  /** Byte interval of the 'drip' fault. */
  dripIntervalMs?: number;
  /** CloudTrail delivery delay: LookupEvents sees a call this many seconds after it was made (AWS: about 5–15 minutes). */
  cloudTrailDelaySec?: number;
  /** LookupEvents calls per second per account and region (AWS: 2). */
  cloudTrailRatePerSec?: number;
  /** Roles (name, or "accountId/name") without cloudtrail:LookupEvents: AccessDeniedException. */
  cloudTrailDeniedRoles?: string[];
  /** Roles (by name) refused DynamoDB's write actions with AccessDeniedException, as a read-only policy would. */
  writeDeniedRoles?: string[];
}

export interface AssumeRoleRequirement {
  externalId?: string;
  mfaSerial?: string;
  mfaCode?: string;
}

export type ResolvedOptions = Required<Omit<EmulatorOptions, 'port' | 'startUrl' | 'throttle'>> & {
  startUrl: string[];
  throttle: ThrottleOptions | null;
};

export const DEFAULT_START_URL = 'https://emulator.awsapps.com/start';

export const DEFAULTS: ResolvedOptions = {
  accounts: 5,
  specialCases: true,
  startUrl: [DEFAULT_START_URL],
  portals: {},
  latencyMs: 0,
  throttle: null,
  accessTokenTtlSec: 3600,
  roleCredentialTtlSec: 3600,
  deviceCodeTtlSec: 600,
  clientSecretTtlSec: 90 * 24 * 3600,
  interval: 1,
  enforceSlowDown: true,
  autoApprove: false,
  rotateRefreshTokens: true,
  issueRefreshTokens: true,
  issueIdToken: false,
  defaultPageSize: 20,
  maxPageSize: 100,
  verificationHost: 'device.sso.localhost',
  userName: 'developer@example.com',
  clockSkewSec: 0,
  assumeRoleRequirements: {},
  accessKeyLastUsed: { keys: {}, deniedRoles: [] },
  pageTokens: {},
  hugePageAccounts: 0,
  wireValues: {},
  dripIntervalMs: 1000,
  cloudTrailDelaySec: 0,
  cloudTrailRatePerSec: 2,
  cloudTrailDeniedRoles: [],
  writeDeniedRoles: ['ReadOnly'],
};

/** Merge a partial (possibly from JSON) onto resolved options. Unknown keys are ignored. */
export function mergeOptions(base: ResolvedOptions, partial: EmulatorOptions): ResolvedOptions {
  const out: ResolvedOptions = { ...base };
  for (const key of Object.keys(DEFAULTS) as (keyof ResolvedOptions)[]) {
    const value = (partial as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (key === 'startUrl') {
      out.startUrl = Array.isArray(value) ? value.map(String) : [String(value)];
    } else if (key === 'throttle') {
      out.throttle = value === null ? null : normaliseThrottle(value as ThrottleOptions);
    } else {
      (out as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}

function normaliseThrottle(t: ThrottleOptions): ThrottleOptions {
  if (!(t.ratePerSec > 0)) throw new Error('throttle.ratePerSec must be > 0');
  return { ratePerSec: t.ratePerSec, burst: t.burst ?? Math.max(1, t.ratePerSec) };
}
