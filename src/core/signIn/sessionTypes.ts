// The shapes a Session is built from and reports: its state, how a sign-in ended, its options.
import type { CliTokenStore } from '../awsFiles/cliTokenCache';
import type { IdentityCenter } from '../aws/identityCenter';
import type { Clock } from '../common/clock';
import type { Logger } from '../common/log';
import type { SsoTarget } from '../common/model';
import type { PortalSecretKeys } from '../common/storageKeys';
import type { SecretStore } from '../common/stores';

export type SessionState =
  | { kind: 'signedOut'; reason?: string }
  | { kind: 'signingIn'; target: SsoTarget }
  | { kind: 'signedIn'; startUrl: string; region: string; expiresAt: number; canRefresh: boolean; sessionName?: string };

/** How signIn ended: `awsCli` when a valid AWS CLI sign-in was reused (no browser step). */
export interface SignInResult {
  reusedFrom: 'awsCli' | undefined;
}

export interface SessionOptions {
  store: SecretStore;
  /** Where this portal's sign-in is kept (storageKeys.ts portalSecretKeys); the single-sign-in keys when absent. */
  keys?: PortalSecretKeys;
  clock?: Clock;
  log?: Logger;
  createClient?: (region: string) => Promise<IdentityCenter>;
  clientName?: string;
  /** Refresh the access token this long before it expires (capped at half its lifetime). */
  refreshAheadMs?: number;
  /** The AWS CLI's token cache: its sign-in is reused and its refreshes followed. */
  cliCache?: CliTokenStore;
  /** Whether to also write our sign-in there (setting awsIdc.shareWithAwsCli). */
  shareWithCli?: () => boolean;
}
