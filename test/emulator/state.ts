// Everything the emulator has issued. Times are epoch ms. Kept in plain maps
// so in-process tests can inspect or tamper with it directly.
import type { SeedAccount } from './options';

export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  clientName: string;
  clientType: string;
  scopes: string[];
  issuedAt: number;
  secretExpiresAt: number;
  /** As registered; absent for a client registered without them (device code and refresh). */
  grantTypes?: string[];
  redirectUris?: string[];
  issuerUrl?: string;
}

/** A browser's /authorize request waiting for Allow or Deny on the consent page. */
export interface AuthorizeRequest {
  id: string;
  clientId: string;
  redirectUri: string;
  state?: string;
  codeChallenge: string;
  startUrl?: string;
  expiresAt: number;
  decided?: 'allow' | 'deny';
}

/** An authorization code: single use, short-lived, bound to its client, redirect URI and challenge. */
export interface AuthCode {
  code: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  startUrl?: string;
  expiresAt: number;
  used: boolean;
}

export type DeviceStatus = 'pending' | 'approved' | 'denied' | 'consumed';

export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  clientId: string;
  startUrl: string;
  createdAt: number;
  expiresAt: number;
  intervalSec: number;
  status: DeviceStatus;
  lastPollAt?: number;
}

/** One sign-in; Logout revokes every token that belongs to it. */
export interface AccessToken {
  token: string;
  clientId: string;
  sessionId: number;
  expiresAt: number;
  revoked: boolean;
  /** The start URL the sign-in was made for (decides which portal's accounts it reaches). */
  startUrl?: string;
}

export interface RefreshToken {
  token: string;
  clientId: string;
  sessionId: number;
  revoked: boolean;
  startUrl?: string;
}

export interface RoleKey {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId: string;
  roleName: string;
  sessionName: string;
  expiresAt: number;
  source: 'GetRoleCredentials' | 'AssumeRole';
}

export interface PendingDeviceView {
  userCode: string;
  clientId: string;
  clientName: string;
  startUrl: string;
  createdAt: number;
  expiresAt: number;
  verificationUriComplete: string;
}

export class EmulatorState {
  accounts: SeedAccount[] = [];
  /** The accounts of the extra portals (options.portals), by start URL without trailing slashes. */
  portalAccounts = new Map<string, SeedAccount[]>();
  clients = new Map<string, RegisteredClient>();
  devices = new Map<string, DeviceAuthorization>(); // by deviceCode
  authorizeRequests = new Map<string, AuthorizeRequest>(); // by id
  authCodes = new Map<string, AuthCode>(); // by code
  accessTokens = new Map<string, AccessToken>();
  refreshTokens = new Map<string, RefreshToken>();
  roleKeys = new Map<string, RoleKey>(); // by accessKeyId
  /** Console sign-in tokens from the federation endpoint: single use, short-lived. */
  signinTokens = new Map<string, { accessKeyId: string; expiresAt: number; used: boolean }>();
  /** Every secret value ever issued (survives reset) for canary scans. */
  readonly secrets: string[] = [];
  private nextSession = 1;

  /**
   * Secrets the protocol itself hands to the browser: the authorization code rides in the redirect to
   * the loopback listener, so the browser's history holds it, as for every OAuth client (single use,
   * useless without the PKCE verifier). Canary scans of the browser profile skip these; of the editor's files, not.
   */
  readonly browserSecrets: string[] = [];

  issue<T extends string>(secret: T, opts: { inBrowserUrl?: boolean } = {}): T {
    this.secrets.push(secret);
    if (opts.inBrowserUrl) this.browserSecrets.push(secret);
    return secret;
  }

  newSessionId(): number {
    return this.nextSession++;
  }

  account(accountId: string, token?: AccessToken): SeedAccount | undefined {
    return this.accountsFor(token).find((a) => a.accountId === accountId);
  }

  /** The accounts a token's sign-in reaches: its extra portal's, else the default ones. */
  accountsFor(token?: AccessToken): SeedAccount[] {
    const portal = token?.startUrl ? this.portalAccounts.get(token.startUrl.replace(/\/+$/, '')) : undefined;
    return portal ?? this.accounts;
  }

  deviceByUserCode(userCode: string): DeviceAuthorization | undefined {
    const want = normaliseUserCode(userCode);
    let found: DeviceAuthorization | undefined;
    for (const d of this.devices.values()) if (normaliseUserCode(d.userCode) === want) found = d;
    return found;
  }

  /** Pending, unexpired device authorizations, oldest first. */
  pendingDevices(now = Date.now()): DeviceAuthorization[] {
    return [...this.devices.values()].filter((d) => d.status === 'pending' && d.expiresAt > now);
  }

  /** Valid (known, unrevoked, unexpired) access token or undefined. */
  validAccessToken(token: string | undefined, now = Date.now()): AccessToken | undefined {
    if (!token) return undefined;
    const t = this.accessTokens.get(token);
    return t && !t.revoked && t.expiresAt > now ? t : undefined;
  }

  revokeSession(sessionId: number): void {
    for (const t of this.accessTokens.values()) if (t.sessionId === sessionId) t.revoked = true;
    for (const t of this.refreshTokens.values()) if (t.sessionId === sessionId) t.revoked = true;
  }

  revokeAll(refreshOnly: boolean): void {
    if (!refreshOnly) for (const t of this.accessTokens.values()) t.revoked = true;
    for (const t of this.refreshTokens.values()) t.revoked = true;
  }

  /** Forget everything issued except the secrets list. */
  clear(): void {
    this.clients.clear();
    this.devices.clear();
    this.authorizeRequests.clear();
    this.authCodes.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.roleKeys.clear();
    this.signinTokens.clear();
  }
}

export function normaliseUserCode(code: string): string {
  return code.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
}
