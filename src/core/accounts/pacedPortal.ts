// The catalog's portal calls: paced (pacer.ts), counted, throttling retried after a pause (the SDK
// has already retried a few times), a refused token handed to the session once (aws/portal.ts).
import { Clock, sleep } from '../common/clock';
import { errorName, isAbort, isThrottle } from '../common/errors';
import type { IdentityCenter } from '../aws/identityCenter';
import { callPortal, type PortalAccess } from '../aws/portal';
import type { Logger } from '../common/log';
import type { Pacer } from './pacer';

export interface CatalogStats {
  calls: number;
  throttled: number;
  userVisibleErrors: number;
  firstPageAt?: number;
  allRolesAt?: number;
}

export class PacedPortal {
  constructor(
    private readonly access: PortalAccess,
    private readonly pacer: Pacer,
    private readonly stats: CatalogStats,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

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
