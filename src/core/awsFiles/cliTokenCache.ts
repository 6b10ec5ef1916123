// The AWS CLI's SSO token cache (~/.aws/sso/cache/<sha1>.json), read and written byte-for-byte the
// way the CLI does, so one sign-in serves both tools and either may refresh it.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Clock, systemClock } from '../common/clock';
import { rfc3339 } from '../common/format';
import { SSO_SCOPE, type ClientRegistrationSecret, type SsoTarget, type SsoTokenSecret } from '../common/model';
import { sameStartUrl } from '../common/validate';
import { homeDir, writeAtomic } from './files';

/** A sign-in found in the CLI cache. Secret. */
export interface CliSignInSecret {
  token: SsoTokenSecret;
  /** The OIDC client the refresh token belongs to (absent in files without one). */
  registration?: ClientRegistrationSecret;
}

/** What the session needs from the CLI cache; CliTokenCache implements it. */
export interface CliTokenStore {
  /**
   * The valid sign-in cached for this target, if any. `allowExpired` also returns expired ones.
   * `onIgnored` hears why a file that is there was not used when it looks damaged or hostile (no secrets).
   */
  read(target: SsoTarget, options?: CliReadOptions): Promise<CliSignInSecret | undefined>;
  write(token: SsoTokenSecret, registration?: ClientRegistrationSecret): Promise<void>;
  /** Deletes the file only while it still holds this token (never a newer sign-in). */
  remove(token: SsoTokenSecret): Promise<void>;
}

export interface CliReadOptions {
  allowExpired?: boolean;
  onIgnored?: (why: string) => void;
}

/** The CLI's files are about 2 KB; anything near this is not a token cache file. */
export const MAX_CACHE_FILE_BYTES = 64 * 1024;
/** Real tokens and client secrets are a few KB of printable ASCII (they travel in HTTP headers and JSON). */
const MAX_SECRET_CHARS = 16 * 1024;
const PLAUSIBLE_SECRET = /^[\x21-\x7e]+$/;

/** Why a secret field from the file is not usable as one, or undefined when it is (or is absent, if optional). */
function implausible(name: string, value: unknown, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string') return `${name} is not a string`;
  if (value.length > MAX_SECRET_CHARS) return `${name} is ${value.length} characters long`;
  if (!PLAUSIBLE_SECRET.test(value)) return `${name} holds characters no token has`;
  return undefined;
}

export interface CliTokenCacheOptions {
  home?: string;
  clock?: Clock;
}

/** File name key: sha1 of the sso-session name, or of the start URL for legacy profiles. */
export function cliCacheKey(target: { startUrl: string; sessionName?: string }): string {
  return createHash('sha1')
    .update(target.sessionName ?? target.startUrl, 'utf8')
    .digest('hex');
}

/** Accepts the CLI's form, JS's toISOString form, offsets, and the `UTC` suffix older CLIs wrote. */
export function parseCliTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?)\s*(Z|UTC|[+-]\d{2}:?\d{2})$/i.exec(value.trim());
  if (!m) return undefined;
  const zone = /^(z|utc)$/i.test(m[2]) ? 'Z' : m[2].length === 5 ? `${m[2].slice(0, 3)}:${m[2].slice(3)}` : m[2];
  const ms = Date.parse(`${m[1].replace(' ', 'T')}${zone}`);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * The file's exact bytes: Python's json.dumps defaults (separators ", " and ": ", non-ASCII escaped),
 * the CLI's key order, absent fields omitted, no trailing newline.
 */
export function formatCliToken(token: SsoTokenSecret, registration?: ClientRegistrationSecret): string {
  const fields: [string, string | undefined][] = [
    ['startUrl', token.startUrl],
    ['region', token.region],
    ['accessToken', token.accessToken],
    // `YYYY-MM-DDTHH:MM:SSZ`, what Python's strftime in the CLI writes.
    ['expiresAt', rfc3339(token.expiresAt)],
  ];
  // A registration from another region cannot refresh this token.
  if (registration && registration.region === token.region) {
    fields.push(['clientId', registration.clientId], ['clientSecret', registration.clientSecret], ['registrationExpiresAt', rfc3339(registration.expiresAt)]);
  }
  fields.push(['refreshToken', token.refreshToken]);
  const body = fields.filter(([, v]) => v !== undefined).map(([k, v]) => `${pyJson(k)}: ${pyJson(v!)}`);
  return `{${body.join(', ')}}`;
}

function pyJson(s: string): string {
  return JSON.stringify(s).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export class CliTokenCache implements CliTokenStore {
  private readonly home: string;
  private readonly clock: Clock;

  constructor(options: CliTokenCacheOptions = {}) {
    this.home = options.home ?? homeDir();
    this.clock = options.clock ?? systemClock;
  }

  get directory(): string {
    return path.join(this.home, '.aws', 'sso', 'cache');
  }

  pathFor(target: { startUrl: string; sessionName?: string }): string {
    return path.join(this.directory, `${cliCacheKey(target)}.json`);
  }

  async read(target: SsoTarget, options: CliReadOptions = {}): Promise<CliSignInSecret | undefined> {
    const file = this.pathFor(target);
    const data = await this.readFile(file, (why) => options.onIgnored?.(`${file} ${why}`));
    if (!data) return undefined;
    const odd = ['accessToken', 'refreshToken', 'clientId', 'clientSecret'].map((k) => implausible(k, data[k], k === 'accessToken')).find(Boolean);
    if (odd) {
      options.onIgnored?.(`${file}: ${odd}`);
      return undefined;
    }
    const expiresAt = parseCliTimestamp(data.expiresAt);
    // The name-keyed file may belong to another portal if the session was repointed: never mix them.
    if (typeof data.accessToken !== 'string' || !data.accessToken || expiresAt === undefined) return undefined;
    if (typeof data.startUrl !== 'string' || !sameStartUrl(data.startUrl, target.startUrl) || data.region !== target.region) return undefined;
    if (!options.allowExpired && expiresAt <= this.clock.now()) return undefined;
    const refreshToken = typeof data.refreshToken === 'string' && data.refreshToken ? data.refreshToken : undefined;
    const token: SsoTokenSecret = { accessToken: data.accessToken, expiresAt, startUrl: target.startUrl, region: target.region };
    if (refreshToken) token.refreshToken = refreshToken;
    if (target.sessionName) token.sessionName = target.sessionName;
    const registrationExpiresAt = parseCliTimestamp(data.registrationExpiresAt);
    const hasClient = typeof data.clientId === 'string' && typeof data.clientSecret === 'string' && data.clientId && data.clientSecret;
    if (!hasClient || registrationExpiresAt === undefined) return { token };
    const registration: ClientRegistrationSecret = {
      clientId: data.clientId as string,
      clientSecret: data.clientSecret as string,
      expiresAt: registrationExpiresAt,
      region: target.region,
      // The CLI file does not say; a refresh token is only issued to clients registered with the scope.
      scopes: refreshToken ? [SSO_SCOPE] : [],
    };
    return { token, registration };
  }

  /** Replaces the whole file, as the CLI does (fields another tool added are not kept). */
  async write(token: SsoTokenSecret, registration?: ClientRegistrationSecret): Promise<void> {
    await fs.mkdir(this.directory, { recursive: true, mode: 0o700 });
    await writeAtomic(this.pathFor(token), formatCliToken(token, registration), 0o600);
  }

  async remove(token: SsoTokenSecret): Promise<void> {
    const file = this.pathFor(token);
    if ((await this.readFile(file))?.accessToken !== token.accessToken) return;
    // Take the file out of the way atomically, then check again: the CLI may have just replaced it.
    const taken = `${file}.${randomBytes(6).toString('hex')}.removing`;
    try {
      await fs.rename(file, taken);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    try {
      if ((await this.readFile(taken))?.accessToken !== token.accessToken) {
        // A newer sign-in slipped in: put it back unless something newer still is already there.
        await fs.link(taken, file).catch((e: NodeJS.ErrnoException) => (e.code === 'EEXIST' ? undefined : Promise.reject(e)));
      }
    } finally {
      await fs.rm(taken, { force: true });
    }
  }

  private async readFile(file: string, onIgnored?: (why: string) => void): Promise<Record<string, unknown> | undefined> {
    let text: string;
    try {
      // Non-blocking: a FIFO planted here would otherwise hang the open until someone writes to it.
      const handle = await fs.open(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
      try {
        // Never read (or parse) a huge file: another tool's, damaged, or planted.
        const stat = await handle.stat();
        if (!stat.isFile()) {
          onIgnored?.('is not a regular file');
          return undefined;
        }
        const buffer = Buffer.alloc(MAX_CACHE_FILE_BYTES + 1);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        if (stat.size > MAX_CACHE_FILE_BYTES || bytesRead > MAX_CACHE_FILE_BYTES) {
          onIgnored?.(`is ${Math.max(stat.size, bytesRead)} bytes, more than a token cache file ever holds (${MAX_CACHE_FILE_BYTES})`);
          return undefined;
        }
        text = buffer.toString('utf8', 0, bytesRead);
      } finally {
        await handle.close();
      }
    } catch {
      return undefined;
    }
    try {
      const data: unknown = JSON.parse(text);
      return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
    } catch {
      return undefined; // damaged or foreign: treated as absent, never "fixed"
    }
  }
}
