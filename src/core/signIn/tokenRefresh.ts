// Silent refresh of the sign-in's access token ahead of expiry, with one refresher at a time across
// windows (a lease in the shared secret store). Four recoveries before a refresh is given up: another
// window's fresh token, a refresh the AWS CLI made, a refresh token another window rotated, and one
// the AWS CLI rotated.
import { randomUUID } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import type { IdentityCenter } from '../aws/identityCenter';
import { Clock, sleep } from '../common/clock';
import { IdcError, errorName, isAbort, isSessionEnded } from '../common/errors';
import type { Logger } from '../common/log';
import type { ClientRegistrationSecret, SsoTokenSecret } from '../common/model';
import type { PortalSecretKeys } from '../common/storageKeys';
import { type SecretStore, readJson } from '../common/stores';
import type { CliSharing } from './cliSharing';

/** What the refresher needs from the session it renews. */
export interface TokenRefreshHost {
  store: SecretStore;
  /** The portal's secret keys (token, registration, lease). */
  keys: PortalSecretKeys;
  clock: Clock;
  log: Logger;
  cli: CliSharing;
  /** Refresh the access token this long before it expires (capped at half its lifetime). */
  refreshAheadMs?: number;
  token(): SsoTokenSecret | undefined;
  adopt(token: SsoTokenSecret): void;
  end(reason: IdcError): Promise<void>;
  client(region: string): Promise<IdentityCenter>;
}

interface RefreshLease {
  owner: string;
  until: number;
}

const LEASE_MS = 30_000;
const RETRY_AFTER_FAILURE_MS = 30_000;

export class TokenRefresh {
  private readonly owner = randomUUID();
  private refreshing: Promise<SsoTokenSecret> | undefined;
  private cancelTimer: (() => void) | undefined;

  constructor(private readonly h: TokenRefreshHost) {}

  /** When `token` is due for a refresh. */
  refreshAt(token: SsoTokenSecret): number {
    const ahead = this.h.refreshAheadMs ?? 5 * 60_000;
    const lifetimeLeft = token.expiresAt - this.h.clock.now();
    return token.expiresAt - Math.min(ahead, Math.max(lifetimeLeft / 2, 0));
  }

  /** Refreshes `token` in the background when it is due (or after `delayMs`). */
  schedule(token: SsoTokenSecret, delayMs?: number): void {
    this.cancel();
    if (!token.refreshToken) return;
    const wait = delayMs ?? Math.max(this.refreshAt(token) - this.h.clock.now(), 0);
    this.cancelTimer = this.h.clock.setTimeout(() => {
      this.refresh().catch((e) => {
        if (isSessionEnded(e)) return;
        this.h.log.warn(`[session] background refresh failed (${errorName(e)}); retrying in ${RETRY_AFTER_FAILURE_MS / 1000}s`);
        const current = this.h.token();
        if (current) this.schedule(current, RETRY_AFTER_FAILURE_MS);
      });
    }, wait);
  }

  cancel(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  /** One refresh at a time; `force` refreshes even when another window's token looks fresh. */
  refresh(force = false): Promise<SsoTokenSecret> {
    this.refreshing ??= this.refreshOnce(force).finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refreshOnce(force: boolean): Promise<SsoTokenSecret> {
    const { store, clock } = this.h;
    const mine = this.h.token();
    if (!mine?.refreshToken) throw new IdcError('sessionEnded', l10n.t('The sign-in cannot be refreshed. Sign in again.'));
    // Another window may hold the lease: wait for its result instead of refreshing twice.
    const lease = await readJson<RefreshLease>(store, this.h.keys.refreshLease);
    if (lease && lease.owner !== this.owner && lease.until > clock.now()) {
      await this.waitForTokenChange(Math.min(lease.until - clock.now(), LEASE_MS));
      const shared = await readJson<SsoTokenSecret>(store, this.h.keys.token);
      if (shared && shared.accessToken !== mine.accessToken && shared.expiresAt > clock.now()) {
        this.h.adopt(shared);
        return shared;
      }
    }
    await store.store(this.h.keys.refreshLease, JSON.stringify({ owner: this.owner, until: clock.now() + LEASE_MS }));
    try {
      const latest = (await readJson<SsoTokenSecret>(store, this.h.keys.token)) ?? mine;
      if (!force && latest.accessToken !== mine.accessToken && clock.now() < this.refreshAt(latest)) {
        this.h.adopt(latest);
        return latest;
      }
      // The AWS CLI or an SDK may have refreshed the shared sign-in: follow it instead of spending
      // (and, with rotation, revoking) the refresh token it now holds too. The CLI writes whole
      // seconds, so "later" is judged at that precision.
      const cli = await this.h.cli.read(latest);
      if (
        cli &&
        cli.token.accessToken !== latest.accessToken &&
        cli.token.expiresAt >= Math.floor(latest.expiresAt / 1000) * 1000 &&
        clock.now() < this.refreshAt(cli.token)
      ) {
        const adopted = await this.h.cli.adopt(cli, latest.refreshToken);
        if (adopted) {
          this.h.log.info('[session] the AWS CLI refreshed this sign-in; using its token');
          return adopted;
        }
      }
      return await this.redeem(latest);
    } finally {
      const lease = await readJson<RefreshLease>(store, this.h.keys.refreshLease);
      if (lease?.owner === this.owner) await store.delete(this.h.keys.refreshLease);
    }
  }

  /** Spends `latest`'s refresh token; a refusal is only final when nobody else rotated it. */
  private async redeem(latest: SsoTokenSecret): Promise<SsoTokenSecret> {
    const { store, clock } = this.h;
    const registration = await readJson<ClientRegistrationSecret>(store, this.h.keys.registration);
    if (!registration || !latest.refreshToken) throw new IdcError('sessionEnded', l10n.t('The sign-in cannot be refreshed. Sign in again.'), 'NoRegistration');
    const ic = await this.h.client(latest.region);
    try {
      const out = await ic.createTokenWithRefreshToken(registration, latest.refreshToken, AbortSignal.timeout(20_000));
      const next: SsoTokenSecret = {
        ...latest,
        accessToken: out.accessToken,
        refreshToken: out.refreshToken ?? latest.refreshToken,
        expiresAt: clock.now() + out.expiresIn * 1000,
      };
      await store.store(this.h.keys.token, JSON.stringify(next));
      this.h.adopt(next);
      this.h.log.info(`[session] access token refreshed; valid ${out.expiresIn}s`);
      // A CLI file holding the refresh token we just spent must follow, even with sharing off.
      await this.h.cli.share(next, registration, latest.refreshToken);
      return next;
    } catch (e) {
      if (!isSessionEnded(e)) throw e;
      // A refused refresh token may only mean another window rotated it a moment ago.
      const shared = await readJson<SsoTokenSecret>(store, this.h.keys.token);
      if (shared && shared.refreshToken !== latest.refreshToken && shared.expiresAt > clock.now()) {
        this.h.adopt(shared);
        return shared;
      }
      // ...or the AWS CLI rotated it while refreshing the same sign-in.
      const cli = await this.h.cli.read(latest);
      const adopted =
        cli && cli.token.accessToken !== latest.accessToken && cli.token.refreshToken !== latest.refreshToken ? await this.h.cli.adopt(cli) : undefined;
      if (adopted) {
        this.h.log.info('[session] our refresh token was replaced by the AWS CLI; using its token');
        return adopted;
      }
      const err = new IdcError(
        'sessionEnded',
        l10n.t('Your IAM Identity Center sign-in has ended and could not be renewed. Sign in again to continue.'),
        errorName(e),
      );
      await this.h.end(err);
      throw err;
    }
  }

  private waitForTokenChange(ms: number): Promise<void> {
    const abort = new AbortController();
    const sub = this.h.store.onDidChange(({ key }) => key === this.h.keys.token && abort.abort());
    return sleep(this.h.clock, ms, abort.signal)
      .catch((e) => (isAbort(e) ? undefined : Promise.reject(e)))
      .finally(() => sub.dispose());
  }
}
