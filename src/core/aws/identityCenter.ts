// The IAM Identity Center client: thin, typed calls over the real SDK v3 SSO OIDC and SSO portal
// clients (STS AssumeRole lives in credentials/assumeRole.ts, the INI loader in awsFiles/). The SDK
// is loaded on first use (aws/loadSdk.ts). Endpoints come from the SDK's own resolution
// (AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL_SSO, …) unless `endpoints` is given.
import type * as Sdk from './awsSdk';
import { SSO_SCOPE, type Account, type ClientRegistrationSecret, type RoleCredentialsSecret, type RoleRef } from '../common/model';
import { loadSdk } from './loadSdk';

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface IdentityCenterOptions {
  region: string;
  /** Explicit endpoints; leave empty so the SDK's environment and config resolution applies. */
  endpoints?: { oidc?: string; portal?: string };
  /** Attempts per call, including retries of throttling and 5xx done by the SDK's retry strategy. */
  maxAttempts?: number;
  /** Per-request socket timeout in ms, so a stalled server does not hang a sign-in. */
  requestTimeoutMs?: number;
}

export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  /** Seconds. */
  expiresIn: number;
  /** Seconds between polls. */
  interval: number;
}

export interface TokenResponse {
  accessToken: string;
  refreshToken?: string;
  /** Seconds. */
  expiresIn: number;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
  /** SDK attempts for this page (more than 1 means retries, for example after throttling). */
  attempts: number;
}

export class IdentityCenter {
  /** Server clock minus local clock (ms), from the portal's last Date header. */
  private serverSkewMs = 0;

  private constructor(
    private readonly sdk: typeof Sdk,
    private readonly oidc: Sdk.SSOOIDCClient,
    private readonly portal: Sdk.SSOClient,
    readonly region: string,
  ) {}

  static async create(options: IdentityCenterOptions): Promise<IdentityCenter> {
    const sdk = await loadSdk();
    // throwOnRequestTimeout: without it the SDK only warns about a stalled server and waits forever.
    const requestHandler = { requestTimeout: options.requestTimeoutMs ?? 15_000, connectionTimeout: 5_000, throwOnRequestTimeout: true };
    const common = { region: options.region, maxAttempts: options.maxAttempts ?? 3, requestHandler };
    const oidc = new sdk.SSOOIDCClient({ ...common, ...(options.endpoints?.oidc ? { endpoint: options.endpoints.oidc } : {}) });
    const portal = new sdk.SSOClient({ ...common, ...(options.endpoints?.portal ? { endpoint: options.endpoints.portal } : {}) });
    const ic = new IdentityCenter(sdk, oidc, portal, options.region);
    portal.middlewareStack.add(
      (next) => async (args) => {
        const out = await next(args);
        const date = Date.parse(String((out.response as { headers?: Record<string, string> })?.headers?.date ?? ''));
        if (Number.isFinite(date)) ic.serverSkewMs = date - Date.now();
        return out;
      },
      { step: 'deserialize', name: 'awsIdcServerClock' },
    );
    return ic;
  }

  async registerClient(clientName: string, signal?: AbortSignal): Promise<ClientRegistrationSecret> {
    const out = await this.oidc.send(new this.sdk.RegisterClientCommand({ clientName, clientType: 'public', scopes: [SSO_SCOPE] }), { abortSignal: signal });
    return {
      clientId: required(out.clientId, 'clientId'),
      clientSecret: required(out.clientSecret, 'clientSecret'),
      expiresAt: (out.clientSecretExpiresAt ?? 0) * 1000,
      region: this.region,
      scopes: [SSO_SCOPE],
    };
  }

  async startDeviceAuthorization(client: ClientRegistrationSecret, startUrl: string, signal?: AbortSignal): Promise<DeviceAuthorization> {
    const out = await this.oidc.send(new this.sdk.StartDeviceAuthorizationCommand({ clientId: client.clientId, clientSecret: client.clientSecret, startUrl }), {
      abortSignal: signal,
    });
    return {
      deviceCode: required(out.deviceCode, 'deviceCode'),
      userCode: required(out.userCode, 'userCode'),
      verificationUri: required(out.verificationUri, 'verificationUri'),
      verificationUriComplete: out.verificationUriComplete ?? required(out.verificationUri, 'verificationUri'),
      expiresIn: out.expiresIn ?? 600,
      interval: out.interval ?? 5,
    };
  }

  async createTokenWithDeviceCode(client: ClientRegistrationSecret, deviceCode: string, signal?: AbortSignal): Promise<TokenResponse> {
    return this.createToken({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: DEVICE_GRANT, deviceCode }, signal);
  }

  async createTokenWithRefreshToken(client: ClientRegistrationSecret, refreshToken: string, signal?: AbortSignal): Promise<TokenResponse> {
    return this.createToken({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: 'refresh_token', refreshToken }, signal);
  }

  private async createToken(input: Sdk.CreateTokenCommandInput, signal?: AbortSignal): Promise<TokenResponse> {
    const out = await this.oidc.send(new this.sdk.CreateTokenCommand(input), { abortSignal: signal });
    return {
      accessToken: required(out.accessToken, 'accessToken'),
      refreshToken: out.refreshToken,
      expiresIn: out.expiresIn ?? 3600,
    };
  }

  async listAccounts(accessToken: string, nextToken?: string, signal?: AbortSignal): Promise<Page<Account>> {
    const out = await this.portal.send(new this.sdk.ListAccountsCommand({ accessToken, nextToken, maxResults: 100 }), { abortSignal: signal });
    const items = (out.accountList ?? []).map((a) => ({
      accountId: a.accountId ?? '',
      accountName: a.accountName ?? a.accountId ?? '',
      emailAddress: a.emailAddress,
    }));
    return { items, nextToken: out.nextToken, attempts: out.$metadata.attempts ?? 1 };
  }

  async listAccountRoles(accessToken: string, accountId: string, nextToken?: string, signal?: AbortSignal): Promise<Page<RoleRef>> {
    const out = await this.portal.send(new this.sdk.ListAccountRolesCommand({ accessToken, accountId, nextToken, maxResults: 100 }), { abortSignal: signal });
    const items = (out.roleList ?? []).map((r) => ({ accountId, roleName: r.roleName ?? '' }));
    return { items, nextToken: out.nextToken, attempts: out.$metadata.attempts ?? 1 };
  }

  async getRoleCredentials(accessToken: string, role: RoleRef, signal?: AbortSignal): Promise<RoleCredentialsSecret> {
    const out = await this.portal.send(new this.sdk.GetRoleCredentialsCommand({ accessToken, accountId: role.accountId, roleName: role.roleName }), {
      abortSignal: signal,
    });
    const c = out.roleCredentials;
    // Expiry is in server time; terminals compare it with this machine's clock. A skew beyond
    // the Date header's 1 s resolution is corrected so a slow local clock never serves dead keys.
    const skew = Math.abs(this.serverSkewMs) > 2_000 ? this.serverSkewMs : 0;
    return {
      accountId: role.accountId,
      roleName: role.roleName,
      accessKeyId: required(c?.accessKeyId, 'accessKeyId'),
      secretAccessKey: required(c?.secretAccessKey, 'secretAccessKey'),
      sessionToken: required(c?.sessionToken, 'sessionToken'),
      expiration: required(c?.expiration, 'expiration') - skew,
    };
  }

  /** Server clock minus local clock, as last seen (ms). */
  get clockSkewMs(): number {
    return this.serverSkewMs;
  }

  async endPortalSession(accessToken: string, signal?: AbortSignal): Promise<void> {
    await this.portal.send(new this.sdk.LogoutCommand({ accessToken }), { abortSignal: signal });
  }

  dispose(): void {
    this.oidc.destroy();
    this.portal.destroy();
  }
}

function required<T>(value: T | undefined | null, field: string): T {
  if (value === undefined || value === null || value === '') {
    throw new Error(`IAM Identity Center answered without "${field}".`);
  }
  return value;
}
