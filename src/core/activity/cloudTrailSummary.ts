// The picture a reviewer wants before granting the same role again: per consumer (this terminal,
// that debug session) and per role, how many calls, how many of them writes, how many denied.
import { isDenial } from './cloudTrailEvents';
import type { Handout, KeyReview } from './cloudTrailReview';

export interface UseCounts {
  calls: number;
  writes: number;
  denied: number;
  /** Every call with an error code (denied ones included). */
  failed: number;
  /** False while no key behind these counts could be looked up (denied, unreachable): the zeros mean nothing. */
  reviewed: boolean;
}

export interface CloudTrailSummary {
  /** Consumers in the order first met (newest hand-out first). */
  byConsumer: Map<string, UseCounts>;
  byRole: Map<string, UseCounts>;
}

/** "Sandbox (111122223333) / Admin", a chained role "… / Admin → Deploy". */
export function roleLabel(h: Pick<Handout, 'accountId' | 'accountName' | 'roleName' | 'chain'>): string {
  const account = h.accountName ? `${h.accountName} (${h.accountId})` : h.accountId;
  return `${account} / ${h.roleName}${h.chain ? ` → ${h.chain}` : ''}`;
}

export function countsOf(review: KeyReview): UseCounts {
  const counts: UseCounts = { calls: 0, writes: 0, denied: 0, failed: 0, reviewed: false };
  const seen = new Set<string>();
  for (const { result } of review.regions) {
    if (result.kind !== 'events') continue;
    counts.reviewed = true;
    for (const e of result.events) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      counts.calls++;
      if (e.readOnly === false) counts.writes++;
      if (e.errorCode) counts.failed++;
      if (isDenial(e.errorCode)) counts.denied++;
    }
  }
  return counts;
}

/** A key handed to several consumers counts for each of them (CloudTrail cannot tell them apart). */
export function summarize(reviews: readonly KeyReview[]): CloudTrailSummary {
  const byConsumer = new Map<string, UseCounts>();
  const byRole = new Map<string, UseCounts>();
  const add = (map: Map<string, UseCounts>, key: string, c: UseCounts) => {
    const total = map.get(key) ?? { calls: 0, writes: 0, denied: 0, failed: 0, reviewed: false };
    map.set(key, {
      calls: total.calls + c.calls,
      writes: total.writes + c.writes,
      denied: total.denied + c.denied,
      failed: total.failed + c.failed,
      reviewed: total.reviewed || c.reviewed,
    });
  };
  for (const review of reviews) {
    const counts = countsOf(review);
    for (const consumer of review.consumers) add(byConsumer, consumer, counts);
    add(byRole, roleLabel(review), counts);
  }
  return { byConsumer, byRole };
}
