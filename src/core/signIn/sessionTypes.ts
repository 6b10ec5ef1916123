// The shapes a Session is built from and reports: its state, how a sign-in ended, its options.
import type { CliTokenStore } from '../awsFiles/cliTokenCache';
import type { IdentityCenter } from '../aws/identityCenter';
import type { Clock } from '../common/clock';
import type { Logger } from '../common/log';
import type { SignInFlow, SsoTarget } from '../common/model';
import type { DeviceCodePrompt } from './deviceFlow';
import type { FlowPlan } from './flowChoice';
import type { PortalSecretKeys } from '../common/storageKeys';
import type { SecretStore } from '../common/stores';

export type SessionState =
  | { kind: 'signedOut'; reason?: string }
  | { kind: 'signingIn'; target: SsoTarget }
  | { kind: 'signedIn'; startUrl: string; region: string; expiresAt: number; canRefresh: boolean; sessionName?: string };

/** How signIn ended: `awsCli` when a valid AWS CLI sign-in was reused (no browser step); else the flow used. */
export interface SignInResult {
  reusedFrom: 'awsCli' | undefined;
  flow?: SignInFlow;
}

/** What a sign-in needs from the UI. Without `plan` (or `openBrowser`) it is the device code. */
export interface SignInInteraction {
  /** Device code: show the code and open the verification page. */
  onCode: (p: DeviceCodePrompt) => void | Promise<void>;
  plan?: FlowPlan;
  /** Authorization code: open this address in the user's browser. */
  openBrowser?: (url: string) => void | Promise<void>;
  /** Authorization code in a remote window: the listener's address as the user's browser reaches it. */
  externalRedirect?: (localRedirectUri: string) => Promise<string | undefined>;
  /** Authorization code: the loopback listener's port, once bound. */
  onListening?: (port: number) => void;
  /** Authorization code: how long to wait for the browser (default 10 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
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
