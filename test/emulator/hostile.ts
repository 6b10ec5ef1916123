// Misbehaving-server knobs: a body dripped one byte at a time, an error type that echoes what the
// client sent, a page streamed with more accounts than any organisation has, page tokens that repeat
// or never end. Each is off unless a test turns it on (options.ts, faults.ts).
import type * as http from 'node:http';
import type { Context } from './context';
import type { PageTokens } from './options';
import type { ApiResult } from './responses';

/** A made-up 12-digit account id for item `i` of an endless or huge listing. */
export const madeUpAccountId = (i: number): string => String(900_000_000_000 + i);

/** Items past the end of a listing, for 'endless' paging: new accounts, or new roles of one account. */
export function madeUpItem(scope: string, i: number): Record<string, string> {
  if (scope === 'accounts') return { accountId: madeUpAccountId(i), accountName: `Endless ${i}`, emailAddress: `endless-${i}@example.com` };
  return { roleName: `EndlessRole${i}`, accountId: scope.slice('roles:'.length) };
}

/** The nextToken to hand out after a page, under the pageTokens knob. */
export function hostileNextToken(mode: PageTokens, encode: (offset: number) => string, offset: number, size: number, total: number): string | undefined {
  if (mode === 'repeat') return encode(size); // always "page 2"
  if (mode === 'endless' || offset + size < total) return encode(offset + size);
  return undefined;
}

/** The pageTokens knob for a listing scope ('accounts' or 'roles:<id>'). */
export function pageTokensFor(ctx: Context, scope: string): PageTokens {
  return ctx.options.pageTokens[scope === 'accounts' ? 'ListAccounts' : 'ListAccountRoles'] ?? 'normal';
}

/** The 'echo' fault: whatever secret the request carried, reflected in the error type and message. */
export function echoFault(service: 'oidc' | 'portal' | 'sts', req: http.IncomingMessage, rawBody: string, bearer: string | undefined): ApiResult {
  let sent = bearer ?? '';
  try {
    const body = JSON.parse(rawBody) as { clientSecret?: unknown };
    if (typeof body.clientSecret === 'string') sent = body.clientSecret;
  } catch {
    /* not JSON: the bearer token (portal) or nothing */
  }
  const message = `Request rejected: ${rawBody || req.url} (token ${bearer ?? 'none'})`;
  const body = service === 'oidc' ? { error: sent, error_description: message, message } : { message, __type: sent };
  return { status: 400, contentType: 'application/json', headers: { 'x-amzn-errortype': sent || 'Echo' }, body: JSON.stringify(body), errorType: 'echo' };
}

/** Writes `r` with its body one byte every `intervalMs`; `track` keeps the socket for stop(). */
export function sendDrip(res: http.ServerResponse, r: ApiResult, headers: Record<string, string>, intervalMs: number): void {
  const body = Buffer.from(r.body, 'utf8');
  res.writeHead(r.status, { ...headers, 'content-length': String(body.length) });
  let i = 0;
  const timer = setInterval(() => {
    if (res.destroyed || i >= body.length) {
      clearInterval(timer);
      if (!res.destroyed) res.end();
      return;
    }
    res.write(body.subarray(i, ++i));
  }, intervalMs);
  res.once('close', () => clearInterval(timer));
}

/** ListAccounts under hugePageAccounts: one page of `count` accounts, generated and written as the client reads. */
export function sendHugePage(res: http.ServerResponse, headers: Record<string, string>, count: number): void {
  res.writeHead(200, { ...headers, 'content-type': 'application/json' });
  let i = 0;
  const CHUNK = 1_000;
  const pump = (): void => {
    while (i < count && !res.destroyed) {
      const parts: string[] = [];
      for (const end = Math.min(i + CHUNK, count); i < end; i++) {
        parts.push((i === 0 ? '{"accountList":[' : ',') + JSON.stringify(madeUpItem('accounts', i)));
      }
      if (!res.write(parts.join(''))) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end(count === 0 ? '{"accountList":[]}' : ']}');
  };
  pump();
}
