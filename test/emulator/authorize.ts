// The authorization-code grant with PKCE, as the real SSO OIDC service runs it for the AWS CLI
// (2.22+): RegisterClient with grant types, redirect URIs and issuer; the browser's GET /authorize,
// which (like the real service handing over to the access portal) sends the browser to a consent
// page on the verification host with Allow/Deny; a redirect back to the loopback listener with
// code and state (or error=access_denied); and CreateToken redeeming the code once, with the
// verifier whose S256 hash is the challenge and exactly the redirect URI /authorize was given.
import { createHash, randomBytes } from 'node:crypto';
import type { Context } from './context';
import { oidcError, xmlEscape as esc, type ApiResult } from './responses';
import type { AuthorizeRequest, RegisteredClient } from './state';
import { consentForm, page } from './consentPage';

const KNOWN_GRANTS = ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'];
const CONSENT_PATH = '/authorize/consent';
/** How long an authorization code (and an unanswered consent page) stays good. */
const CODE_TTL_MS = 5 * 60_000;
const REQUEST_TTL_MS = 10 * 60_000;

type Body = Record<string, unknown>;
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : undefined);

/** The PKCE fields of a RegisterClient body, checked as the service does; an ApiResult when refused. */
export function registrationFields(body: Body): Pick<RegisteredClient, 'grantTypes' | 'redirectUris' | 'issuerUrl'> | ApiResult {
  const grantTypes = strings(body.grantTypes);
  const redirectUris = strings(body.redirectUris);
  const issuerUrl = typeof body.issuerUrl === 'string' ? body.issuerUrl : undefined;
  const unknown = grantTypes?.find((g) => !KNOWN_GRANTS.includes(g));
  if (unknown) return oidcError(400, 'UnsupportedGrantTypeException', `Unsupported grant type: ${unknown}`);
  if (grantTypes?.includes('authorization_code')) {
    if (!redirectUris?.length) return oidcError(400, 'InvalidRequestException', 'redirectUris is required for the authorization_code grant');
    if (!issuerUrl) return oidcError(400, 'InvalidRequestException', 'issuerUrl is required for the authorization_code grant');
    const bad = redirectUris.find((u) => !acceptableRedirect(u));
    if (bad) return oidcError(400, 'InvalidRedirectUriException', 'Invalid redirect URI');
  }
  return { ...(grantTypes ? { grantTypes } : {}), ...(redirectUris ? { redirectUris } : {}), ...(issuerUrl ? { issuerUrl } : {}) };
}

/** Registered redirect URIs: https, or http on a loopback address; no fragment, no user info. */
function acceptableRedirect(value: string): boolean {
  try {
    const u = new URL(value);
    if (u.hash || u.username || u.password) return false;
    return u.protocol === 'https:' || (u.protocol === 'http:' && isLoopback(u.hostname));
  } catch {
    return false;
  }
}

const isLoopback = (h: string): boolean => h === '127.0.0.1' || h === 'localhost' || h === '[::1]';

/** RFC 8252 7.3: a loopback redirect matches a registered one whatever its port; everything else exactly. */
export function redirectMatches(registered: string[], wanted: string): boolean {
  let w: URL;
  try {
    w = new URL(wanted);
  } catch {
    return false;
  }
  return registered.some((r) => {
    const u = new URL(r);
    if (u.protocol === 'http:' && isLoopback(u.hostname) && w.protocol === 'http:') {
      return u.hostname === w.hostname && u.pathname === w.pathname && u.search === w.search;
    }
    return r === wanted;
  });
}

/** Whether a client may use a grant: one registered without grant types may use device code and refresh. */
export function allowsGrant(client: RegisteredClient, grant: string): boolean {
  return client.grantTypes ? client.grantTypes.includes(grant) : grant !== 'authorization_code';
}

export interface BrowserResult {
  status: number;
  /** A redirect (302) to here, else an HTML page. */
  location?: string;
  html?: string;
  clientId?: string;
}

const errorPage = (status: number, text: string): BrowserResult => ({ status, html: page('Sign-in error', `<p id="result">${esc(text)}</p>`) });

function back(redirectUri: string, params: Record<string, string | undefined>): BrowserResult {
  const u = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return { status: 302, location: u.toString() };
}

/** GET /authorize on the OIDC host. */
export function authorize(ctx: Context, q: URLSearchParams): BrowserResult {
  const client = ctx.state.clients.get(q.get('client_id') ?? '');
  const redirectUri = q.get('redirect_uri') ?? '';
  // Never redirect to an address the client did not register: an error page instead.
  if (!client || !client.redirectUris || !redirectMatches(client.redirectUris, redirectUri)) {
    return { ...errorPage(400, 'Invalid client or redirect URI.'), clientId: client?.clientId };
  }
  const state = q.get('state') ?? undefined;
  const challenge = q.get('code_challenge') ?? '';
  const refuse = (error: string, description: string): BrowserResult => ({
    ...back(redirectUri, { error, error_description: description, state }),
    clientId: client.clientId,
  });
  if (!allowsGrant(client, 'authorization_code')) return refuse('unauthorized_client', 'client not registered for authorization_code');
  if (q.get('response_type') !== 'code') return refuse('unsupported_response_type', 'response_type must be code');
  if (q.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(challenge))
    return refuse('invalid_request', 'an S256 code_challenge is required');
  const request: AuthorizeRequest = {
    id: randomBytes(16).toString('base64url'),
    clientId: client.clientId,
    redirectUri,
    state,
    codeChallenge: challenge,
    startUrl: client.issuerUrl,
    expiresAt: ctx.now() + REQUEST_TTL_MS,
  };
  // A warm portal session (autoApprove) redirects at once, as the real portal does.
  if (ctx.options.autoApprove) return { ...issueCode(ctx, request), clientId: client.clientId };
  ctx.state.authorizeRequests.set(request.id, request);
  return { status: 302, location: `http://${ctx.options.verificationHost}:${ctx.port}${CONSENT_PATH}?request=${request.id}`, clientId: client.clientId };
}

function issueCode(ctx: Context, r: AuthorizeRequest): BrowserResult {
  const code = ctx.state.issue(randomBytes(32).toString('base64url'), { inBrowserUrl: true });
  ctx.state.authCodes.set(code, {
    code,
    clientId: r.clientId,
    redirectUri: r.redirectUri,
    codeChallenge: r.codeChallenge,
    startUrl: r.startUrl,
    expiresAt: ctx.now() + CODE_TTL_MS,
    used: false,
  });
  return back(r.redirectUri, { code, state: r.state });
}

/** GET /authorize/consent on the verification host: the Allow/Deny page. */
export function consentPage(ctx: Context, id: string | null): BrowserResult {
  const r = id ? ctx.state.authorizeRequests.get(id) : undefined;
  if (!r || r.decided || r.expiresAt <= ctx.now()) return errorPage(404, 'This sign-in request is invalid or has expired.');
  const clientName = ctx.state.clients.get(r.clientId)?.clientName ?? 'unknown application';
  return {
    status: 200,
    clientId: r.clientId,
    html: page('Allow access?', consentForm({ clientName, startUrl: r.startUrl ?? '', action: CONSENT_PATH, hidden: ['request', r.id] })),
  };
}

/** POST /authorize/consent: back to the application with a code, or with error=access_denied. */
export function submitConsent(ctx: Context, form: URLSearchParams): BrowserResult {
  const action = form.get('action');
  const r = ctx.state.authorizeRequests.get(form.get('request') ?? '');
  if (action !== 'allow' && action !== 'deny') return errorPage(400, 'Choose Allow or Deny.');
  if (!r || r.decided || r.expiresAt <= ctx.now()) return errorPage(404, 'This sign-in request is invalid or has expired.');
  r.decided = action;
  if (action === 'deny')
    return { ...back(r.redirectUri, { error: 'access_denied', error_description: 'The user denied access', state: r.state }), clientId: r.clientId };
  return { ...issueCode(ctx, r), clientId: r.clientId };
}

/** CreateToken with grantType authorization_code: the code's checks; a string is the session's start URL. */
export function redeemCode(ctx: Context, client: RegisteredClient, body: Body, log: Body): { startUrl?: string } | ApiResult {
  const code = typeof body.code === 'string' ? body.code : '';
  const verifier = typeof body.codeVerifier === 'string' ? body.codeVerifier : '';
  const redirectUri = typeof body.redirectUri === 'string' ? body.redirectUri : '';
  if (!code || !verifier || !redirectUri) return oidcError(400, 'InvalidRequestException', 'code, codeVerifier and redirectUri are required', log);
  if (!allowsGrant(client, 'authorization_code')) return oidcError(400, 'UnauthorizedClientException', 'Client is not authorized for this grant', log);
  const grant = ctx.state.authCodes.get(code);
  if (!grant || grant.clientId !== client.clientId) return oidcError(400, 'InvalidGrantException', 'Invalid authorization code', log);
  // Single use: any redemption attempt spends it, so a wrong verifier cannot be retried.
  const wasUsed = grant.used;
  grant.used = true;
  if (wasUsed) return oidcError(400, 'InvalidGrantException', 'Authorization code has already been used', log);
  if (grant.expiresAt <= ctx.now()) return oidcError(400, 'InvalidGrantException', 'Authorization code has expired', log);
  if (grant.redirectUri !== redirectUri) return oidcError(400, 'InvalidGrantException', 'Redirect URI does not match', log);
  if (createHash('sha256').update(verifier, 'ascii').digest('base64url') !== grant.codeChallenge) {
    return oidcError(400, 'InvalidGrantException', 'Code verifier does not match the challenge', log);
  }
  return { startUrl: grant.startUrl };
}
