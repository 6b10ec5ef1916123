// SSO portal (restJson1, bearer token in x-amz-sso_bearer_token):
// ListAccounts, ListAccountRoles, GetRoleCredentials, Logout.
import type { Context } from './context';
import { hostileNextToken, madeUpItem, pageTokensFor } from './hostile';
import * as ids from './ids';
import { json, portalError, type ApiResult } from './responses';
import type { AccessToken } from './state';

export const BEARER_HEADER = 'x-amz-sso_bearer_token';

const unauthorized = (): ApiResult => portalError(401, 'UnauthorizedException', 'Session token not found or invalid');
const invalid = (message: string): ApiResult => portalError(400, 'InvalidRequestException', message);

function authorize(ctx: Context, token: string | undefined): AccessToken | ApiResult {
  return ctx.state.validAccessToken(token, ctx.now()) ?? unauthorized();
}

// Opaque page tokens: base64url JSON of the offset and the listing they belong to.
function encodePage(scope: string, offset: number): string {
  return Buffer.from(JSON.stringify({ s: scope, o: offset })).toString('base64url');
}

function decodePage(scope: string, tokenValue: string | null): number | undefined {
  if (tokenValue === null) return 0;
  try {
    const p = JSON.parse(Buffer.from(tokenValue, 'base64url').toString('utf8')) as { s?: unknown; o?: unknown };
    if (p.s === scope && typeof p.o === 'number' && Number.isInteger(p.o) && p.o >= 0) return p.o;
  } catch {
    /* fall through */
  }
  return undefined;
}

function pageSize(ctx: Context, q: URLSearchParams): number | undefined {
  const raw = q.get('max_result');
  if (raw === null) return Math.min(ctx.options.defaultPageSize, ctx.options.maxPageSize);
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 100 ? Math.min(n, ctx.options.maxPageSize) : undefined;
}

function paginate<T>(ctx: Context, q: URLSearchParams, scope: string, items: T[], key: string): ApiResult {
  const size = pageSize(ctx, q);
  if (size === undefined) return invalid('max_result must be between 1 and 100');
  const offset = decodePage(scope, q.get('next_token'));
  if (offset === undefined) return invalid('Invalid nextToken provided');
  const page: unknown[] = items.slice(offset, offset + size);
  const mode = pageTokensFor(ctx, scope);
  // 'endless' paging: past the end, every page is made-up items.
  for (let i = Math.max(offset, items.length); page.length < size && mode === 'endless'; i++) page.push(madeUpItem(scope, i));
  const body: Record<string, unknown> = { [key]: page };
  const next = hostileNextToken(mode, (o) => encodePage(scope, o), offset, size, items.length);
  if (next) body.nextToken = next;
  return json(body);
}

export function listAccounts(ctx: Context, q: URLSearchParams, token: string | undefined): ApiResult {
  const auth = authorize(ctx, token);
  if ('status' in auth) return auth;
  const items = ctx.state.accountsFor(auth).map((a) => ({ accountId: a.accountId, accountName: a.accountName, emailAddress: a.emailAddress }));
  return paginate(ctx, q, 'accounts', items, 'accountList');
}

export function listAccountRoles(ctx: Context, q: URLSearchParams, token: string | undefined): ApiResult {
  const auth = authorize(ctx, token);
  if ('status' in auth) return auth;
  const accountId = q.get('account_id');
  if (!accountId) return invalid('account_id is required');
  const account = ctx.state.account(accountId, auth);
  if (!account) return portalError(404, 'ResourceNotFoundException', 'Account not found', { accountId });
  const items = account.roles.map((roleName) => ({ roleName, accountId }));
  return { ...paginate(ctx, q, `roles:${accountId}`, items, 'roleList'), log: { accountId } };
}

export function getRoleCredentials(ctx: Context, q: URLSearchParams, token: string | undefined): ApiResult {
  const accountId = q.get('account_id') ?? undefined;
  const roleName = q.get('role_name') ?? undefined;
  const log = { accountId, roleName };
  const auth = authorize(ctx, token);
  if ('status' in auth) return { ...auth, log };
  if (!accountId || !roleName) return { ...invalid('role_name and account_id are required'), log };
  const account = ctx.state.account(accountId, auth);
  if (!account || !account.roles.includes(roleName)) {
    return portalError(404, 'ResourceNotFoundException', 'No access', log);
  }
  const key = issueRoleKey(ctx, accountId, roleName, ctx.options.userName, ctx.options.roleCredentialTtlSec, 'GetRoleCredentials');
  return json(
    {
      roleCredentials: {
        accessKeyId: key.accessKeyId,
        secretAccessKey: key.secretAccessKey,
        sessionToken: key.sessionToken,
        expiration: ctx.options.wireValues.roleExpiration ?? key.expiresAt, // epoch milliseconds
      },
    },
    200,
    { ...log, accessKeyId: key.accessKeyId },
  );
}

export function logout(ctx: Context, token: string | undefined): ApiResult {
  const auth = authorize(ctx, token);
  if ('status' in auth) return auth;
  // Ends the whole sign-in: every access and refresh token of that session.
  ctx.state.revokeSession(auth.sessionId);
  return { status: 200, contentType: 'application/json', body: '' };
}

/** Shared with STS AssumeRole: remember who each key belongs to, for GetCallerIdentity. */
export function issueRoleKey(
  ctx: Context,
  accountId: string,
  roleName: string,
  sessionName: string,
  ttlSec: number,
  source: 'GetRoleCredentials' | 'AssumeRole',
) {
  const { state } = ctx;
  const key = {
    accessKeyId: ids.newAccessKeyId(),
    secretAccessKey: state.issue(ids.newSecretAccessKey()),
    sessionToken: state.issue(ids.newSessionToken()),
    accountId,
    roleName,
    sessionName,
    expiresAt: ctx.now() + Math.round(ttlSec * 1000),
    source,
  };
  state.roleKeys.set(key.accessKeyId, key);
  return key;
}
