// Every key the extension stores under, in one place: one owner per key, so nothing else writes it.

/** Secret storage (context.secrets, shared by every window). */
export const SECRET_KEYS = {
  /**
   * The single sign-in of versions before several portals (signIn/session.ts, tokenRefresh.ts, cliSharing.ts):
   * a Session built without its own keys uses these; signIn/portalMigration.ts moves them to a portal's keys.
   */
  token: 'awsIdc.token',
  /** The OIDC client registration (same owners). */
  registration: 'awsIdc.registration',
  /** Which window is refreshing the token (signIn/tokenRefresh.ts). */
  refreshLease: 'awsIdc.refreshLease',
  /** The portals with a sign-in: ids and targets, no secrets (signIn/portals.ts). */
  portals: 'awsIdc.portals',
  /** How new this window's copy of the secrets is, against the shared signal file (signIn/windowSecrets.ts). */
  generation: 'awsIdc.secretsGeneration',
  /** The random key this machine's active-role endpoint paths and tokens are derived from (terminals/endpointIdentity.ts). */
  endpointKey: 'awsIdc.endpointKey',
} as const;

/** One portal's secret keys: the same three as above, suffixed by the portal id (its normalised start URL). */
export interface PortalSecretKeys {
  token: string;
  registration: string;
  refreshLease: string;
}

export const LEGACY_PORTAL_KEYS: PortalSecretKeys = {
  token: SECRET_KEYS.token,
  registration: SECRET_KEYS.registration,
  refreshLease: SECRET_KEYS.refreshLease,
};

export function portalSecretKeys(portalId: string): PortalSecretKeys {
  return {
    token: `${SECRET_KEYS.token}:${portalId}`,
    registration: `${SECRET_KEYS.registration}:${portalId}`,
    refreshLease: `${SECRET_KEYS.refreshLease}:${portalId}`,
  };
}

/** Non-secret state (workspaceState / globalState). */
export const STATE_KEYS = {
  /** The active role: per workspace, and globally as the fallback (accounts/activeRole.ts). */
  activeRole: 'awsIdc.activeRole',
  /** Recently used roles, global (accounts/activeRole.ts). */
  recentRoles: 'awsIdc.recentRoles',
  /** Pinned account ids, global (the Accounts tree). */
  pinnedAccounts: 'awsIdc.pinnedAccounts',
  /** The last account listing of the single-sign-in versions; moved into `listings` (vscode/wiring.ts). */
  listing: 'awsIdc.listing',
  /** The last account listing per portal id, no secrets, global (the wiring that restores it at sign-in). */
  listings: 'awsIdc.listings',
  /** This window's endpoint: port, window id, epoch, pids of terminals given it; no secret, per workspace (vscode/endpointRevival.ts). */
  endpoint: 'awsIdc.endpoint',
  /** Which workspace the user allowed to launch with which role other than the active one, global (vscode/launchApproval.ts). */
  launchRoleApprovals: 'awsIdc.launchRoleApprovals',
} as const;
