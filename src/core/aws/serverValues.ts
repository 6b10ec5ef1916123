// Numbers Identity Center sends that we act on, checked before use: a lifetime in the past makes
// a refresh loop, one of 1e16 makes Date throw a RangeError. Each is either refused with a clear
// error or brought into the range the real service uses.
import { IdcError } from '../common/errors';
import * as l10n from '@vscode/l10n';

const DAY_MS = 24 * 3600_000;
/** Client registrations of the real service last 90 days; nothing longer is believed. */
export const MAX_REGISTRATION_MS = 90 * DAY_MS;
/** A sign-in (access token) never lasts longer than the longest portal session, 90 days. */
export const MAX_TOKEN_LIFETIME_S = 90 * 24 * 3600;

/**
 * Epoch ms when the client secret expires. Missing, zero, negative or not a number: 0 ("no usable
 * expiry", so it is registered again at the next sign-in). Further than 90 days ahead (including
 * values in milliseconds where seconds are due, or 1e13): capped at 90 days from now.
 */
export function registrationExpiry(clientSecretExpiresAt: number | undefined, now: number): number {
  const seconds = Number(clientSecretExpiresAt);
  if (!Number.isFinite(seconds) || seconds <= 0) return 0;
  return Math.min(seconds * 1000, now + MAX_REGISTRATION_MS);
}

/** CreateToken's expiresIn (seconds): 1 hour when absent; refused when not a lifetime a sign-in can have. */
export function tokenLifetimeSeconds(expiresIn: number | undefined): number {
  if (expiresIn === undefined || expiresIn === null) return 3600;
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn < 1 || expiresIn > MAX_TOKEN_LIFETIME_S) {
    throw new IdcError(
      'service',
      l10n.t({
        message: 'IAM Identity Center answered with a sign-in that lasts {0} seconds, which no sign-in can; it was not used. Try again in a moment.',
        args: [String(expiresIn).slice(0, 24)],
        comment: ['{0}: the number the server sent'],
      }),
      'AbsurdTokenLifetime',
    );
  }
  return expiresIn;
}

/** A number of seconds from the server brought into [min, max]; `fallback` when missing or not a number. */
export function clampSeconds(value: number | undefined, fallback: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(Math.max(value, min), max);
}
