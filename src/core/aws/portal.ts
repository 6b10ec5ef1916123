// The session-bound seam to the SSO portal: every portal call gets the Identity Center client and a
// current access token; a refused token (401) goes to the session once (it refreshes the sign-in or
// ends it), then the call runs again. The session builds one with Session.portalAccess().
import { isSessionEnded } from '../common/errors';
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

/** GetRoleCredentials through the seam: where an Identity Center role's credentials come from. */
export function portalRoleCredentials(access: PortalAccess): (role: RoleRef) => Promise<RoleCredentialsSecret> {
  return (role) => callPortal(access, (ic, token) => ic.getRoleCredentials(token, role));
}
