// Text for the status bar, tooltips and tree, and timestamps for files and endpoints: pure functions, table-tested.
import * as l10n from '@vscode/l10n';

/** RFC 3339 in UTC without fractions, rounded down (never claims a later expiry than the real one). */
export function rfc3339(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Compact time left: "2h 05m", "42m", "59s", "expired". */
export function formatTimeLeft(ms: number): string {
  if (ms <= 0) return l10n.t('expired');
  const s = Math.floor(ms / 1000);
  if (s < 60) return l10n.t({ message: '{0}s', args: [s], comment: ['Compact time left in the status bar: {0} seconds'] });
  const m = Math.floor(s / 60);
  if (m < 60) return l10n.t({ message: '{0}m', args: [m], comment: ['Compact time left in the status bar: {0} minutes'] });
  const h = Math.floor(m / 60);
  return l10n.t({
    message: '{0}h {1}m',
    args: [h, String(m % 60).padStart(2, '0')],
    comment: ['Compact time left in the status bar: {0} hours, {1} minutes (two digits)'],
  });
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
  const n = unit[0] as number;
  const one = n === 1;
  if (unit[1] === 'second')
    return future ? (one ? l10n.t('in {0} second', n) : l10n.t('in {0} seconds', n)) : one ? l10n.t('{0} second ago', n) : l10n.t('{0} seconds ago', n);
  if (unit[1] === 'minute')
    return future ? (one ? l10n.t('in {0} minute', n) : l10n.t('in {0} minutes', n)) : one ? l10n.t('{0} minute ago', n) : l10n.t('{0} minutes ago', n);
  return future ? (one ? l10n.t('in {0} hour', n) : l10n.t('in {0} hours', n)) : one ? l10n.t('{0} hour ago', n) : l10n.t('{0} hours ago', n);
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
