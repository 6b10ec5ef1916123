// Role credentials, cached per account/role in memory only, fetched again before they get close
// to expiry so nothing downstream (terminals, SDKs) is ever handed keys about to die.
import { Clock, systemClock } from '../common/clock';
import { IdcError, errorName } from '../common/errors';
import { Emitter, Disposable } from '../common/events';
import { Logger, silentLogger } from '../common/log';
import { RoleCredentialsSecret, RoleRef, roleKey } from '../common/model';
import * as l10n from '@vscode/l10n';

export interface CredentialBrokerOptions {
  fetch: (role: RoleRef) => Promise<RoleCredentialsSecret>;
  /** How long before expiry to fetch fresh credentials (read on every use so settings apply at once). */
  refreshBeforeMs: () => number;
  clock?: Clock;
  log?: Logger;
}

/**
 * botocore refreshes inside 15 minutes of expiry (on every call), the JS SDK inside 5: serving
 * credentials with more than that left keeps SDKs in terminals from fetching on every call.
 */
const SDK_REFRESH_WINDOW_MS = 16 * 60_000;
/** Never hand out credentials with less than this left, even if a refresh failed. */
const MIN_USABLE_MS = 60_000;
const RETRY_MS = 15_000;
/** Less than this left when they arrive: of no use to anything, and refetched in a loop at half-life. */
const MIN_LIFETIME_MS = 10_000;
/** 12 hours is the longest role session AWS issues; a day and a half leaves room for clock trouble. */
const MAX_LIFETIME_MS = 36 * 3600_000;
/** After credentials were refused, no new fetch for this long, doubling on each refusal in a row. */
const REFUSED_BACKOFF_MS = 15_000;
const REFUSED_BACKOFF_MAX_MS = 10 * 60_000;

/**
 * Why credentials cannot be used as sent, or undefined when their expiry is plausible. An expiry
 * in the past would be fetched again at once, forever; one of 1e16 is not even a Date.
 */
export function implausibleExpiry(creds: RoleCredentialsSecret, now: number): IdcError | undefined {
  const expiration = creds.expiration;
  if (typeof expiration !== 'number' || !Number.isFinite(expiration)) {
    return new IdcError(
      'service',
      l10n.t({
        message: 'The credentials IAM Identity Center sent for {0} in {1} have no valid expiry; they were not used. Try again in a few minutes.',
        args: [creds.roleName, creds.accountId],
        comment: ['{0}: an IAM role name, {1}: an AWS account id'],
      }),
      'ImplausibleExpiration',
    );
  }
  if (expiration - now <= MIN_LIFETIME_MS) {
    return new IdcError(
      'service',
      l10n.t({
        message:
          "The credentials IAM Identity Center sent for {0} in {1} had already expired (or expire within seconds); they were not used. Check this computer's clock, then try again in a few minutes.",
        args: [creds.roleName, creds.accountId],
        comment: ['{0}: an IAM role name, {1}: an AWS account id'],
      }),
      'ImplausibleExpiration',
    );
  }
  if (expiration - now > MAX_LIFETIME_MS) {
    return new IdcError(
      'service',
      l10n.t({
        message:
          'The credentials IAM Identity Center sent for {0} in {1} claim to stay valid for {2} hours, longer than AWS issues; they were not used. Try again in a few minutes.',
        args: [creds.roleName, creds.accountId, Math.round((expiration - now) / 3600_000)],
        comment: ['{0}: an IAM role name, {1}: an AWS account id; {2}: a number of hours'],
      }),
      'ImplausibleExpiration',
    );
  }
  return undefined;
}

export class CredentialBroker implements Disposable {
  private readonly cache = new Map<string, RoleCredentialsSecret>();
  private readonly inflight = new Map<string, Promise<RoleCredentialsSecret>>();
  private readonly timers = new Map<string, () => void>();
  private readonly refreshed = new Emitter<RoleCredentialsSecret>();
  /** Fired after fresh credentials were fetched for a role. */
  readonly onDidRefresh = this.refreshed.event;
  private readonly clock: Clock;
  private readonly log: Logger;
  private generation = 0;
  /** Roles whose last credentials were refused: no fetch before `until`. */
  private readonly refused = new Map<string, { error: IdcError; until: number; count: number }>();

  constructor(private readonly options: CredentialBrokerOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? silentLogger;
  }

  /** When cached credentials stop being handed out as they are. */
  refreshAt(creds: RoleCredentialsSecret, fetchedAt = creds.expiration): number {
    const lifetime = Math.max(creds.expiration - Math.min(fetchedAt, this.clock.now()), 0);
    // At least the SDKs' own window ahead; credentials too short for that are refreshed at half-life.
    const lead = Math.max(this.options.refreshBeforeMs(), SDK_REFRESH_WINDOW_MS);
    return creds.expiration - Math.min(lead, lifetime / 2);
  }

  peek(role: RoleRef): RoleCredentialsSecret | undefined {
    return this.cache.get(roleKey(role));
  }

  /** Credentials with comfortable time left, fetching when the cached ones are due for refresh. */
  async get(role: RoleRef): Promise<RoleCredentialsSecret> {
    const key = roleKey(role);
    const cached = this.cache.get(key);
    if (cached && this.clock.now() < this.refreshAtFor(key, cached)) return cached;
    const refusal = this.refused.get(key);
    try {
      // Asking again at once would get the same nonsense: the refusal stands until the back-off ends.
      if (refusal && this.clock.now() < refusal.until) throw refusal.error;
      return await this.fetch(role);
    } catch (e) {
      if (cached && cached.expiration - this.clock.now() > MIN_USABLE_MS) {
        this.log.warn(`[credentials] refresh of ${key} failed (${errorName(e)}); still serving the current ones`);
        return cached;
      }
      throw e;
    }
  }

  /** Keeps `role` fresh in the background until disposed (used for the active and bound roles). */
  keepFresh(role: RoleRef): Disposable {
    const key = roleKey(role);
    let stopped = false;
    const schedule = (delay: number): void => {
      this.timers.get(key)?.();
      this.timers.set(
        key,
        this.clock.setTimeout(() => {
          if (stopped) return;
          const refusal = this.refused.get(key);
          if (refusal && this.clock.now() < refusal.until) return schedule(refusal.until - this.clock.now());
          this.fetch(role).then(
            (c) => schedule(Math.max(this.refreshAtFor(key, c) - this.clock.now(), 1_000)),
            (e) => {
              this.log.warn(`[credentials] background refresh of ${key} failed (${errorName(e)})`);
              schedule(Math.max(RETRY_MS, (this.refused.get(key)?.until ?? 0) - this.clock.now()));
            },
          );
        }, delay),
      );
    };
    const cached = this.cache.get(key);
    schedule(cached ? Math.max(this.refreshAtFor(key, cached) - this.clock.now(), 0) : 0);
    return {
      dispose: () => {
        stopped = true;
        this.timers.get(key)?.();
        this.timers.delete(key);
      },
    };
  }

  /** Forgets the credentials of one portal's roles (that portal signed out); the other portals' stay. */
  forgetPortal(portal: string): void {
    const prefix = `${portal}|`;
    for (const key of [...this.cache.keys(), ...this.inflight.keys(), ...this.refused.keys()]) {
      if (!key.startsWith(prefix)) continue;
      this.cache.delete(key);
      this.inflight.delete(key);
      this.fetchedAt.delete(key);
      this.refused.delete(key);
    }
  }

  /** Forgets every cached credential (sign-out). */
  clear(): void {
    this.generation++;
    this.cache.clear();
    this.inflight.clear();
    this.fetchedAt.clear();
    this.refused.clear();
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  dispose(): void {
    this.clear();
    this.refreshed.dispose();
  }

  private readonly fetchedAt = new Map<string, number>();

  private refreshAtFor(key: string, creds: RoleCredentialsSecret): number {
    return this.refreshAt(creds, this.fetchedAt.get(key));
  }

  private refuse(key: string, error: IdcError): void {
    const count = (this.refused.get(key)?.count ?? 0) + 1;
    const backoff = Math.min(REFUSED_BACKOFF_MS * 2 ** (count - 1), REFUSED_BACKOFF_MAX_MS);
    this.refused.set(key, { error, until: this.clock.now() + backoff, count });
    this.log.warn(`[credentials] refused the credentials sent for ${key} (${error.causeName}); not asking again for ${backoff / 1000}s`);
  }

  private fetch(role: RoleRef): Promise<RoleCredentialsSecret> {
    const key = roleKey(role);
    let pending = this.inflight.get(key);
    if (!pending) {
      const generation = this.generation;
      const started = this.clock.now();
      pending = this.options.fetch(role).then(
        (creds) => {
          this.inflight.delete(key);
          const refusal = implausibleExpiry(creds, this.clock.now());
          if (refusal) {
            this.refuse(key, refusal);
            throw refusal;
          }
          this.refused.delete(key);
          if (generation === this.generation) {
            this.cache.set(key, creds);
            this.fetchedAt.set(key, started);
            this.log.info(`[credentials] fetched ${key}; expire ${new Date(creds.expiration).toISOString()}`);
            this.refreshed.fire(creds);
          }
          return creds;
        },
        (e) => {
          this.inflight.delete(key);
          throw e;
        },
      );
      this.inflight.set(key, pending);
    }
    return pending;
  }
}
