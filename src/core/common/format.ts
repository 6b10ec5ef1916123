// Text for the status bar, tooltips and tree, and timestamps for files and endpoints: pure functions, table-tested.

/** RFC 3339 in UTC without fractions, rounded down (never claims a later expiry than the real one). */
export function rfc3339(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Compact time left: "2h 05m", "42m", "59s", "expired". */
export function formatTimeLeft(ms: number): string {
  if (ms <= 0) return 'expired';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, '0')}m`;
}

/** "in 42 minutes" / "3 minutes ago", for tooltips next to an absolute time. */
export function formatRelative(ms: number): string {
  const future = ms >= 0;
  const abs = Math.abs(ms);
  const unit =
    abs < 60_000
      ? [Math.round(abs / 1000), 'second']
      : abs < 3_600_000
        ? [Math.round(abs / 60_000), 'minute']
        : [Math.round((abs / 3_600_000) * 10) / 10, 'hour'];
  const text = `${unit[0]} ${unit[1]}${unit[0] === 1 ? '' : 's'}`;
  return future ? `in ${text}` : `${text} ago`;
}

/** Milliseconds until the countdown text next changes: every second in the last minute, else on the minute. */
export function nextTickIn(msLeft: number): number {
  if (msLeft <= 0) return 60_000;
  if (msLeft <= 61_000) return msLeft % 1000 || 1000;
  return msLeft % 60_000 || 60_000;
}

export type Urgency = 'normal' | 'warning' | 'expired';

export function urgency(msLeft: number, warnBeforeMs: number): Urgency {
  if (msLeft <= 0) return 'expired';
  return msLeft <= warnBeforeMs ? 'warning' : 'normal';
}
