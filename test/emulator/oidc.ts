// SSO OIDC (restJson1, no auth): RegisterClient, StartDeviceAuthorization, CreateToken.
import { verificationUri, wireSeconds, type Context } from './context';
import * as ids from './ids';
import { json, oidcError, type ApiResult } from './responses';
import type { RegisteredClient } from './state';
import { allowsGrant, redeemCode, registrationFields } from './authorize';

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
export const REFRESH_SCOPE = 'sso:account:access';
/** A poll this close to the interval still counts as on time (clients' timers jitter). */
const SLOW_DOWN_TOLERANCE = 0.9;

type Body = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const trimSlash = (u: string): string => u.replace(/\/+$/, '');

export function registerClient(ctx: Context, body: Body): ApiResult {
  const clientName = str(body.clientName);
  const clientType = str(body.clientType);
  if (!clientName || !clientType) return oidcError(400, 'InvalidRequestException', 'clientName and clientType are required');
  if (clientType !== 'public') return oidcError(400, 'InvalidClientMetadataException', `Invalid client type: ${clientType}`);
  const scopes = Array.isArray(body.scopes) ? body.scopes.map(String) : [];
  const pkce = registrationFields(body);
  if ('status' in pkce) return pkce;
  const now = ctx.now();
  const client: RegisteredClient = {
    clientId: ids.newClientId(),
    clientSecret: ctx.state.issue(ids.newClientSecret()),
    clientName,
    clientType,
    scopes,
    issuedAt: now,
    secretExpiresAt: now + ctx.options.clientSecretTtlSec * 1000,
    ...pkce,
  };
  ctx.state.clients.set(client.clientId, client);
  return json(
    {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      clientIdIssuedAt: Math.floor(now / 1000),
      clientSecretExpiresAt: ctx.options.wireValues.clientSecretExpiresAt ?? Math.floor(client.secretExpiresAt / 1000),
    },
    200,
    { clientId: client.clientId },
  );
}

function authenticateClient(ctx: Context, body: Body): RegisteredClient | ApiResult {
  const clientId = str(body.clientId);
  const client = clientId ? ctx.state.clients.get(clientId) : undefined;
  if (!client || client.clientSecret !== body.clientSecret) {
    return oidcError(401, 'InvalidClientException', 'Invalid client', { clientId });
  }
  if (client.secretExpiresAt <= ctx.now()) {
    return oidcError(401, 'InvalidClientException', 'Client secret has expired', { clientId });
  }
  return client;
}

export function startDeviceAuthorization(ctx: Context, body: Body): ApiResult {
  if (!str(body.clientId) || !str(body.clientSecret) || !str(body.startUrl)) {
    return oidcError(400, 'InvalidRequestException', 'clientId, clientSecret and startUrl are required');
  }
  const client = authenticateClient(ctx, body);
  if ('status' in client) return client;
  if (!allowsGrant(client, DEVICE_GRANT))
    return oidcError(400, 'UnauthorizedClientException', 'Client is not authorized for the device code grant', { clientId: client.clientId });
  const startUrl = String(body.startUrl);
  if (![...ctx.options.startUrl, ...Object.keys(ctx.options.portals)].some((u) => trimSlash(u) === trimSlash(startUrl))) {
    return oidcError(400, 'InvalidRequestException', `Invalid start URL: ${startUrl}`, { clientId: client.clientId });
  }
  const now = ctx.now();
  let userCode = ids.newUserCode();
  while (ctx.state.deviceByUserCode(userCode)) userCode = ids.newUserCode();
  const device = {
    deviceCode: ctx.state.issue(ids.newDeviceCode()),
    userCode,
    clientId: client.clientId,
    startUrl,
    createdAt: now,
    expiresAt: now + ctx.options.deviceCodeTtlSec * 1000,
    intervalSec: ctx.options.interval,
    status: ctx.options.autoApprove ? ('approved' as const) : ('pending' as const),
  };
  ctx.state.devices.set(device.deviceCode, device);
  return json(
    {
      deviceCode: device.deviceCode,
      userCode,
      verificationUri: verificationUri(ctx),
      verificationUriComplete: verificationUri(ctx, userCode),
      expiresIn: wireSeconds(ctx.options.deviceCodeTtlSec),
      interval: wireSeconds(ctx.options.interval),
    },
    200,
    { clientId: client.clientId, userCode },
  );
}

export function createToken(ctx: Context, body: Body): ApiResult {
  const grantType = str(body.grantType);
  if (!str(body.clientId) || !str(body.clientSecret) || !grantType) {
    return oidcError(400, 'InvalidRequestException', 'clientId, clientSecret and grantType are required', { grantType });
  }
  const client = authenticateClient(ctx, body);
  if ('status' in client) return { ...client, log: { ...client.log, grantType } };
  const log = { clientId: client.clientId, grantType };
  if ([DEVICE_GRANT, 'refresh_token', 'authorization_code'].includes(grantType) && !allowsGrant(client, grantType)) {
    return oidcError(400, 'UnauthorizedClientException', 'Client is not authorized for this grant', log);
  }
  if (grantType === 'authorization_code') {
    const redeemed = redeemCode(ctx, client, body, log);
    return 'status' in redeemed ? redeemed : issueTokens(ctx, client, ctx.state.newSessionId(), log, undefined, redeemed.startUrl);
  }
  if (grantType === DEVICE_GRANT) return deviceGrant(ctx, client, str(body.deviceCode), log);
  if (grantType === 'refresh_token') return refreshGrant(ctx, client, str(body.refreshToken), log);
  return oidcError(400, 'UnsupportedGrantTypeException', `Unsupported grant type: ${grantType}`, log);
}

function deviceGrant(ctx: Context, client: RegisteredClient, deviceCode: string | undefined, log: Body): ApiResult {
  if (!deviceCode) return oidcError(400, 'InvalidRequestException', 'deviceCode is required', log);
  const device = ctx.state.devices.get(deviceCode);
  if (!device || device.clientId !== client.clientId || device.status === 'consumed') {
    return oidcError(400, 'InvalidGrantException', 'Invalid device code provided', log);
  }
  const logWithCode = { ...log, userCode: device.userCode };
  const now = ctx.now();
  if (device.expiresAt <= now) {
    return oidcError(400, 'ExpiredTokenException', 'Device code has expired', logWithCode);
  }
  if (device.status === 'denied') {
    return oidcError(400, 'AccessDeniedException', 'Access denied by user', logWithCode);
  }
  if (device.status === 'pending') {
    const last = device.lastPollAt;
    device.lastPollAt = now;
    // Only polls while pending are rate-checked; the first poll is always allowed.
    if (ctx.options.enforceSlowDown && last !== undefined && now - last < device.intervalSec * 1000 * SLOW_DOWN_TOLERANCE) {
      return oidcError(400, 'SlowDownException', 'Client is polling too quickly', logWithCode);
    }
    return oidcError(400, 'AuthorizationPendingException', 'Authorization is still pending', logWithCode);
  }
  device.status = 'consumed';
  return issueTokens(ctx, client, ctx.state.newSessionId(), logWithCode, undefined, device.startUrl);
}

function refreshGrant(ctx: Context, client: RegisteredClient, refreshToken: string | undefined, log: Body): ApiResult {
  if (!refreshToken) return oidcError(400, 'InvalidRequestException', 'refreshToken is required', log);
  const rt = ctx.state.refreshTokens.get(refreshToken);
  if (!rt || rt.revoked || rt.clientId !== client.clientId) {
    return oidcError(400, 'InvalidGrantException', 'Invalid refresh token provided', log);
  }
  const rotate = ctx.options.rotateRefreshTokens;
  if (rotate) rt.revoked = true;
  return issueTokens(ctx, client, rt.sessionId, log, rotate ? undefined : rt.token, rt.startUrl);
}

function issueTokens(ctx: Context, client: RegisteredClient, sessionId: number, log: Body, keepRefresh?: string, startUrl?: string): ApiResult {
  const { state, options } = ctx;
  const accessToken = state.issue(ids.newAccessToken());
  state.accessTokens.set(accessToken, {
    token: accessToken,
    clientId: client.clientId,
    sessionId,
    expiresAt: ctx.now() + options.accessTokenTtlSec * 1000,
    revoked: false,
    startUrl,
  });
  const out: Record<string, unknown> = {
    accessToken,
    tokenType: 'Bearer',
    expiresIn: options.wireValues.tokenExpiresIn ?? wireSeconds(options.accessTokenTtlSec),
  };
  // Refresh tokens only for clients that registered the portal scope (and when not switched off,
  // to model a sign-in that cannot be renewed).
  if (client.scopes.includes(REFRESH_SCOPE) && options.issueRefreshTokens) {
    const refreshToken = keepRefresh ?? state.issue(ids.newRefreshToken());
    if (!keepRefresh) state.refreshTokens.set(refreshToken, { token: refreshToken, clientId: client.clientId, sessionId, revoked: false, startUrl });
    out.refreshToken = refreshToken;
  }
  if (options.issueIdToken) out.idToken = state.issue(ids.newIdToken());
  return json(out, 200, log);
}

/** Approve/deny from the page or control API (no code: the latest pending). Returns the user code, or undefined if nothing pending matched. */
export function decide(ctx: Context, userCode: string | undefined, approve: boolean): string | undefined {
  const device = userCode ? ctx.state.deviceByUserCode(userCode) : ctx.state.pendingDevices(ctx.now()).at(-1);
  if (!device || device.status !== 'pending' || device.expiresAt <= ctx.now()) return undefined;
  device.status = approve ? 'approved' : 'denied';
  return device.userCode;
}
