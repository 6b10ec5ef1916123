// The checks a request to the loopback credential endpoint passes before it is served, in order:
// header count (431) → Host (403, DNS rebinding) → browser markers (Origin, Sec-Fetch-Site,
// Sec-Fetch-User, a CORS preflight's Access-Control-Request-*) (403) → method (405) → path (404) → token (401, constant-time). Plus the small helpers the
// server answers with. Nothing here repeats into a response or the log what the client sent.
//
// Every check reads req.rawHeaders, never req.headers: Node keeps only the first
// `maxHeadersCount` headers in req.headers, so an Origin or a second Host after them would not be
// seen there. A request with more than MAX_HEADERS headers is refused rather than read in part.
import * as crypto from 'node:crypto';
import type * as http from 'node:http';
import { oneLineLabel } from '../common/labels';
import type { RoleCredentialsSecret } from '../common/model';
import { rfc3339 } from '../common/format';

/** Where a binding's credentials come from on each request. */
export type CredentialSource = () => Promise<RoleCredentialsSecret>;

export const HOST = '127.0.0.1';

/** Codes in refusal bodies (JS `fromHttp` surfaces `Code`/`Message` of 4xx answers). */
export type RefusalCode =
  'BadRequest' | 'RequestTimeout' | 'RequestHeaderFieldsTooLarge' | 'Forbidden' | 'MethodNotAllowed' | 'NotFound' | 'Unauthorized' | 'CredentialsUnavailable';

/**
 * Headers only a browser sends: a request carrying any of them comes from a web page. Not
 * Sec-Fetch-Mode or Sec-Fetch-Dest alone: Node's own fetch (undici) sends `sec-fetch-mode: cors` on
 * every request, so they would refuse a server-side program. A page's request always carries
 * Sec-Fetch-Site too (and Origin on a cross-origin or preflighted one).
 */
const BROWSER_HEADERS = new Set(['origin', 'sec-fetch-site', 'sec-fetch-user', 'access-control-request-method', 'access-control-request-headers']);
/** Headers that must not appear twice (Node keeps only the first; a proxy might keep the other). */
const SINGLE_HEADERS = new Set(['host', 'authorization']);
/** No SDK sends more than a dozen headers; more than this is refused (431), never read in part. */
export const MAX_HEADERS = 100;
/** The server's maxHeadersCount: one more than MAX_HEADERS, so rawHeaders shows that there were too many. */
export const MAX_HEADERS_READ = MAX_HEADERS + 1;

export interface BindingEntry {
  readonly label: string;
  readonly tokenDigest: Buffer;
  readonly source: CredentialSource;
  revoked: boolean;
}

export class Refusal {
  constructor(
    readonly status: number,
    readonly code: RefusalCode,
    readonly message: string,
    /** For the log only; never holds anything the client sent. */
    readonly reason: string,
    readonly label?: string,
  ) {}
}

/** The binding a request may read, or why it may not. */
export function checkRequest(
  req: http.IncomingMessage,
  port: number,
  allowedHosts: ReadonlySet<string>,
  bindings: ReadonlyMap<string, BindingEntry>,
): BindingEntry | Refusal {
  const raw = req.rawHeaders;
  if (raw.length / 2 > MAX_HEADERS) {
    return new Refusal(431, 'RequestHeaderFieldsTooLarge', 'Request headers are too large.', `more than ${MAX_HEADERS} headers`);
  }
  const single = new Map<string, string>();
  let browser: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (SINGLE_HEADERS.has(name)) {
      if (single.has(name)) return new Refusal(400, 'BadRequest', 'Bad request.', `duplicate ${name} header`);
      single.set(name, raw[i + 1]);
    } else if (browser === undefined && BROWSER_HEADERS.has(name)) {
      browser = name;
    }
  }
  const host = single.get('host')?.toLowerCase();
  if (!host || !allowedHosts.has(host)) {
    return new Refusal(403, 'Forbidden', `Requests must be addressed to ${HOST}:${port}.`, host ? 'wrong Host header' : 'missing Host header');
  }
  if (browser !== undefined) {
    return new Refusal(403, 'Forbidden', 'Browser requests are not served credentials.', `${browser} header present`);
  }
  if (req.method !== 'GET') {
    return new Refusal(405, 'MethodNotAllowed', 'Only GET is allowed.', `method ${sanitizeMethod(req.method)}`);
  }
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const pathname = q === -1 ? url : url.slice(0, q);
  const entry = pathname.startsWith('/') && !pathname.includes('/', 1) ? bindings.get(pathname.slice(1)) : undefined;
  if (!entry || entry.revoked) return new Refusal(404, 'NotFound', 'Not found.', 'unknown path');
  const authorization = single.get('authorization');
  if (authorization === undefined) {
    return new Refusal(401, 'Unauthorized', 'The Authorization header is missing.', 'missing token', entry.label);
  }
  if (!crypto.timingSafeEqual(digest(authorization), entry.tokenDigest)) {
    return new Refusal(401, 'Unauthorized', 'The Authorization header is not valid for this endpoint.', 'wrong token', entry.label);
  }
  return entry;
}

export class SourceTimeout extends Error {
  constructor() {
    super('The credential source did not answer in time.');
    this.name = 'TimeoutError';
  }
}

/**
 * Whether the request asks for the credential_process JSON (`?format=process`) instead of the
 * container-credentials one: our credential_process script prints the body as it is, so it needs
 * no JSON parser. The same binding, path and token checks apply.
 */
export function wantsProcessFormat(url: string | undefined): boolean {
  const q = (url ?? '').indexOf('?');
  return q !== -1 && new URLSearchParams(url!.slice(q + 1)).get('format') === 'process';
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new SourceTimeout()), ms);
    timer.unref();
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** SHA-256 of the UTF-8 bytes: equal-length inputs for timingSafeEqual, so lengths never leak. */
export function digest(value: string): Buffer {
  return crypto.createHash('sha256').update(value, 'utf8').digest();
}

export function responseHeaders(body: string): Record<string, string | number> {
  return {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };
}

export function hasBody(req: http.IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

export function sanitizeLabel(label: string): string {
  return oneLineLabel(label) || 'unnamed';
}

/** Methods and error codes are tokens; anything else is not repeated into the log. */
export function sanitizeMethod(value: string | undefined): string {
  return value && /^[A-Z_]{1,24}$/.test(value) ? value : 'other';
}

/** The 200 body: the container-credentials shape, or with `?format=process` the credential_process one (the terminal profile's script prints it as it is). */
export function credentialsBody(creds: RoleCredentialsSecret, processFormat: boolean): string {
  return JSON.stringify(
    processFormat
      ? {
          Version: 1,
          AccessKeyId: creds.accessKeyId,
          SecretAccessKey: creds.secretAccessKey,
          SessionToken: creds.sessionToken,
          Expiration: rfc3339(creds.expiration),
        }
      : {
          AccessKeyId: creds.accessKeyId,
          SecretAccessKey: creds.secretAccessKey,
          Token: creds.sessionToken,
          Expiration: rfc3339(creds.expiration),
          AccountId: creds.accountId,
        },
  );
}
