// The last CloudTrail answers per access key and region, so reopening the review is instant. Holds
// event fields only (cloudTrailEvents.ts), never credentials; bounded in entries and events; one
// JSON file (globalStorage/cloudtrail-review.json, written atomically, mode 600). Failures to read
// or write only cost the cache: the review fetches again.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readTail, writeAtomic } from '../awsFiles/files';
import { sanitizeTrailEvent, type TrailEvent } from './cloudTrailEvents';
import type { RegionOutcome } from './cloudTrailLookup';

/** What is kept: the outcomes worth showing again (a failure is asked again instead). */
export type CachedOutcome = Extract<RegionOutcome, { kind: 'events' | 'denied' }>;

export interface CachedRegion {
  outcome: CachedOutcome;
  /** Epoch ms. */
  fetchedAt: number;
}

const VERSION = 1;
const MAX_ENTRIES = 1000;
const MAX_EVENTS_PER_ENTRY = 200;
const MAX_EVENTS = 20_000;
const MAX_FILE_BYTES = 16 << 20;

export class CloudTrailCache {
  private entries = new Map<string, CachedRegion>();
  private loading: Promise<void> | undefined;

  constructor(
    readonly file: string,
    private readonly onError: (e: unknown) => void = () => undefined,
  ) {}

  async get(accessKeyId: string, region: string): Promise<CachedRegion | undefined> {
    await this.load();
    return this.entries.get(cacheKey(accessKeyId, region));
  }

  async set(accessKeyId: string, region: string, value: CachedRegion): Promise<void> {
    await this.load();
    const outcome: CachedOutcome =
      value.outcome.kind === 'events'
        ? {
            ...value.outcome,
            events: value.outcome.events.slice(0, MAX_EVENTS_PER_ENTRY),
            truncated: value.outcome.truncated || value.outcome.events.length > MAX_EVENTS_PER_ENTRY,
          }
        : value.outcome;
    const key = cacheKey(accessKeyId, region);
    this.entries.delete(key); // re-inserted last: the newest stays when trimming
    this.entries.set(key, { outcome, fetchedAt: value.fetchedAt });
    this.trim();
  }

  /** Writes the cache out now; never rejects. */
  async save(): Promise<void> {
    await this.load();
    try {
      await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      await writeAtomic(this.file, JSON.stringify({ version: VERSION, entries: Object.fromEntries(this.entries) }), 0o600);
    } catch (e) {
      this.onError(e);
    }
  }

  async clear(): Promise<void> {
    await this.load();
    this.entries.clear();
    await fs.rm(this.file, { force: true }).catch(this.onError);
  }

  private load(): Promise<void> {
    return (this.loading ??= this.read());
  }

  private async read(): Promise<void> {
    let text: string;
    try {
      const tail = await readTail(this.file, MAX_FILE_BYTES);
      if (tail.cut) return; // not ours, or damaged: start afresh
      text = tail.text;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.onError(e);
      return;
    }
    try {
      const parsed = JSON.parse(text) as { version?: unknown; entries?: unknown };
      if (parsed.version !== VERSION || !parsed.entries || typeof parsed.entries !== 'object') return;
      for (const [key, raw] of Object.entries(parsed.entries as Record<string, unknown>)) {
        const entry = sanitizeEntry(raw);
        if (entry && /^[A-Z0-9]{16,128}\|[a-z0-9-]{1,32}$/.test(key)) this.entries.set(key, entry);
      }
      this.trim();
    } catch {
      // a damaged file: the review fetches again
    }
  }

  private trim(): void {
    let total = [...this.entries.values()].reduce((n, e) => n + eventCount(e), 0);
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && total <= MAX_EVENTS) break;
      this.entries.delete(key);
      total -= eventCount(entry);
    }
  }
}

const cacheKey = (accessKeyId: string, region: string): string => `${accessKeyId}|${region}`;
const eventCount = (e: CachedRegion): number => (e.outcome.kind === 'events' ? e.outcome.events.length : 0);

function sanitizeEntry(raw: unknown): CachedRegion | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as { outcome?: { kind?: unknown; events?: unknown; truncated?: unknown }; fetchedAt?: unknown };
  if (typeof r.fetchedAt !== 'number' || !Number.isFinite(r.fetchedAt) || !r.outcome) return undefined;
  if (r.outcome.kind === 'denied') return { outcome: { kind: 'denied' }, fetchedAt: r.fetchedAt };
  if (r.outcome.kind !== 'events' || !Array.isArray(r.outcome.events)) return undefined;
  const events = r.outcome.events
    .slice(0, MAX_EVENTS_PER_ENTRY)
    .map(sanitizeTrailEvent)
    .filter((e): e is TrailEvent => !!e);
  return { outcome: { kind: 'events', events, truncated: r.outcome.truncated === true }, fetchedAt: r.fetchedAt };
}
