// Keeps one window from destroying another window's sign-in, in hosts whose secret storage is a
// per-window copy. VS Code for the Web (code-server too) loads every secret into memory once when a
// window opens and writes that WHOLE copy back on any store or delete; it never tells other windows.
// So a window opened before the sign-in elsewhere holds a copy without it, and its first write (a
// client registration, a refresh lease, a sign-out) silently erases the other window's sign-in.
//
// Every write through here also stores a generation number in the secrets and publishes it, with
// nothing secret, in a file every window's extension host can read (the extension's global storage
// dir, on the machine the extension hosts run on). A window whose secrets hold an older generation
// than the file has a stale copy: its writes are refused (it would overwrite newer secrets) and it
// says so (onDidChangeStale) so the window can be reloaded, which reloads its copy (a stale delete
// is skipped rather than refused: the window's own sign-out or end still happens locally). Where the host
// does share secrets between windows (desktop VS Code), the generations always match and a change
// seen in the file is passed on as onDidChange, in case the host did not broadcast it.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { writeAtomic } from '../awsFiles/files';
import { IdcError } from '../common/errors';
import { Emitter, type Disposable } from '../common/events';
import { type Logger, silentLogger } from '../common/log';
import { SECRET_KEYS } from '../common/storageKeys';
import type { SecretStore } from '../common/stores';

/** The shared file's content: which generation the secrets are at, and who wrote it. No secrets. */
export interface SecretsSignal {
  generation: number;
  /** Random id of the window (extension host) that wrote it. */
  writer: string;
  /** Epoch ms. */
  at: number;
  /** The secret key that changed. */
  key: string;
  /** After a token change: the sign-in it holds (no token), or null after a sign-out. */
  signIn?: { startUrl: string; region: string; expiresAt: number } | null;
  /** The token key `signIn` is about (kept when the same window's next write is another key, e.g. the portal index). */
  signInKey?: string;
}

export interface WindowSecretsOptions {
  /** The host's secret storage (context.secrets). */
  inner: SecretStore;
  /** The shared signal file, e.g. <globalStorage>/secrets-changed.json. */
  file: string;
  log?: Logger;
  /** How often the file is looked at (ms). */
  pollMs?: number;
}

export class WindowSecrets implements SecretStore, Disposable {
  private readonly id = randomUUID();
  private readonly changed = new Emitter<{ key: string }>();
  private readonly staleChanged = new Emitter<SecretsSignal>();
  private readonly log: Logger;
  /** The generation this window's copy was current at when it started (covers a copy that lost its number). */
  private baseline = 0;
  private seen = 0;
  private staleSignal: SecretsSignal | undefined;
  private readonly deletedHere = new Set<string>();
  private readonly unsubscribe: () => void;
  readonly onDidChangeStale = this.staleChanged.event;
  /** Ready once the starting generation is known. */
  readonly ready: Promise<void>;

  constructor(private readonly o: WindowSecretsOptions) {
    this.log = o.log ?? silentLogger;
    const inner = o.inner.onDidChange((e) => e.key !== SECRET_KEYS.generation && this.changed.fire(e));
    this.ready = this.start();
    const onFile = (): void => void this.poll();
    fs.watchFile(o.file, { interval: o.pollMs ?? 1_000, persistent: false }, onFile);
    this.unsubscribe = () => {
      fs.unwatchFile(o.file, onFile);
      inner.dispose();
    };
  }

  readonly onDidChange = this.changed.event;

  /** Set while another window has changed the secrets since this window's copy was loaded. */
  get stale(): SecretsSignal | undefined {
    return this.staleSignal;
  }

  get(key: string): Promise<string | undefined> {
    // Deleted here while stale: gone for this window, though its copy could not be written.
    return this.deletedHere.has(key) ? Promise.resolve(undefined) : this.o.inner.get(key);
  }

  store(key: string, value: string): Promise<void> {
    return this.write(key, 'store', () => this.o.inner.store(key, value), signInOf(key, value));
  }

  delete(key: string): Promise<void> {
    return this.write(key, 'delete', () => this.o.inner.delete(key), isTokenKey(key) ? null : undefined);
  }

  dispose(): void {
    this.unsubscribe();
    this.changed.dispose();
    this.staleChanged.dispose();
  }

  // --- internals ---

  private async start(): Promise<void> {
    // A window's copy is as new as it gets when it loads, even if it lost its number (cleared storage).
    // Read asynchronously: this runs at activation, and every write waits for it.
    const raw = await fs.promises.readFile(this.o.file, 'utf8').catch(() => undefined);
    this.baseline = this.seen = (raw === undefined ? undefined : parseSignal(raw))?.generation ?? 0;
  }

  private async write(key: string, op: 'store' | 'delete', apply: () => Promise<void>, signIn: SecretsSignal['signIn']): Promise<void> {
    await this.ready;
    const latest = readSignal(this.o.file);
    if (latest && (await this.isStale(latest))) {
      this.markStale(latest);
      if (op === 'store') throw staleError();
      this.log.warn(`[secrets] ${key} not deleted from the shared secrets: this window's copy is out of date`);
      this.deletedHere.add(key);
      return;
    }
    const generation = (latest?.generation ?? 0) + 1;
    await apply();
    await this.o.inner.store(SECRET_KEYS.generation, String(generation));
    // A sign-in is followed by its portal-index write: the signal keeps saying which sign-in changed.
    const carried = signIn === undefined && latest?.writer === this.id && latest.signIn !== undefined;
    const about = signIn !== undefined ? { signIn, signInKey: key } : carried ? { signIn: latest.signIn, signInKey: latest.signInKey ?? latest.key } : {};
    const signal: SecretsSignal = { generation, writer: this.id, at: Date.now(), key, ...about };
    this.seen = generation;
    await fs.promises.mkdir(path.dirname(this.o.file), { recursive: true });
    await writeAtomic(this.o.file, JSON.stringify(signal), 0o600);
  }

  private async isStale(latest: SecretsSignal): Promise<boolean> {
    const mine = Math.max(Number((await this.o.inner.get(SECRET_KEYS.generation)) ?? 0) || 0, this.baseline);
    return latest.generation > mine;
  }

  /** Looks at the shared file now (not at the next poll); the stale signal, if this window's copy is. */
  async check(): Promise<SecretsSignal | undefined> {
    await this.poll();
    return this.staleSignal;
  }

  private async poll(): Promise<void> {
    await this.ready;
    const latest = readSignal(this.o.file);
    if (!latest || latest.generation <= this.seen || latest.writer === this.id) return;
    this.seen = latest.generation;
    if (await this.isStale(latest)) this.markStale(latest);
    else this.changed.fire({ key: latest.key }); // shared storage that did not broadcast the change
  }

  private markStale(signal: SecretsSignal): void {
    const first = !this.staleSignal;
    this.staleSignal = signal;
    if (first)
      this.log.warn('[secrets] another window changed the sign-in since this window loaded its secrets; this window will not write them until it is reloaded');
    this.staleChanged.fire(signal);
  }
}

export function readSignal(file: string): SecretsSignal | undefined {
  try {
    return parseSignal(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function parseSignal(raw: string): SecretsSignal | undefined {
  try {
    const s = JSON.parse(raw) as SecretsSignal;
    return typeof s?.generation === 'number' ? s : undefined;
  } catch {
    return undefined;
  }
}

/** A sign-in's token: the single-sign-in key or a portal's (`awsIdc.token:<portal id>`). */
const isTokenKey = (key: string): boolean => key === SECRET_KEYS.token || key.startsWith(`${SECRET_KEYS.token}:`);

/** The non-secret part of a stored token: where it signs in to and until when. */
function signInOf(key: string, value: string): SecretsSignal['signIn'] {
  if (!isTokenKey(key)) return undefined;
  try {
    const t = JSON.parse(value) as { startUrl?: unknown; region?: unknown; expiresAt?: unknown };
    return typeof t.startUrl === 'string' && typeof t.region === 'string' && typeof t.expiresAt === 'number'
      ? { startUrl: t.startUrl, region: t.region, expiresAt: t.expiresAt }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Not 'sessionEnded': the sign-in itself is fine, and a token this window holds stays usable until it expires. */
function staleError(): IdcError {
  return new IdcError(
    'unknown',
    l10n.t({
      message: 'Another window changed the sign-in after this window loaded it. Reload this window (Developer: Reload Window) to continue.',
      comment: ['"Developer: Reload Window" is the name of a VS Code command'],
    }),
    'StaleSecrets',
  );
}
