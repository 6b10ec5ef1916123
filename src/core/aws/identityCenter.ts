// The IAM Identity Center client: thin, typed calls over the real SDK v3 SSO OIDC and SSO portal
// clients (STS AssumeRole lives in credentials/assumeRole.ts, the INI loader in awsFiles/). The SDK
// is loaded on first use (aws/loadSdk.ts). Endpoints come from the SDK's own resolution
// (AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL_SSO, …) unless `endpoints` is given.
import type * as Sdk from './awsSdk';
import { SSO_SCOPE, type Account, type ClientRegistrationSecret, type RoleCredentialsSecret, type RoleRef } from '../common/model';
import { IdcError } from '../common/errors';
import { checkVerificationUri, guardTokenEndpoints } from './endpointGuard';
import { loadSdk } from './loadSdk';
import { networkSettings } from './network';
import { ResponseTooLargeError, bodySizeLimit, withDeadline } from './responseLimits';
import { clampSeconds, registrationExpiry, tokenLifetimeSeconds } from './serverValues';
import * as l10n from '@vscode/l10n';

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
export const AUTH_CODE_GRANTS = ['authorization_code', 'refresh_token'] as const;

/** Thrown by the endpoint probe to stop a request before it is sent. */
class EndpointFound extends Error {}

export interface IdentityCenterOptions {
  region: string;
  /** Explicit endpoints; leave empty so the SDK's environment and config resolution applies. */
  endpoints?: { oidc?: string; portal?: string };
  /** Attempts per call, including retries of throttling and 5xx done by the SDK's retry strategy. */
  maxAttempts?: number;
  /** Per-request socket timeout in ms, so a stalled server does not hang a sign-in. */
  requestTimeoutMs?: number;
  /** Deadline in ms for the whole answer of one call, retries included (a drip-fed body trips it). */
  deadlineMs?: number;
  /** The largest response body accepted, in bytes (a page of 100 accounts is about 15 KB). */
  maxResponseBytes?: number;
}

/** 3 attempts of the 15 s idle timeout would be 45 s; no answer of these APIs takes that long. */
const DEFAULT_DEADLINE_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

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
    private readonly limits: { deadlineMs: number; maxResponseBytes: number },
  ) {}

  static async create(options: IdentityCenterOptions): Promise<IdentityCenter> {
    const sdk = await loadSdk();
    // throwOnRequestTimeout: without it the SDK only warns about a stalled server and waits forever.
    // One handler per client, following the current proxy and CA settings on every request (aws/network.ts).
    const requestHandler = sdk.createRequestHandler({
      requestTimeout: options.requestTimeoutMs ?? 15_000,
      connectionTimeout: 5_000,
      throwOnRequestTimeout: true,
      settings: networkSettings,
    });
    const common = { region: options.region, maxAttempts: options.maxAttempts ?? 3, requestHandler };
    const oidc = new sdk.SSOOIDCClient({ ...common, ...(options.endpoints?.oidc ? { endpoint: options.endpoints.oidc } : {}) });
    const portal = new sdk.SSOClient({ ...common, ...(options.endpoints?.portal ? { endpoint: options.endpoints.portal } : {}) });
    const limits = { deadlineMs: options.deadlineMs ?? DEFAULT_DEADLINE_MS, maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES };
    // The client secret and tokens go only over https or to loopback (wherever AWS_ENDPOINT_URL* points).
    guardTokenEndpoints(oidc, 'SSO_OIDC');
    guardTokenEndpoints(portal, 'SSO');
    const ic = new IdentityCenter(sdk, oidc, portal, options.region, limits);
    // Low priority: between the request handler and the deserializer, so the raw body is counted.
    const sizeLimit = { step: 'deserialize', priority: 'low', name: 'awsIdcBodySizeLimit' } as const;
    oidc.middlewareStack.add(bodySizeLimit(limits.maxResponseBytes) as never, sizeLimit);
    portal.middlewareStack.add(bodySizeLimit(limits.maxResponseBytes) as never, sizeLimit);
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

  /**
   * `authCode`: a client for the authorization-code grant (what the AWS CLI registers since 2.22):
   * grant types authorization_code + refresh_token, the loopback redirect URI, the start URL as issuer.
   */
  async registerClient(clientName: string, signal?: AbortSignal, authCode?: { redirectUri: string; issuerUrl: string }): Promise<ClientRegistrationSecret> {
    const pkce = authCode ? { grantTypes: [...AUTH_CODE_GRANTS], redirectUris: [authCode.redirectUri], issuerUrl: authCode.issuerUrl } : {};
    const out = await this.send('RegisterClient', signal, (abortSignal) =>
      this.oidc.send(new this.sdk.RegisterClientCommand({ clientName, clientType: 'public', scopes: [SSO_SCOPE], ...pkce }), { abortSignal }),
    );
    return {
      clientId: required(out.clientId, 'clientId'),
      clientSecret: required(out.clientSecret, 'clientSecret'),
      expiresAt: registrationExpiry(out.clientSecretExpiresAt, Date.now()),
      region: this.region,
      scopes: [SSO_SCOPE],
      ...(authCode ? { grantTypes: [...AUTH_CODE_GRANTS] } : {}),
    };
  }

  /**
   * Where the OIDC calls go (scheme, host, port), as the SDK resolves it (AWS_ENDPOINT_URL_SSO_OIDC
   * included): the browser's /authorize page lives there. Found the way the AWS CLI does: a
   * RegisterClient that is built but never sent.
   */
  async oidcBaseUrl(): Promise<string> {
    const cmd = new this.sdk.RegisterClientCommand({ clientName: 'endpoint-probe', clientType: 'public' });
    let base: string | undefined;
    cmd.middlewareStack.add(
      () => async (args) => {
        const r = args.request as { protocol?: string; hostname?: string; port?: number };
        base = `${r.protocol ?? 'https:'}//${r.hostname}${r.port ? `:${r.port}` : ''}`;
        throw new EndpointFound();
      },
      { step: 'build', priority: 'high', name: 'awsIdcEndpointProbe' },
    );
    try {
      await this.oidc.send(cmd);
    } catch (e) {
      if (!(e instanceof EndpointFound)) throw e;
    }
    return required(base, 'endpoint');
  }

  async startDeviceAuthorization(client: ClientRegistrationSecret, startUrl: string, signal?: AbortSignal): Promise<DeviceAuthorization> {
    const out = await this.send('StartDeviceAuthorization', signal, (abortSignal) =>
      this.oidc.send(new this.sdk.StartDeviceAuthorizationCommand({ clientId: client.clientId, clientSecret: client.clientSecret, startUrl }), { abortSignal }),
    );
    return {
      deviceCode: required(out.deviceCode, 'deviceCode'),
      userCode: required(out.userCode, 'userCode'),
      // Opened in the browser later: only https, or http on loopback (an emulator).
      verificationUri: checkVerificationUri(required(out.verificationUri, 'verificationUri')),
      verificationUriComplete: checkVerificationUri(out.verificationUriComplete ?? required(out.verificationUri, 'verificationUri')),
      // Device codes live minutes; an interval beyond a minute would only stall the sign-in.
      expiresIn: clampSeconds(out.expiresIn, 600, 1, 3600),
      interval: clampSeconds(out.interval, 5, 1, 60),
    };
  }

  async createTokenWithDeviceCode(client: ClientRegistrationSecret, deviceCode: string, signal?: AbortSignal): Promise<TokenResponse> {
    return this.createToken({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: DEVICE_GRANT, deviceCode }, signal);
  }

  /** The authorization-code grant: the code from the redirect, the PKCE verifier, and exactly the redirect URI of /authorize. */
  async createTokenWithAuthCode(
    client: ClientRegistrationSecret,
    grant: { code: string; codeVerifier: string; redirectUri: string },
    signal?: AbortSignal,
  ): Promise<TokenResponse> {
    return this.createToken({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: 'authorization_code', ...grant }, signal);
  }

  async createTokenWithRefreshToken(client: ClientRegistrationSecret, refreshToken: string, signal?: AbortSignal): Promise<TokenResponse> {
    return this.createToken({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: 'refresh_token', refreshToken }, signal);
  }

  private async createToken(input: Sdk.CreateTokenCommandInput, signal?: AbortSignal): Promise<TokenResponse> {
    const out = await this.send('CreateToken', signal, (abortSignal) => this.oidc.send(new this.sdk.CreateTokenCommand(input), { abortSignal }));
    return {
      accessToken: required(out.accessToken, 'accessToken'),
      refreshToken: out.refreshToken,
      expiresIn: tokenLifetimeSeconds(out.expiresIn),
    };
  }

  async listAccounts(accessToken: string, nextToken?: string, signal?: AbortSignal): Promise<Page<Account>> {
    const out = await this.send('ListAccounts', signal, (abortSignal) =>
      this.portal.send(new this.sdk.ListAccountsCommand({ accessToken, nextToken, maxResults: 100 }), { abortSignal }),
    );
    const items = (out.accountList ?? [])
      .filter((a) => !!a.accountId)
      .map((a) => ({
        accountId: a.accountId!,
        accountName: a.accountName ?? a.accountId!,
        emailAddress: a.emailAddress,
      }));
    return { items, nextToken: out.nextToken, attempts: out.$metadata.attempts ?? 1 };
  }

  async listAccountRoles(accessToken: string, accountId: string, nextToken?: string, signal?: AbortSignal): Promise<Page<RoleRef>> {
    const out = await this.send('ListAccountRoles', signal, (abortSignal) =>
      this.portal.send(new this.sdk.ListAccountRolesCommand({ accessToken, accountId, nextToken, maxResults: 100 }), { abortSignal }),
    );
    const items = (out.roleList ?? []).filter((r) => !!r.roleName).map((r) => ({ accountId, roleName: r.roleName! }));
    return { items, nextToken: out.nextToken, attempts: out.$metadata.attempts ?? 1 };
  }

  async getRoleCredentials(accessToken: string, role: RoleRef, signal?: AbortSignal): Promise<RoleCredentialsSecret> {
    const out = await this.send('GetRoleCredentials', signal, (abortSignal) =>
      this.portal.send(new this.sdk.GetRoleCredentialsCommand({ accessToken, accountId: role.accountId, roleName: role.roleName }), { abortSignal }),
    );
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
    await this.send('Logout', signal, (abortSignal) => this.portal.send(new this.sdk.LogoutCommand({ accessToken }), { abortSignal }));
  }

  /** One SDK call under the whole-answer deadline; an oversized body becomes a clear error. */
  private async send<T>(operation: string, signal: AbortSignal | undefined, call: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await withDeadline(this.limits.deadlineMs, signal, call);
    } catch (e) {
      if (e instanceof ResponseTooLargeError) {
        throw new IdcError(
          'service',
          l10n.t({
            message: 'IAM Identity Center sent an answer to {0} larger than {1} KB, far more than a real one; it was refused. Try again later.',
            args: [operation, Math.round(e.maxBytes / 1024)],
            comment: ['{0}: an API operation name such as ListAccounts'],
          }),
          'ResponseTooLarge',
        );
      }
      throw e;
    }
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
