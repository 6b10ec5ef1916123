// A local, secret-free record of every credential issuance, so the user can review (and match in
// CloudTrail) who got which temporary credentials. Kept in memory and appended to a JSON-lines file;
// what an entry holds is activityEntry.ts.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { type Clock, systemClock } from '../common/clock';
import { Emitter, type Disposable, type Event } from '../common/events';
import { homeDir, readTail, writeAtomic } from '../awsFiles/files';
import { sanitize, type ActivityEntry } from './activityEntry';

export interface ActivityLogOptions {
  file?: string;
  clock?: Clock;
  maxEntries?: number;
  /** Appends are batched this long after a record. */
  debounceMs?: number;
  /** File errors go here; the log itself never throws to callers. */
  onError?: (error: unknown) => void;
}

export function defaultActivityPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(homeDir(env), '.aws-identity-center-sessions', 'activity.jsonl');
}

export class ActivityLog implements Disposable {
  readonly file: string;
  private readonly clock: Clock;
  private readonly max: number;
  private readonly debounceMs: number;
  private readonly onError: (error: unknown) => void;
  private readonly changed = new Emitter<void>();
  readonly onDidChange: Event<void> = this.changed.event;

  /** Oldest first, at most `max`; only valid once `loaded`. */
  private list: ActivityEntry[] = [];
  private seen = new Set<string>();
  private loaded = false;
  private loading: Promise<void> | undefined;
  /** Records made before the file was read; deduplicated against it once it is. */
  private early: ActivityEntry[] = [];
  private unwritten: ActivityEntry[] = [];
  /** Lines in the file, counted so it is only rewritten once it has grown well past `max`. */
  private fileLines = 0;
  /** Every file operation runs after the previous one: no interleaved writes. */
  private tail: Promise<void> = Promise.resolve();
  private cancelFlush: (() => void) | undefined;
  private modeChecked = false;

  constructor(opts: ActivityLogOptions = {}) {
    this.file = opts.file ?? defaultActivityPath();
    this.clock = opts.clock ?? systemClock;
    this.max = Math.max(1, opts.maxEntries ?? 2000);
    this.debounceMs = opts.debounceMs ?? 250;
    this.onError = opts.onError ?? (() => undefined);
  }

  /** Never throws. `at` defaults to now. */
  record(entry: Omit<ActivityEntry, 'at'> & { at?: number }): void {
    try {
      const clean = sanitize({ ...entry, at: entry.at ?? this.clock.now() });
      if (!clean) return;
      if (!this.loaded) {
        this.early.push(clean);
        void this.ensureLoaded();
        return;
      }
      if (this.absorb(clean)) {
        this.changed.fire();
        this.scheduleFlush();
      }
    } catch (e) {
      this.onError(e);
    }
  }

  /** Newest first. */
  async entries(): Promise<ActivityEntry[]> {
    await this.ensureLoaded();
    return this.list.slice().reverse();
  }

  async clear(): Promise<void> {
    // Memory is emptied now (a load still queued sees `loaded` and skips); the file follows in turn.
    this.list = [];
    this.seen.clear();
    this.early = [];
    this.unwritten = [];
    this.loaded = true;
    this.loading ??= Promise.resolve();
    this.changed.fire();
    await this.run(() => this.rewrite());
  }

  /** Writes what is pending now (tests, shutdown). Never rejects. */
  async flush(): Promise<void> {
    this.cancelFlush?.();
    this.cancelFlush = undefined;
    void this.ensureLoaded();
    await this.run(() => this.writeOut());
  }

  dispose(): void {
    void this.flush();
    this.changed.dispose();
  }

  private ensureLoaded(): Promise<void> {
    return (this.loading ??= this.run(() => this.load()));
  }

  private async load(): Promise<void> {
    if (this.loaded) return; // cleared before the file was read
    const parsed = await this.readFile();
    this.list = parsed.slice(-this.max);
    this.seen = new Set(this.list.map(dedupeKey));
    this.loaded = true;
    const early = this.early.splice(0);
    if (early.filter((e) => this.absorb(e)).length) {
      this.changed.fire();
      this.scheduleFlush();
    }
  }

  /** Adds to memory if new; false for a repeat of what this consumer already got. */
  private absorb(entry: ActivityEntry): boolean {
    const key = dedupeKey(entry);
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    this.list.push(entry);
    this.unwritten.push(entry);
    if (this.list.length > this.max) {
      this.list = this.list.slice(-this.max);
      this.seen = new Set(this.list.map(dedupeKey));
    }
    return true;
  }

  private scheduleFlush(): void {
    if (this.cancelFlush) return;
    this.cancelFlush = this.clock.setTimeout(() => {
      this.cancelFlush = undefined;
      void this.flush();
    }, this.debounceMs);
  }

  private async writeOut(): Promise<void> {
    const batch = this.unwritten.splice(0);
    if (batch.length === 0) return;
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const lines = batch.map((e) => JSON.stringify(e) + '\n').join('');
    const handle = await fs.open(this.file, 'a+', 0o600);
    try {
      // A torn last line (a crash mid-append, another writer) must not swallow this batch's first entry.
      const { size } = await handle.stat();
      const last = Buffer.alloc(1);
      const torn = size > 0 && (await handle.read(last, 0, 1, size - 1)).bytesRead === 1 && last[0] !== 0x0a;
      await handle.appendFile((torn ? '\n' : '') + lines);
    } finally {
      await handle.close();
    }
    this.fileLines += batch.length;
    if (!this.modeChecked) {
      // appendFile's mode only applies to a new file; tighten one an older version left open.
      this.modeChecked = true;
      await fs.chmod(this.file, 0o600).catch(() => undefined);
    }
    if (this.fileLines <= this.max * 1.5) return;
    // Trimming: entries other windows appended since this one loaded are merged in first, not dropped.
    const byKey = new Map([...(await this.readFile()), ...this.list].map((e) => [dedupeKey(e), e]));
    this.list = [...byKey.values()].sort((a, b) => a.at - b.at).slice(-this.max);
    this.seen = new Set(this.list.map(dedupeKey));
    await this.rewrite();
  }

  /** The file's valid entries (corrupt, torn or foreign lines skipped), from its last MAX_READ_BYTES. */
  private async readFile(): Promise<ActivityEntry[]> {
    let text = '';
    let cut = false;
    try {
      ({ text, cut } = await readTail(this.file, MAX_READ_BYTES));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.onError(e);
    }
    const lines = text.split('\n').filter((l) => l.trim());
    // A file cut to its tail is rewritten (trimmed) at the next append.
    this.fileLines = cut ? Infinity : lines.length;
    const parsed: ActivityEntry[] = [];
    for (const line of lines) {
      try {
        const entry = sanitize(JSON.parse(line));
        if (entry) parsed.push(entry);
      } catch {
        // a torn or hand-edited line: skip it
      }
    }
    return parsed;
  }

  /** Replaces the file with the in-memory list: temp file + rename, so a reader never sees half of it. */
  private async rewrite(): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    // Snapshot now: records made while the write is under way stay queued for the next append.
    const snapshot = this.list.slice();
    const covered = new Set(this.unwritten);
    await writeAtomic(this.file, snapshot.map((e) => JSON.stringify(e) + '\n').join(''), 0o600);
    this.fileLines = snapshot.length;
    this.unwritten = this.unwritten.filter((e) => !covered.has(e));
  }

  /** Queues `op` after every earlier file operation; failures are reported, never rethrown. */
  private run(op: () => Promise<void>): Promise<void> {
    this.tail = this.tail.then(op).catch((e) => this.onError(e));
    return this.tail;
  }
}

/** Far more than `maxEntries` lines ever need; a bigger file (damaged, or not ours) is read from its end. */
const MAX_READ_BYTES = 4 << 20;

const dedupeKey = (e: ActivityEntry): string => `${e.consumer}\u0000${e.accessKeyId}`;
