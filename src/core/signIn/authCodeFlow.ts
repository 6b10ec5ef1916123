// The authorization-code grant with PKCE against SSO OIDC, as the AWS CLI runs it since 2.22: the
// loopback listener is bound first, the browser opens /authorize on the OIDC endpoint with the S256
// challenge and a random state, the redirect brings the code back, and CreateToken redeems it with
// the verifier and exactly the same redirect URI. The verifier, state and code are never logged.
import * as l10n from '@vscode/l10n';
import type { IdentityCenter, TokenResponse } from '../aws/identityCenter';
import { checkVerificationUri } from '../aws/endpointGuard';
import { toIdcError } from '../common/errors';
import type { Logger } from '../common/log';
import { silentLogger } from '../common/log';
import { SSO_SCOPE, type ClientRegistrationSecret } from '../common/model';
import { listenForRedirect, CALLBACK_PATH } from './loopbackRedirect';
import { newPkcePair, newState } from './pkce';

/** What the AWS CLI registers: loopback, no port (the service matches any port on loopback, RFC 8252). */
export const REGISTERED_REDIRECT_URI = `http://127.0.0.1${CALLBACK_PATH}`;

export interface AuthCodeFlowOptions {
  startUrl: string;
  /** Opens the authorization page in the user's browser. */
  openBrowser: (url: string) => void | Promise<void>;
  /**
   * A remote window: the address the user's browser reaches the listener at (vscode.env.asExternalUri);
   * undefined keeps the local one. Only a loopback address with the same path is used (forwardedRedirect).
   */
  externalRedirect?: (localRedirectUri: string) => Promise<string | undefined>;
  /** Without a usable forwarded address, give up (RedirectUnreachable) instead of using the local one. */
  requireForwarded?: boolean;
  /** The client for the authorization-code grant (cached apart from the device-code one). */
  registration: (signal?: AbortSignal) => Promise<ClientRegistrationSecret>;
  signal?: AbortSignal;
  /** How long to wait for the browser (default 10 minutes, as the AWS CLI). */
  timeoutMs?: number;
  /** Told the listener's port once it is bound (tests check it is freed afterwards). */
  onListening?: (port: number) => void;
  log?: Logger;
}

export async function runAuthCodeFlow(
  ic: IdentityCenter,
  options: AuthCodeFlowOptions,
): Promise<{ tokens: TokenResponse; registration: ClientRegistrationSecret }> {
  const log = options.log ?? silentLogger;
  const target = { startUrl: options.startUrl, region: ic.region };
  const pkce = newPkcePair();
  const state = newState();
  // Bound before anything else: a warm portal session redirects as soon as the page opens.
  const listener = await listenForRedirect(state);
  try {
    options.onListening?.(listener.port);
    const external = options.externalRedirect ? await options.externalRedirect(listener.redirectUri) : undefined;
    const forwarded = external ? forwardedRedirect(listener.redirectUri, external) : undefined;
    if (options.externalRedirect && !forwarded) {
      log.info(`[signIn] the editor gave no loopback address on the browser's side for the redirect (${external ? 'another address' : 'none'})`);
      if (options.requireForwarded) throw new RedirectUnreachable();
    }
    const redirectUri = forwarded ?? listener.redirectUri;
    let registration: ClientRegistrationSecret;
    let url: string;
    try {
      registration = await options.registration(options.signal);
      url = authorizeUrl(await ic.oidcBaseUrl(), { clientId: registration.clientId, redirectUri, state, challenge: pkce.challenge });
    } catch (e) {
      throw toIdcError(e, l10n.t('Sign-in'), target);
    }
    log.info(`[signIn] waiting on 127.0.0.1:${listener.port} for the browser (authorization code with PKCE)`);
    await options.openBrowser(url);
    const code = await listener.wait({ signal: options.signal, timeoutMs: options.timeoutMs });
    if (listener.refused) log.warn(`[signIn] refused ${listener.refused} redirect(s) that did not carry this sign-in's state`);
    try {
      const tokens = await ic.createTokenWithAuthCode(registration, { code, codeVerifier: pkce.verifier, redirectUri }, options.signal);
      return { tokens, registration };
    } catch (e) {
      throw toIdcError(e, l10n.t('Sign-in'), target);
    }
  } finally {
    await listener.close();
  }
}

/** The browser could not reach the listener (a remote window without a loopback forward): use the device code. */
export class RedirectUnreachable extends Error {
  constructor() {
    super('the redirect cannot reach this extension host');
    this.name = 'RedirectUnreachable';
  }
}

/** The /authorize address on the OIDC endpoint; https, or http on loopback (an emulator), only. */
export function authorizeUrl(oidcBase: string, p: { clientId: string; redirectUri: string; state: string; challenge: string }): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: p.clientId,
    redirect_uri: p.redirectUri,
    state: p.state,
    code_challenge_method: 'S256',
    scopes: SSO_SCOPE,
    code_challenge: p.challenge,
  });
  return checkVerificationUri(`${oidcBase.replace(/\/+$/, '')}/authorize?${query.toString()}`);
}

/**
 * The forwarded redirect URI to use, or undefined: only http://127.0.0.1:<port> with the listener's
 * path (the registered redirect is loopback; a proxy path or another host would never match it).
 */
export function forwardedRedirect(local: string, external: string): string | undefined {
  let url: URL;
  try {
    url = new URL(external);
  } catch {
    return undefined;
  }
  const ok = url.protocol === 'http:' && url.hostname === '127.0.0.1' && !!url.port && url.pathname === new URL(local).pathname && !url.search && !url.username;
  return ok ? `http://127.0.0.1:${url.port}${url.pathname}` : undefined;
}
