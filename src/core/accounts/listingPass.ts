// One listing pass of a catalog (catalog.ts): ListAccounts pages merged in as they arrive, accounts
// no longer assigned forgotten once the list is complete, then every due account's roles through
// the look-up queue. What it finds is also reported as records (sharedListing.ts follows them).
// A pass belongs to a generation: once the catalog moves on (refresh, sign-out), its results are dropped.
import * as l10n from '@vscode/l10n';
import type { Clock } from '../common/clock';
import { IdcError, isAbort, toIdcError } from '../common/errors';
import type { Logger } from '../common/log';
import type { CatalogData } from './catalogData';
import type { ChangeBatch } from './changeBatch';
import { accountsStale, type FreshnessRule } from './freshness';
import type { ListingRecord } from './listingState';
import type { CatalogStats, PacedPortal } from './pacedPortal';
import type { RoleLookupQueue } from './roleQueue';

/** What a pass reads and writes of its catalog. */
export interface ListingHost {
  readonly data: CatalogData;
  readonly portal: PacedPortal;
  readonly lookups: RoleLookupQueue;
  readonly changes: ChangeBatch;
  readonly stats: CatalogStats;
  readonly clock: Clock;
  readonly log: Logger;
  readonly freshness: FreshnessRule;
  /** False once the catalog started another generation (refresh, stop, sign-out). */
  isCurrent(generation: number): boolean;
  /** ListAccounts reached its last page (or a new listing of them started). */
  setComplete(complete: boolean): void;
  rolesDue(accountId: string, now: number): boolean;
  record(record: ListingRecord): void;
  /** A failure the user should hear about. */
  fail(err: IdcError): void;
}

export class ListingPasses {
  /** The listing generation whose cut-short role listing was already reported (once is enough). */
  private rolesCutReported = -1;

  constructor(private readonly host: ListingHost) {}

  /** Everything (`force`) or what the freshness rule says is due. */
  async run(generation: number, signal: AbortSignal, force: boolean): Promise<void> {
    const h = this.host;
    const started = h.clock.now();
    h.stats.firstPageAt = undefined;
    h.stats.allRolesAt = undefined;
    h.record({ kind: 'pass', at: started, force });
    const due = (id: string): boolean => force || h.rolesDue(id, started);
    try {
      if (force || accountsStale(h.data.accountsAt, started, h.freshness)) await this.listAccounts(generation, signal, started, due);
      else for (const id of h.data.accountsById.keys()) if (due(id)) h.lookups.add(id);
      if (!h.isCurrent(generation)) return;
      h.setComplete(true);
      h.lookups.fanOut = true;
      // Background role look-ups start once every account is on screen: the account pages are
      // few (100 per call) and would otherwise queue behind hundreds of role calls.
      h.lookups.pump();
      const ids = [...h.data.accountsById.keys()];
      await Promise.all(ids.map((id) => h.lookups.settled(id)));
      if (h.isCurrent(generation)) {
        h.stats.allRolesAt = h.clock.now() - started;
        h.record({ kind: 'done', at: h.clock.now() });
        h.log.info(`[accounts] roles known for ${ids.length} accounts after ${h.stats.allRolesAt} ms (${h.stats.calls} calls, ${h.stats.throttled} throttled)`);
      }
    } catch (e) {
      if (isAbort(e) || !h.isCurrent(generation)) return;
      const err = toIdcError(e, l10n.t('Listing accounts'));
      if (err.kind !== 'sessionEnded') {
        h.stats.userVisibleErrors++;
        h.fail(err);
      }
      h.log.warn(`[accounts] listing failed (${err.causeName ?? err.kind})`);
      // The accounts already listed still get their roles.
      h.lookups.fanOut = true;
      h.lookups.pump();
    }
  }

  /** One account's roles (the look-up queue calls this), then a change event for it. */
  async loadRoles(accountId: string, generation: number, signal: AbortSignal, urgent: boolean): Promise<void> {
    const h = this.host;
    try {
      const { roles: sorted, stopped } = await h.portal.roles(accountId, signal, urgent);
      if (!h.isCurrent(generation)) return;
      if (stopped) this.reportCutRoles(generation, stopped);
      const at = h.clock.now();
      h.data.rolesAt.set(accountId, at);
      h.lookups.settle(accountId, { kind: 'loaded', roles: sorted });
      h.record({ kind: 'roles', accountId, roles: sorted.map((r) => r.roleName), at });
    } catch (e) {
      if (isAbort(e) || !h.isCurrent(generation)) return;
      const err = toIdcError(e, l10n.t('Listing roles'));
      h.log.warn(`[accounts] roles of ${accountId} failed (${err.causeName ?? err.kind})`);
      h.lookups.settle(accountId, { kind: 'error', message: err.message });
    }
    h.changes.add(false, accountId);
  }

  private async listAccounts(generation: number, signal: AbortSignal, started: number, due: (id: string) => boolean): Promise<void> {
    const h = this.host;
    h.setComplete(false);
    h.lookups.fanOut = false;
    const seen = new Set<string>();
    const paged = await h.portal.accountPages(signal, (items, page) => {
      if (!h.isCurrent(generation)) return;
      for (const account of items) {
        seen.add(account.accountId);
        h.data.accountsById.set(account.accountId, account);
        if (due(account.accountId)) h.lookups.add(account.accountId);
      }
      if (page === 1) h.stats.firstPageAt = h.clock.now() - started;
      h.record({ kind: 'accounts', accounts: items });
      h.changes.add(page === 1);
    });
    if (!h.isCurrent(generation)) return;
    // Cut short: what was listed stays (and gets its roles), nothing is removed as unassigned.
    if (paged.stopped) throw paged.stopped;
    // Accounts no longer assigned disappear once the listing is complete.
    for (const id of [...h.data.accountsById.keys()]) if (!seen.has(id)) h.data.forget(id);
    h.data.accountsAt = h.clock.now();
    h.record({ kind: 'accountsDone', at: h.data.accountsAt });
    h.changes.add();
    h.log.info(`[accounts] listed ${seen.size} accounts in ${paged.pages} page(s), ${h.clock.now() - started} ms`);
  }

  /** A role listing cut short: its roles so far are shown, and the user hears about it once per refresh. */
  private reportCutRoles(generation: number, err: IdcError): void {
    const h = this.host;
    h.log.warn(`[accounts] ${err.causeName}: ${err.message}`);
    if (this.rolesCutReported === generation) return;
    this.rolesCutReported = generation;
    h.stats.userVisibleErrors++;
    h.fail(err);
  }
}
