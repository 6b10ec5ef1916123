// Every key the extension stores under, in one place: one owner per key, so nothing else writes it.

/** Secret storage (context.secrets, shared by every window). */
export const SECRET_KEYS = {
  /**
   * The single sign-in of versions before several portals (signIn/session.ts, tokenRefresh.ts, cliSharing.ts):
   * a Session built without its own keys uses these; signIn/portalMigration.ts moves them to a portal's keys.
   */
  token: 'awsIdc.token',
  /** The OIDC client registration that issued the current token, and the device-code one (same owners). */
  registration: 'awsIdc.registration',
  /** The authorization-code (PKCE) client registration, kept apart for the next such sign-in (signIn/signInFlows.ts). */
  authCodeRegistration: 'awsIdc.authCodeRegistration',
  /** Which window is refreshing the token (signIn/tokenRefresh.ts). */
  refreshLease: 'awsIdc.refreshLease',
  /** The portals with a sign-in: ids and targets, no secrets (signIn/portals.ts). */
  portals: 'awsIdc.portals',
  /** How new this window's copy of the secrets is, against the shared signal file (signIn/windowSecrets.ts). */
  generation: 'awsIdc.secretsGeneration',
  /** The random key this machine's active-role endpoint paths and tokens are derived from (terminals/endpointIdentity.ts). */
  endpointKey: 'awsIdc.endpointKey',
} as const;

/** One portal's secret keys: the same four as above, suffixed by the portal id (its normalised start URL). */
export interface PortalSecretKeys {
  token: string;
  registration: string;
  authCodeRegistration: string;
  refreshLease: string;
}

export const LEGACY_PORTAL_KEYS: PortalSecretKeys = {
  token: SECRET_KEYS.token,
  registration: SECRET_KEYS.registration,
  authCodeRegistration: SECRET_KEYS.authCodeRegistration,
  refreshLease: SECRET_KEYS.refreshLease,
};

export function portalSecretKeys(portalId: string): PortalSecretKeys {
  return {
    token: `${SECRET_KEYS.token}:${portalId}`,
    registration: `${SECRET_KEYS.registration}:${portalId}`,
    authCodeRegistration: `${SECRET_KEYS.authCodeRegistration}:${portalId}`,
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
  /** The last account listing of the single-sign-in versions; moved into `listings` (accounts/listingCache.ts migrateListing). */
  listing: 'awsIdc.listing',
  /** The last account listing per portal id, no secrets, global (accounts/portalListings.ts restores it at sign-in). */
  listings: 'awsIdc.listings',
  /** This window's endpoint: port, window id, epoch, pids of terminals given it; no secret, per workspace (vscode/endpointRevival.ts). */
  endpoint: 'awsIdc.endpoint',
  /** Which workspace the user allowed to launch with which role other than the active one, global (vscode/launchApproval.ts). */
  launchRoleApprovals: 'awsIdc.launchRoleApprovals',
  /** Each guarded role's running time box: when it ends and the role to return to; global (credentials/roleGuard.ts). */
  guardedRoleBoxes: 'awsIdc.guardedRoleBoxes',
  /** The region each role's terminals, debug sessions and console use, set by the user; global (accounts/roleRegions.ts). */
  roleRegions: 'awsIdc.roleRegions',
  /** Console paths the user opened lately (e.g. /lambda/home), no secrets, global (vscode/credentials/openConsole.ts). */
  consoleDestinations: 'awsIdc.consoleDestinations',
  /** How to put back long-term keys moved aside (profile names, file hashes, header lines; never a key), global (vscode/awsFiles/retireLongTermKey.ts). */
  retiredKeys: 'awsIdc.retiredKeys',
} as const;
