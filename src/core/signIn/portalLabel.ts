// How a portal is named to the user: its sso-session name, else its start URL's host.
import { portalOf, type RoleRef } from '../common/model';
import type { Portals } from './portals';

/** A portal's label: its sso-session name, else its start URL's host. */
export function portalLabel(info: { startUrl: string; sessionName?: string }): string {
  if (info.sessionName) return info.sessionName;
  try {
    return new URL(info.startUrl).host;
  } catch {
    return info.startUrl;
  }
}

/** The portal a role belongs to, for messages (its label), if known. */
export function portalLabelOf(portals: Portals, role: RoleRef): string | undefined {
  const id = portalOf(role);
  const info = id === undefined ? undefined : portals.info(id);
  return info ? portalLabel(info) : undefined;
}
