// "What did these credentials do?": the access keys the activity log says were handed out, each
// looked up in CloudTrail with its role's own (current) credentials in the role's regions. Answers
// come from the cache unless a refresh is asked for; a role that cannot be reached any more, or may
// not call LookupEvents, says so per key instead of failing the whole review.
import { type Clock, systemClock } from '../common/clock';
import { IdcError, errorName, isAbort } from '../common/errors';
import type { RoleCredentialsSecret } from '../common/model';
import type { ActivityEntry } from './activityEntry';
import type { CloudTrailCache } from './cloudTrailCache';
import { lookupKeyEvents, RETENTION_MS, type LookupOptions, type LookupPacers, type RegionOutcome } from './cloudTrailLookup';

/** One access key as it was handed out (from the activity log: no secrets). */
export interface Handout {
  accessKeyId: string;
  accountId: string;
  accountName?: string;
  roleName: string;
  chain?: string;
  /** What received the key (served entries), newest first; the issuer when nothing was served yet. */
  consumers: string[];
  /** Epoch ms: first seen in the log. */
  firstAt: number;
  expiresAt: number;
}

/** Which hand-outs a review covers. */
export type HandoutSelection =
  { kind: 'all' } | { kind: 'consumers'; consumers: string[] } | { kind: 'role'; accountId: string; roleName: string; chain?: string };

/** A cached answer about a key still in use is shown again for this long; Refresh asks at once. */
export const CACHE_FRESH_MS = 10 * 60_000;
/** CloudTrail's delivery delay, at most: after this past a key's expiry its answer no longer changes. */
const DELIVERY_MS = 15 * 60_000;

/** Keys reviewed at most (the newest): 200 keys in one region take a couple of minutes at 2 calls per second. */
export const MAX_REVIEWED_KEYS = 200;

export function selectHandouts(entries: readonly ActivityEntry[], selection: HandoutSelection, now: number): Handout[] {
  const byKey = new Map<string, Handout>();
  // Oldest first, so consumers end up newest first and firstAt is the earliest.
  for (const e of [...entries].sort((a, b) => a.at - b.at)) {
    if (e.at < now - RETENTION_MS) continue;
    let h = byKey.get(e.accessKeyId);
    if (!h) {
      h = {
        accessKeyId: e.accessKeyId,
        accountId: e.accountId,
        accountName: e.accountName,
        roleName: e.roleName,
        chain: e.chain,
        consumers: [],
        firstAt: e.at,
        expiresAt: e.expiresAt,
      };
      byKey.set(e.accessKeyId, h);
    }
    if (e.event === 'served') h.consumers = [e.consumer, ...h.consumers.filter((c) => c !== e.consumer && !issuers.has(c))];
    else if (h.consumers.length === 0) h.consumers = [e.consumer];
    h.accountName ??= e.accountName;
  }
  const chosen = [...byKey.values()].filter((h) => matches(h, selection));
  return chosen.sort((a, b) => b.firstAt - a.firstAt).slice(0, MAX_REVIEWED_KEYS);
}

/** The consumers the log names for a key fetched but not yet handed on. */
const issuers = new Set(['IAM Identity Center portal', 'STS AssumeRole']);

function matches(h: Handout, s: HandoutSelection): boolean {
  if (s.kind === 'all') return true;
  if (s.kind === 'consumers') return h.consumers.some((c) => s.consumers.includes(c));
  return h.accountId === s.accountId && h.roleName === s.roleName && (h.chain ?? '') === (s.chain ?? '');
}

export type RegionResult = RegionOutcome | { kind: 'unreachable'; reason: string };

export interface KeyReview extends Handout {
  regions: { region: string; result: RegionResult; fetchedAt: number; cached: boolean }[];
}

export interface ReviewOptions {
  /** The key's role's credentials now (a fresh fetch when needed); throws when the role cannot be reached. */
  credentials: (h: Handout) => Promise<RoleCredentialsSecret>;
  /** The regions the role's tools use (one function decides: config regionFor). */
  regions: (h: Handout) => string[];
  cache: CloudTrailCache;
  pacers: LookupPacers;
  /** true: ask CloudTrail again even where the cache has an answer. */
  refresh: boolean;
  signal?: AbortSignal;
  clock?: Clock;
  /** Lookups in flight at once (the pacers keep each account and region at its limit). */
  concurrency?: number;
  lookup?: Pick<LookupOptions, 'createClient' | 'maxEvents' | 'requestTimeoutMs'>;
  /** Called as each key's answer comes in (progress). */
  onKey?: (done: number, total: number) => void;
}

export async function reviewHandouts(handouts: readonly Handout[], o: ReviewOptions): Promise<KeyReview[]> {
  const clock = o.clock ?? systemClock;
  const roleCredentials = new Map<string, Promise<RoleCredentialsSecret>>();
  const credentialsOf = (h: Handout) => {
    const key = `${h.accountId}/${h.roleName}>${h.chain ?? ''}`;
    let p = roleCredentials.get(key);
    if (!p) roleCredentials.set(key, (p = o.credentials(h)));
    return p;
  };
  const reviews: KeyReview[] = handouts.map((h) => ({ ...h, regions: [] }));
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < reviews.length) {
      const review = reviews[next++];
      for (const region of [...new Set(o.regions(review))]) review.regions.push(await reviewRegion(review, region));
      o.onKey?.(++done, reviews.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency ?? 8, reviews.length) }, worker));
  await o.cache.save();
  return reviews;

  async function reviewRegion(h: Handout, region: string): Promise<KeyReview['regions'][number]> {
    const cached = o.refresh ? undefined : await o.cache.get(h.accessKeyId, region);
    // A recent answer, or a final one (asked after the key expired and its last calls were delivered).
    const now = clock.now();
    if (cached && (now - cached.fetchedAt < CACHE_FRESH_MS || cached.fetchedAt > h.expiresAt + DELIVERY_MS))
      return { region, result: cached.outcome, fetchedAt: cached.fetchedAt, cached: true };
    const fetchedAt = clock.now();
    let credentials: RoleCredentialsSecret;
    try {
      credentials = await credentialsOf(h);
    } catch (e) {
      if (isAbort(e)) throw e;
      return { region, result: { kind: 'unreachable', reason: e instanceof IdcError ? e.message : errorName(e) }, fetchedAt, cached: false };
    }
    const result = await lookupKeyEvents(
      // A chained role's key lives in its target account: the credentials say which.
      { accessKeyId: h.accessKeyId, accountId: credentials.accountId, region, credentials, since: h.firstAt - 5 * 60_000, until: h.expiresAt + 5 * 60_000 },
      { pacers: o.pacers, signal: o.signal, clock, ...o.lookup },
    );
    if (result.kind !== 'failed') await o.cache.set(h.accessKeyId, region, { outcome: result, fetchedAt });
    return { region, result, fetchedAt, cached: false };
  }
}
