// Which sign-in fetches a role's credentials: the one of the role's own portal, never another. A
// role whose portal is not signed in is refused with a message naming that portal (terminals,
// debug sessions and commands show it), so one portal ending leaves the others working.
import { portalRoleCredentials, type UserCallOptions } from '../aws/portal';
import { portalOf, type RoleCredentialsSecret, type RoleRef } from '../common/model';
import { portalSignedOutError, type Portals } from '../signIn/portals';
import type { Session } from '../signIn/session';

/** A signed-in portal's session for `role`, or the refusal to give. */
export function sessionForRole(portals: Portals, role: RoleRef): Session {
  const session = portals.forRole(role);
  if (!session || session.state.kind !== 'signedIn') {
    const id = portalOf(role);
    throw portalSignedOutError(role, id === undefined ? undefined : portals.info(id));
  }
  return session;
}

/**
 * GetRoleCredentials with the token of the role's portal, in that portal's region; `calls` says how
 * that portal's user calls are paced and retried (aws/portal.ts).
 */
export function routedPortalCredentials(
  portals: Portals,
  calls: (portal: string) => UserCallOptions = () => ({}),
): (role: RoleRef) => Promise<RoleCredentialsSecret> {
  return async (role) => {
    const session = sessionForRole(portals, role);
    const access = session.portalAccess(() => (session.state.kind === 'signedIn' ? session.state.region : (portals.info(portalOf(role) ?? '')?.region ?? '')));
    const creds = await portalRoleCredentials(access, calls(portalOf(role) ?? ''))(role);
    return { ...creds, portal: role.portal };
  };
}
