// Every account and role the user can reach: ListAccounts pages as they arrive, then roles for
// each account in the background (roleQueue.ts: bounded concurrency, expanded accounts first),
// every call paced (pacer.ts). Throttling is absorbed (slow down, retry later), never reported as an error.
import { setMaxListeners } from 'node:events';
import * as l10n from '@vscode/l10n';
import { Clock, sleep, systemClock } from '../common/clock';
import { IdcError, errorName, isAbort, isThrottle, toIdcError } from '../common/errors';
import { Emitter, Disposable } from '../common/events';
import type { IdentityCenter } from '../aws/identityCenter';
import { callPortal, type PortalAccess } from '../aws/portal';
import { Logger, silentLogger } from '../common/log';
import type { Account, RoleRef } from '../common/model';
import { ChangeBatch, type CatalogChange } from './changeBatch';
import { Pacer } from './pacer';
import { ACCOUNT_LIMITS, ROLE_LIMITS, followPages, type PageLimits } from './paging';
import { RoleLookupQueue, type RolesState } from './roleQueue';

export type { RolesState, CatalogChange };

/** The last listing, cached between sessions. Holds no secrets. */
export interface CachedListing {
  version: 1;
  startUrl: string;
  savedAt: number;
  accounts: Account[];
  roles: Record<string, string[]>;
}

export interface CatalogStats {
  calls: number;
  throttled: number;
  userVisibleErrors: number;
  firstPageAt?: number;
  allRolesAt?: number;
}

/** The portal seam (client, token, what to do on 401; see Session.portalAccess) plus pacing. */
export interface CatalogOptions extends PortalAccess {
  clock?: Clock;
  log?: Logger;
  /** Role listings in flight at once. */
  concurrency?: number;
  ratePerSec?: number;
  /** Coalesce change events this long, so a 2,000-account listing doesn't redraw 2,000 times. */
  changeDelayMs?: number;
  /** Bounds on paging (paging.ts); the defaults are far above real listings. */
  limits?: { accounts?: PageLimits; roles?: PageLimits };
}

export class AccountCatalog implements Disposable {
  private accountsById = new Map<string, Account>();
  private roleStates = new Map<string, RolesState>();
  private generation = 0;
  private listing: Promise<void> | undefined;
  private abort = new AbortController();
  private readonly changes: ChangeBatch;
  private readonly failed = new Emitter<IdcError>();
  readonly onDidChange: ChangeBatch['event'];
  /** A listing failed in a way the user should hear about (not throttling). */
  readonly onDidFail = this.failed.event;
  readonly stats: CatalogStats = { calls: 0, throttled: 0, userVisibleErrors: 0 };
  private readonly pacer: Pacer;
  private readonly lookups: RoleLookupQueue;
  private readonly clock: Clock;
  private readonly log: Logger;
  private complete = false;
  /** The listing generation whose cut-short role listing was already reported (once is enough). */
  private rolesCutReported = -1;

  constructor(private readonly options: CatalogOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? silentLogger;
    this.changes = new ChangeBatch(this.clock, options.changeDelayMs ?? 100);
    this.onDidChange = this.changes.event;
    this.pacer = new Pacer({ ratePerSec: options.ratePerSec ?? 20, clock: this.clock });
    this.lookups = new RoleLookupQueue({
      concurrency: options.concurrency ?? 6,
      stateOf: (id) => this.roles(id),
      setState: (id, state) => this.roleStates.set(id, state),
      lookUp: (id) => this.loadRoles(id, this.generation, this.abort.signal),
    });
  }

  get accounts(): Account[] {
    return [...this.accountsById.values()];
  }

  /** True once ListAccounts reached its last page. */
  get listingComplete(): boolean {
    return this.complete;
  }

  account(accountId: string): Account | undefined {
    return this.accountsById.get(accountId);
  }

  roles(accountId: string): RolesState {
    return this.roleStates.get(accountId) ?? { kind: 'unknown' };
  }

  allRoles(): RoleRef[] {
    const out: RoleRef[] = [];
    for (const state of this.roleStates.values()) if (state.kind === 'loaded') out.push(...state.roles);
    return out;
  }

  /** Re-lists everything. Known data stays visible until replaced. */
  refresh(): Promise<void> {
    this.cancel();
    const generation = this.generation;
    const signal = this.abort.signal;
    this.listing = this.listAll(generation, signal).finally(() => {
      if (generation === this.generation) this.listing = undefined;
    });
    return this.listing;
  }

  /** Resolves when the current listing and every queued role lookup are done. */
  async whenIdle(): Promise<void> {
    await this.listing;
    await Promise.all([...this.accountsById.keys()].map((id) => this.lookups.settled(id)));
  }

  /** Roles of one account, loaded first if needed (for a tree expansion). */
  async ensureRoles(accountId: string): Promise<RolesState> {
    const state = this.roles(accountId);
    if (state.kind === 'loaded') return state;
    this.lookups.addUrgent(accountId);
    return this.lookups.settled(accountId);
  }

  snapshot(startUrl: string): CachedListing {
    const roles: Record<string, string[]> = {};
    for (const [id, state] of this.roleStates) if (state.kind === 'loaded') roles[id] = state.roles.map((r) => r.roleName);
    return { version: 1, startUrl, savedAt: this.clock.now(), accounts: this.accounts, roles };
  }

  /** Shows a cached listing at once; a refresh() then replaces it. */
  restore(listing: CachedListing): void {
    if (listing?.version !== 1 || !Array.isArray(listing.accounts)) return;
    for (const a of listing.accounts) {
      if (typeof a?.accountId !== 'string') continue;
      this.accountsById.set(a.accountId, a);
      const names = listing.roles?.[a.accountId];
      if (Array.isArray(names)) this.roleStates.set(a.accountId, { kind: 'loaded', roles: names.map((roleName) => ({ accountId: a.accountId, roleName })) });
    }
    this.changes.add(true);
  }

  /** Forgets everything (sign-out). */
  clear(): void {
    this.cancel();
    this.accountsById.clear();
    this.roleStates.clear();
    this.complete = false;
    this.changes.add(true);
  }

  dispose(): void {
    this.cancel();
    this.changes.dispose();
    this.failed.dispose();
  }

  // --- internals ---

  private cancel(): void {
    this.generation++;
    this.abort.abort();
    this.abort = new AbortController();
    // Every paced call waits on this one signal; dozens of listeners are expected, not a leak.
    setMaxListeners(1000, this.abort.signal);
    this.lookups.reset();
  }

  private async listAll(generation: number, signal: AbortSignal): Promise<void> {
    const started = this.clock.now();
    this.stats.firstPageAt = undefined;
    this.stats.allRolesAt = undefined;
    this.complete = false;
    this.lookups.fanOut = false;
    const seen = new Set<string>();
    const listing = { step: l10n.t('Listing accounts'), noun: l10n.t('accounts'), limits: this.options.limits?.accounts ?? ACCOUNT_LIMITS };
    try {
      const paged = await followPages(
        listing,
        (nextToken) => this.call(signal, (ic, token) => ic.listAccounts(token, nextToken, signal)),
        (items, page) => {
          if (generation !== this.generation) return;
          for (const account of items) {
            seen.add(account.accountId);
            this.accountsById.set(account.accountId, account);
            this.lookups.add(account.accountId);
          }
          if (page === 1) this.stats.firstPageAt = this.clock.now() - started;
          this.changes.add(page === 1);
        },
      );
      if (generation !== this.generation) return;
      // Cut short: what was listed stays (and gets its roles), nothing is removed as unassigned.
      if (paged.stopped) throw paged.stopped;
      // Accounts no longer assigned disappear once the listing is complete.
      for (const id of [...this.accountsById.keys()]) {
        if (!seen.has(id)) {
          this.accountsById.delete(id);
          this.roleStates.delete(id);
        }
      }
      this.complete = true;
      this.lookups.fanOut = true;
      this.changes.add();
      // Background role look-ups start once every account is on screen: the account pages are
      // few (100 per call) and would otherwise queue behind hundreds of role calls.
      this.lookups.pump();
      this.log.info(`[accounts] listed ${seen.size} accounts in ${paged.pages} page(s), ${this.clock.now() - started} ms`);
      await Promise.all([...seen].map((id) => this.lookups.settled(id)));
      if (generation === this.generation) {
        this.stats.allRolesAt = this.clock.now() - started;
        this.log.info(
          `[accounts] roles known for ${seen.size} accounts after ${this.stats.allRolesAt} ms (${this.stats.calls} calls, ${this.stats.throttled} throttled)`,
        );
      }
    } catch (e) {
      if (isAbort(e) || generation !== this.generation) return;
      const err = toIdcError(e, l10n.t('Listing accounts'));
      if (err.kind !== 'sessionEnded') {
        this.stats.userVisibleErrors++;
        this.failed.fire(err);
      }
      this.log.warn(`[accounts] listing failed (${err.causeName ?? err.kind})`);
      // The accounts already listed still get their roles.
      this.lookups.fanOut = true;
      this.lookups.pump();
    }
  }

  private async loadRoles(accountId: string, generation: number, signal: AbortSignal): Promise<void> {
    // By name: a server listing a role twice (or on two pages) shows it once.
    const roles = new Map<string, RoleRef>();
    const listing = { step: l10n.t('Listing roles of account {0}', accountId), noun: l10n.t('roles'), limits: this.options.limits?.roles ?? ROLE_LIMITS };
    try {
      const paged = await followPages(
        listing,
        (nextToken) => this.call(signal, (ic, token) => ic.listAccountRoles(token, accountId, nextToken, signal)),
        (items) => items.forEach((r) => roles.set(r.roleName, r)),
      );
      if (generation !== this.generation) return;
      if (paged.stopped) this.reportCutRoles(generation, paged.stopped);
      const sorted = [...roles.values()].sort((a, b) => a.roleName.localeCompare(b.roleName));
      this.lookups.settle(accountId, { kind: 'loaded', roles: sorted });
    } catch (e) {
      if (isAbort(e) || generation !== this.generation) return;
      const err = toIdcError(e, l10n.t('Listing roles'));
      this.log.warn(`[accounts] roles of ${accountId} failed (${err.causeName ?? err.kind})`);
      this.lookups.settle(accountId, { kind: 'error', message: err.message });
    }
    this.changes.add(false, accountId);
  }

  /** A role listing cut short: its roles so far are shown, and the user hears about it once per refresh. */
  private reportCutRoles(generation: number, err: IdcError): void {
    this.log.warn(`[accounts] ${err.causeName}: ${err.message}`);
    if (this.rolesCutReported === generation) return;
    this.rolesCutReported = generation;
    this.stats.userVisibleErrors++;
    this.failed.fire(err);
  }

  /**
   * One paced portal call. Throttling is retried here after a pause (the SDK has already retried
   * a few times); a refused token goes to the session once, then the call is tried again (aws/portal.ts).
   */
  private call<T extends { attempts: number }>(signal: AbortSignal, run: (ic: IdentityCenter, token: string) => Promise<T>): Promise<T> {
    const paced = async (ic: IdentityCenter, token: string): Promise<T> => {
      const result = await run(ic, token);
      if (result.attempts > 1) {
        this.stats.throttled += result.attempts - 1;
        this.pacer.throttled();
      } else this.pacer.succeeded();
      return result;
    };
    return callPortal(this.options, paced, {
      beforeAttempt: async () => {
        await this.pacer.acquire(signal);
        this.stats.calls++;
      },
      retry: async (e, attempt) => {
        if (isAbort(e) || signal.aborted) throw e;
        if (!isThrottle(e)) return false;
        this.stats.throttled++;
        this.pacer.throttled();
        await sleep(this.clock, Math.min(250 * 2 ** attempt, 5_000) * (0.5 + Math.random()), signal);
        return true;
      },
      giveUp: (e) => this.log.trace(`[accounts] call failed (${errorName(e)})`),
    });
  }
}
