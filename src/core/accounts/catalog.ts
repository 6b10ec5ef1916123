// Every account and role the user can reach, and when to list them: ListAccounts pages as they
// arrive, then roles for each account in the background (roleQueue.ts: bounded concurrency,
// expanded accounts first), every call paced (pacer.ts); the pass itself is listingPass.ts.
// Throttling is absorbed (slow down, retry later), never reported as an error. What a listing finds
// is also reported as records (onDidRecord), so other windows can follow it (sharedListing.ts) and
// apply it here instead of listing themselves.
import { setMaxListeners } from 'node:events';
import { Clock, systemClock } from '../common/clock';
import type { IdcError } from '../common/errors';
import { Emitter, Disposable } from '../common/events';
import type { PortalAccess } from '../aws/portal';
import { Logger, silentLogger } from '../common/log';
import type { Account, RoleRef } from '../common/model';
import { ChangeBatch, type CatalogChange } from './changeBatch';
import { CatalogData } from './catalogData';
import { DEFAULT_FRESHNESS, accountsStale, type FreshnessRule } from './freshness';
import type { CachedListing, ListingRecord } from './listingState';
import { ListingPasses } from './listingPass';
import { PacedPortal, type CatalogStats } from './pacedPortal';
import { Pacer } from '../aws/pacer';
import type { PageLimits } from './paging';
import { RoleLookupQueue, type RolesState } from './roleQueue';

export type { RolesState, CatalogChange, CachedListing, CatalogStats, ListingRecord };

/**
 * The portal allows about 20 calls/s per user, shared by every window. Background listing keeps 4 %
 * of it free, so a role switch in any window finds a token at once while all roles still arrive
 * within 1.05× of the fastest possible listing (20/19.2 = 1.042).
 */
export const BACKGROUND_RATE_PER_SEC = 19.2;

/** The portal seam (client, token, what to do on 401; see Session.portalAccess) plus pacing. */
export interface CatalogOptions extends PortalAccess {
  clock?: Clock;
  log?: Logger;
  /** Role listings in flight at once. */
  concurrency?: number;
  /** Background calls per second; user calls (an expanded account) jump this queue. */
  ratePerSec?: number;
  /** Coalesce change events this long, so a 2,000-account listing doesn't redraw 2,000 times. */
  changeDelayMs?: number;
  /** Bounds on paging (paging.ts); the defaults are far above real listings. */
  limits?: { accounts?: PageLimits; roles?: PageLimits };
  freshness?: FreshnessRule;
}

/** Who decides which window lists (sharedListing.ts). */
export interface Lister {
  refresh(): Promise<void>;
  /** Settles once this window started listing, or knows another window does. */
  ready?: Promise<void>;
}

export class AccountCatalog implements Disposable {
  private readonly data = new CatalogData();
  private generation = 0;
  private listing: Promise<void> | undefined;
  private abort = new AbortController();
  private readonly changes: ChangeBatch;
  private readonly failed = new Emitter<IdcError>();
  private readonly recorded = new Emitter<ListingRecord>();
  readonly onDidChange: ChangeBatch['event'];
  /** A listing failed in a way the user should hear about (not throttling). */
  readonly onDidFail = this.failed.event;
  /** What this catalog's own listing found, as it finds it. */
  readonly onDidRecord = this.recorded.event;
  readonly stats: CatalogStats = { calls: 0, throttled: 0, userVisibleErrors: 0 };
  private readonly pacer: Pacer;
  private readonly portal: PacedPortal;
  private readonly lookups: RoleLookupQueue;
  private readonly clock: Clock;
  private readonly log: Logger;
  readonly freshness: FreshnessRule;
  private complete = false;
  private lister: Lister | undefined;
  private readonly passes: ListingPasses;

  constructor(private readonly options: CatalogOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? silentLogger;
    this.freshness = options.freshness ?? DEFAULT_FRESHNESS;
    this.changes = new ChangeBatch(this.clock, options.changeDelayMs ?? 100);
    this.onDidChange = this.changes.event;
    this.pacer = new Pacer({ ratePerSec: options.ratePerSec ?? BACKGROUND_RATE_PER_SEC, clock: this.clock });
    this.portal = new PacedPortal(options, this.pacer, this.stats, this.clock, this.log, options.limits);
    this.lookups = new RoleLookupQueue({
      concurrency: options.concurrency ?? 6,
      stateOf: (id) => this.roles(id),
      setState: (id, state) => this.data.roleStates.set(id, state),
      lookUp: (id, urgent) => this.passes.loadRoles(id, this.generation, this.abort.signal, urgent),
    });
    this.passes = new ListingPasses({
      data: this.data,
      portal: this.portal,
      lookups: this.lookups,
      changes: this.changes,
      stats: this.stats,
      clock: this.clock,
      log: this.log,
      freshness: this.freshness,
      isCurrent: (generation) => generation === this.generation,
      setComplete: (complete) => (this.complete = complete),
      rolesDue: (id, now) => this.rolesDue(id, now),
      record: (record) => this.recorded.fire(record),
      fail: (err) => this.failed.fire(err),
    });
  }

  get accounts(): Account[] {
    return [...this.data.accountsById.values()];
  }

  /** True once ListAccounts reached its last page. */
  get listingComplete(): boolean {
    return this.complete;
  }

  /** True while this catalog's own listing pass runs. */
  get listingInProgress(): boolean {
    return this.listing !== undefined;
  }

  /** When the account list was last known complete (0: not yet), and the oldest role listing. */
  get freshnessInfo(): ReturnType<CatalogData['freshness']> {
    return this.data.freshness();
  }

  account(accountId: string): Account | undefined {
    return this.data.accountsById.get(accountId);
  }

  roles(accountId: string): RolesState {
    return this.data.roles(accountId);
  }

  allRoles(): RoleRef[] {
    return this.data.allRoles();
  }

  /** Re-lists everything (Refresh Accounts), through the shared listing when there is one. Known data stays visible until replaced. */
  refresh(): Promise<void> {
    return this.lister ? this.lister.refresh() : this.runPass(true);
  }

  /** Lists what the freshness rule says is due (freshness.ts); nothing when all is fresh. */
  update(): Promise<void> {
    return this.runPass(false);
  }

  /** Who decides which window lists (sharedListing.ts); refresh() goes through it. */
  setLister(lister: Lister | undefined): void {
    this.lister = lister;
  }

  /** One listing pass here: everything (`force`) or what is due. */
  runPass(force: boolean): Promise<void> {
    this.cancel();
    const generation = this.generation;
    const signal = this.abort.signal;
    this.listing = this.passes.run(generation, signal, force).finally(() => {
      if (generation === this.generation) this.listing = undefined;
    });
    return this.listing;
  }

  /** Whether update() would make any call. */
  needsUpdate(): boolean {
    const now = this.clock.now();
    if (accountsStale(this.data.accountsAt, now, this.freshness)) return true;
    return [...this.data.accountsById.keys()].some((id) => this.rolesDue(id, now));
  }

  /** Stops this catalog's listing pass (another window took it over); what is known stays. */
  stopListing(): void {
    if (this.listing) this.cancel();
    this.listing = undefined;
  }

  /** Resolves when the current listing and every queued role lookup are done. */
  async whenIdle(): Promise<void> {
    // A shared listing that is still deciding whether this window lists (reading its files).
    await this.lister?.ready?.catch(() => undefined);
    await this.listing;
    await Promise.all([...this.data.accountsById.keys()].map((id) => this.lookups.settled(id)));
  }

  /** Roles of one account, loaded first if needed (for a tree expansion, a type-ahead pick). */
  async ensureRoles(accountId: string): Promise<RolesState> {
    const state = this.roles(accountId);
    // Known roles are shown at once; old ones are listed again meanwhile (freshness.ts).
    if (state.kind === 'loaded') {
      if (this.rolesDue(accountId, this.clock.now())) this.lookups.addUrgent(accountId);
      return state;
    }
    this.lookups.addUrgent(accountId);
    return this.lookups.settled(accountId);
  }

  /** A credential fetch for a listed role of this account was refused: its roles may have changed. */
  rolesDoubtful(accountId: string): void {
    if (!this.data.accountsById.has(accountId)) return;
    this.data.rolesAt.delete(accountId);
    this.lookups.addUrgent(accountId);
  }

  /** A user call made elsewhere (a role switch) is about to use the portal: background calls leave it a slot. */
  yieldSlot(): void {
    this.pacer.yieldSlot();
  }

  snapshot(startUrl: string): CachedListing {
    return this.data.snapshot(startUrl, this.clock.now());
  }

  /** Shows a cached or shared listing at once (see CatalogData.restore); update() or refresh() then lists what is due. */
  restore(value: CachedListing, replace = false): void {
    if (!this.data.restore(value, replace)) return;
    if (this.data.accountsAt > 0) this.complete = true;
    this.changes.add(true);
  }

  /** A record of another window's listing (sharedListing.ts): shown as if listed here. */
  apply(record: ListingRecord): void {
    if (record.kind === 'accounts') {
      for (const a of record.accounts) this.data.accountsById.set(a.accountId, a);
      this.changes.add();
    } else if (record.kind === 'roles' && this.data.accountsById.has(record.accountId)) {
      this.data.setRoles(record.accountId, record.roles, record.at);
      // Listed elsewhere: a queued background look-up of it is no longer needed.
      this.lookups.drop(record.accountId, this.roles(record.accountId));
      this.changes.add(false, record.accountId);
    }
  }

  /** Forgets everything (sign-out). */
  clear(): void {
    this.cancel();
    this.data.clear();
    this.complete = false;
    this.changes.add(true);
  }

  dispose(): void {
    this.cancel();
    this.changes.dispose();
    this.failed.dispose();
    this.recorded.dispose();
  }

  // --- internals ---

  private rolesDue(accountId: string, now: number): boolean {
    return this.data.rolesDue(accountId, now, this.freshness);
  }

  private cancel(): void {
    this.generation++;
    this.abort.abort();
    this.abort = new AbortController();
    // Every paced call waits on this one signal; dozens of listeners are expected, not a leak.
    setMaxListeners(1000, this.abort.signal);
    this.lookups.reset();
  }
}
