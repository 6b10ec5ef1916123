// The AWS CLI's SSO token cache (~/.aws/sso/cache/<sha1>.json), read and written byte-for-byte the
// way the CLI does, so one sign-in serves both tools and either may refresh it.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Clock, systemClock } from '../common/clock';
import type { ClientRegistrationSecret, SsoTarget, SsoTokenSecret } from '../common/model';

/** A sign-in found in the CLI cache. Secret. */
export interface CliSignInSecret {
  token: SsoTokenSecret;
  /** The OIDC client the refresh token belongs to (absent in files without one). */
  registration?: ClientRegistrationSecret;
}

/** What the session needs from the CLI cache; CliTokenCache implements it. */
export interface CliTokenStore {
  /** The valid sign-in cached for this target, if any. `allowExpired` also returns expired ones. */
  read(target: SsoTarget, options?: { allowExpired?: boolean }): Promise<CliSignInSecret | undefined>;
  write(token: SsoTokenSecret, registration?: ClientRegistrationSecret): Promise<void>;
  /** Deletes the file only while it still holds this token (never a newer sign-in). */
  remove(token: SsoTokenSecret): Promise<void>;
}

export interface CliTokenCacheOptions {
  home?: string;
  clock?: Clock;
}

const SSO_SCOPE = 'sso:account:access';

/** Home directory the way the JS SDK resolves it (botocore expands `~`, the same on POSIX). */
export function homeDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HOME) return env.HOME;
  if (env.USERPROFILE) return env.USERPROFILE;
  if (env.HOMEPATH) return `${env.HOMEDRIVE ?? 'C:'}${env.HOMEPATH}`;
  return os.homedir();
}

/** File name key: sha1 of the sso-session name, or of the start URL for legacy profiles. */
export function cliCacheKey(target: { startUrl: string; sessionName?: string }): string {
  return createHash('sha1').update(target.sessionName ?? target.startUrl, 'utf8').digest('hex');
}

/** `YYYY-MM-DDTHH:MM:SSZ`, what Python's strftime in the CLI writes. */
export function cliTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
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
    ['expiresAt', cliTimestamp(token.expiresAt)],
  ];
  // A registration from another region cannot refresh this token.
  if (registration && registration.region === token.region) {
    fields.push(['clientId', registration.clientId], ['clientSecret', registration.clientSecret], ['registrationExpiresAt', cliTimestamp(registration.expiresAt)]);
  }
  fields.push(['refreshToken', token.refreshToken]);
  const body = fields.filter(([, v]) => v !== undefined).map(([k, v]) => `${pyJson(k)}: ${pyJson(v!)}`);
  return `{${body.join(', ')}}`;
}

function pyJson(s: string): string {
  return JSON.stringify(s).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const sameUrl = (a: string, b: string): boolean => a.trim().replace(/\/+$/, '') === b.trim().replace(/\/+$/, '');

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

  async read(target: SsoTarget, options: { allowExpired?: boolean } = {}): Promise<CliSignInSecret | undefined> {
    const data = await this.readFile(this.pathFor(target));
    if (!data) return undefined;
    const expiresAt = parseCliTimestamp(data.expiresAt);
    // The name-keyed file may belong to another portal if the session was repointed: never mix them.
    if (typeof data.accessToken !== 'string' || !data.accessToken || expiresAt === undefined) return undefined;
    if (typeof data.startUrl !== 'string' || !sameUrl(data.startUrl, target.startUrl) || data.region !== target.region) return undefined;
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

  private async readFile(file: string): Promise<Record<string, unknown> | undefined> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
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

/** Writes a sibling temp file and renames it over `file`, so readers see the old or the new bytes. */
export async function writeAtomic(file: string, content: string, mode: number): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await fs.open(temp, 'wx', mode);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.chmod(mode); // the umask may have narrowed or (for a kept mode) changed it
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameWithRetry(temp, file);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
}

// Windows refuses to replace a file another process has open for a moment; POSIX never does.
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fs.rename(from, to);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (attempt >= 10 || (code !== 'EPERM' && code !== 'EACCES' && code !== 'EBUSY')) throw e;
      await new Promise((r) => setTimeout(r, 20 * (attempt + 1)));
    }
  }
}
