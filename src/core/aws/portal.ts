// The session-bound seam to the SSO portal: every portal call gets the Identity Center client and a
// current access token; a refused token (401) goes to the session once (it refreshes the sign-in or
// ends it), then the call runs again. The session builds one with Session.portalAccess().
import { Clock, sleep, systemClock } from '../common/clock';
import { isSessionEnded, isThrottle } from '../common/errors';
import type { RoleCredentialsSecret, RoleRef } from '../common/model';
import type { IdentityCenter } from './identityCenter';

export interface PortalAccess {
  client: () => Promise<IdentityCenter>;
  accessToken: () => Promise<string>;
  /** Called when the portal refuses the token; the session decides whether it is over. */
  onUnauthorized?: (e: unknown) => Promise<void>;
}

export interface PortalCallHooks {
  /** Runs before every attempt (e.g. to wait for a paced slot). */
  beforeAttempt?: () => Promise<void>;
  /** Whether a failure is worth another attempt before the 401 rule looks at it (e.g. throttling); may throw. */
  retry?: (e: unknown, attempt: number) => Promise<boolean>;
  /** Sees the failure that ends the call. */
  giveUp?: (e: unknown) => void;
}

/** One portal call: token attached, one refresh on 401, then tried again. */
export async function callPortal<T>(access: PortalAccess, run: (ic: IdentityCenter, token: string) => Promise<T>, hooks: PortalCallHooks = {}): Promise<T> {
  let refreshed = false;
  for (let attempt = 0; ; attempt++) {
    await hooks.beforeAttempt?.();
    try {
      const ic = await access.client();
      return await run(ic, await access.accessToken());
    } catch (e) {
      if (await hooks.retry?.(e, attempt)) continue;
      if (isSessionEnded(e) && !refreshed && access.onUnauthorized) {
        refreshed = true;
        await access.onUnauthorized(e);
        continue;
      }
      hooks.giveUp?.(e);
      throw e;
    }
  }
}

export interface UserCallOptions {
  /** Before each attempt: e.g. tell this window's background listing to leave the next slot free. */
  beforeAttempt?: () => void;
  clock?: Clock;
  /** Keep retrying throttled attempts this long before giving up with the throttling message. */
  throttleBudgetMs?: number;
}

/**
 * GetRoleCredentials through the seam: where an Identity Center role's credentials come from. Someone
 * waits for it (a role switch, a terminal, Open Console), so throttling (the portal's budget is shared
 * with every window's background listing) is retried with short, growing pauses instead of failing.
 */
export function portalRoleCredentials(access: PortalAccess, o: UserCallOptions = {}): (role: RoleRef) => Promise<RoleCredentialsSecret> {
  const clock = o.clock ?? systemClock;
  const budget = o.throttleBudgetMs ?? 30_000;
  return (role) => {
    const started = clock.now();
    return callPortal(access, (ic, token) => ic.getRoleCredentials(token, role), {
      beforeAttempt: async () => o.beforeAttempt?.(),
      retry: async (e, attempt) => {
        if (!isThrottle(e) || clock.now() - started > budget) return false;
        await sleep(clock, Math.min(100 * 2 ** attempt, 2_000) * (0.5 + Math.random()));
        return true;
      },
    });
  };
}
