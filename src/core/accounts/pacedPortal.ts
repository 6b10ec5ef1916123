// The catalog's portal calls: paced (pacer.ts), counted, throttling retried after a pause (the SDK
// has already retried a few times), a refused token handed to the session once (aws/portal.ts).
import * as l10n from '@vscode/l10n';
import { Clock, sleep } from '../common/clock';
import { errorName, isAbort, isThrottle } from '../common/errors';
import type { IdentityCenter } from '../aws/identityCenter';
import type { Account, RoleRef } from '../common/model';
import { ACCOUNT_LIMITS, ROLE_LIMITS, followPages, type PageLimits, type PagingResult } from './paging';
import { callPortal, type PortalAccess } from '../aws/portal';
import type { Logger } from '../common/log';
import type { Pacer } from '../aws/pacer';

export interface CatalogStats {
  calls: number;
  throttled: number;
  userVisibleErrors: number;
  firstPageAt?: number;
  allRolesAt?: number;
}

export interface ListingLimits {
  accounts?: PageLimits;
  roles?: PageLimits;
}

export class PacedPortal {
  constructor(
    private readonly access: PortalAccess,
    private readonly pacer: Pacer,
    private readonly stats: CatalogStats,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly limits: ListingLimits = {},
  ) {}

  /** Every ListAccounts page, each handed to `onPage` as it arrives. */
  accountPages(signal: AbortSignal, onPage: (items: Account[], page: number) => void): Promise<PagingResult> {
    const listing = { step: l10n.t('Listing accounts'), noun: l10n.t('accounts'), limits: this.limits.accounts ?? ACCOUNT_LIMITS };
    return followPages(listing, (nextToken) => this.call(signal, (ic, token) => ic.listAccounts(token, nextToken, signal)), onPage);
  }

  /** One account's roles over all pages, once each by name, sorted; `stopped` when paging was cut short. */
  async roles(accountId: string, signal: AbortSignal, urgent: boolean): Promise<{ roles: RoleRef[]; stopped?: PagingResult['stopped'] }> {
    // By name: a server listing a role twice (or on two pages) shows it once.
    const byName = new Map<string, RoleRef>();
    const listing = { step: l10n.t('Listing roles of account {0}', accountId), noun: l10n.t('roles'), limits: this.limits.roles ?? ROLE_LIMITS };
    const paged = await followPages(
      listing,
      (nextToken) => this.call(signal, (ic, token) => ic.listAccountRoles(token, accountId, nextToken, signal), urgent),
      (items) => items.forEach((r) => byName.set(r.roleName, r)),
    );
    return { roles: [...byName.values()].sort((a, b) => a.roleName.localeCompare(b.roleName)), stopped: paged.stopped };
  }

  /** One call; `urgent` (someone waits for it) takes the next slot ahead of background calls. */
  call<T extends { attempts: number }>(signal: AbortSignal, run: (ic: IdentityCenter, token: string) => Promise<T>, urgent = false): Promise<T> {
    const paced = async (ic: IdentityCenter, token: string): Promise<T> => {
      const result = await run(ic, token);
      if (result.attempts > 1) {
        this.stats.throttled += result.attempts - 1;
        this.pacer.throttled();
      } else this.pacer.succeeded();
      return result;
    };
    return callPortal(this.access, paced, {
      beforeAttempt: async () => {
        await this.pacer.acquire(signal, urgent);
        this.stats.calls++;
      },
      retry: async (e, attempt) => {
        if (isAbort(e) || signal.aborted) throw e;
        if (!isThrottle(e)) return false;
        this.stats.throttled++;
        this.pacer.throttled();
        // Urgent calls retry sooner: their wait is what the user sees.
        const base = urgent ? 100 : 250;
        await sleep(this.clock, Math.min(base * 2 ** attempt, urgent ? 2_000 : 5_000) * (0.5 + Math.random()), signal);
        return true;
      },
      giveUp: (e) => this.log.trace(`[accounts] call failed (${errorName(e)})`),
    });
  }
}
