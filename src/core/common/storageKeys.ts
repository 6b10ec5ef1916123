// Every key the extension stores under, in one place: one owner per key, so nothing else writes it.

/** Secret storage (context.secrets, shared by every window). */
export const SECRET_KEYS = {
  /** The sign-in tokens (signIn/session.ts, tokenRefresh.ts, cliSharing.ts). */
  token: 'awsIdc.token',
  /** The OIDC client registration (same owners). */
  registration: 'awsIdc.registration',
  /** Which window is refreshing the token (signIn/tokenRefresh.ts). */
  refreshLease: 'awsIdc.refreshLease',
  /** How new this window's copy of the secrets is, against the shared signal file (signIn/windowSecrets.ts). */
  generation: 'awsIdc.secretsGeneration',
} as const;

/** Non-secret state (workspaceState / globalState). */
export const STATE_KEYS = {
  /** The active role: per workspace, and globally as the fallback (accounts/activeRole.ts). */
  activeRole: 'awsIdc.activeRole',
  /** Recently used roles, global (accounts/activeRole.ts). */
  recentRoles: 'awsIdc.recentRoles',
  /** Pinned account ids, global (the Accounts tree). */
  pinnedAccounts: 'awsIdc.pinnedAccounts',
  /** The last account listing, no secrets, global (the wiring that restores it at sign-in). */
  listing: 'awsIdc.listing',
} as const;
