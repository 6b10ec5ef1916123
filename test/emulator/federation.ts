// The AWS federation endpoint (signin.aws.amazon.com/federation), enough to prove a console sign-in:
// getSigninToken trades temporary credentials for a single-use token; login shows who signed in.
import type { Context } from './context';
import { token } from './ids';
import { json, type ApiResult } from './responses';

const SIGNIN_TOKEN_TTL_MS = 15 * 60_000;

export interface FederationResult {
  status: number;
  contentType: string;
  body: string;
  operation: 'GetSigninToken' | 'ConsoleLogin';
  accessKeyId?: string;
  errorType?: string;
}

export function federation(ctx: Context, q: URLSearchParams): FederationResult {
  const action = q.get('Action');
  if (action === 'getSigninToken') return { operation: 'GetSigninToken', ...getSigninToken(ctx, q) };
  if (action === 'login') return consoleLogin(ctx, q);
  return { operation: 'ConsoleLogin', status: 400, contentType: 'text/plain', body: `Unknown Action ${action ?? ''}`, errorType: 'InvalidAction' };
}

function getSigninToken(ctx: Context, q: URLSearchParams): ApiResult & { accessKeyId?: string } {
  let session: { sessionId?: unknown; sessionKey?: unknown; sessionToken?: unknown };
  try {
    session = JSON.parse(q.get('Session') ?? '');
  } catch {
    return { ...json({ message: 'Session is not JSON' }, 400), errorType: 'InvalidSession' };
  }
  const key = typeof session.sessionId === 'string' ? ctx.state.roleKeys.get(session.sessionId) : undefined;
  const valid = key && key.secretAccessKey === session.sessionKey && key.sessionToken === session.sessionToken && key.expiresAt > ctx.now();
  if (!key || !valid) return { ...json({ message: 'Invalid or expired credentials' }, 400), errorType: 'InvalidCredentials' };
  // AWS refuses SessionDuration for sessions that were themselves assumed with temporary credentials.
  if (q.has('SessionDuration') && key.source === 'AssumeRole') {
    return {
      ...json({ message: 'SessionDuration is not allowed for role-chained sessions' }, 400),
      errorType: 'InvalidSessionDuration',
      accessKeyId: key.accessKeyId,
    };
  }
  const signinToken = token('fst', 48);
  ctx.state.signinTokens.set(signinToken, { accessKeyId: key.accessKeyId, expiresAt: ctx.now() + SIGNIN_TOKEN_TTL_MS, used: false });
  return { ...json({ SigninToken: signinToken }), accessKeyId: key.accessKeyId };
}

function consoleLogin(ctx: Context, q: URLSearchParams): FederationResult {
  const entry = ctx.state.signinTokens.get(q.get('SigninToken') ?? '');
  const key = entry && ctx.state.roleKeys.get(entry.accessKeyId);
  if (!entry || !key || entry.used || entry.expiresAt <= ctx.now()) {
    return {
      operation: 'ConsoleLogin',
      status: 400,
      contentType: 'text/html; charset=utf-8',
      body: page('Sign-in failed', 'The sign-in token is invalid, used or expired.'),
      errorType: 'InvalidSigninToken',
    };
  }
  entry.used = true;
  const arn = `arn:aws:sts::${key.accountId}:assumed-role/${key.roleName}/${key.sessionName}`;
  const body = page('AWS Management Console (emulated)', `Signed in as ${arn}. Destination: ${q.get('Destination') ?? ''}. Issuer: ${q.get('Issuer') ?? ''}.`);
  return { operation: 'ConsoleLogin', status: 200, contentType: 'text/html; charset=utf-8', body, accessKeyId: key.accessKeyId };
}

function page(title: string, text: string): string {
  const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1><p id="who">${esc(text)}</p></body></html>`;
}
