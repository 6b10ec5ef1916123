// What activate() returns to our own test suites (test/vscode, the harness, bench), and only in
// VS Code's Test mode: never to other extensions in normal use. The suites import this type.
import type * as vscode from 'vscode';
import type { ActiveRole } from '../core/accounts/activeRole';
import type { PortalCatalogs } from '../core/accounts/portalCatalogs';
import type { ActivityLog } from '../core/activity/activityLog';
import type { RoleRegions } from '../core/accounts/roleRegions';
import type { CredentialBroker } from '../core/credentials/broker';
import type { RoleGuard } from '../core/credentials/roleGuard';
import type { Portals } from '../core/signIn/portals';
import type { Session } from '../core/signIn/session';
import type { WindowSecrets } from '../core/signIn/windowSecrets';
import type { Accounts } from './accounts';
import type { AccountsTree } from './accounts/accountsTree';
import type { Activity } from './activity';
import type { AwsFiles } from './awsFiles';
import type { LongTermKeys } from './awsFiles/longTermKeys';
import type { Credentials } from './credentials';
import type { StatusBar } from './credentials/statusBar';
import type { Platform } from './platform';
import type { SignIn } from './signIn';
import type { IdentityCenterAuthProvider } from './signIn/authProvider';
import type { OtherWindows } from './signIn/otherWindows';
import type { SessionNotices } from './signIn/sessionNotices';
import type { SignInUi } from './signIn/signInUi';
import type { Terminals } from './terminals';
import type { TerminalEnvironment } from './terminals/terminalEnv';
import type { TerminalPeers } from './terminals/terminalPeers';

export interface TestApi {
  /**
   * The first portal's sign-in (suites written for one portal use it), else a signed-out stand-in
   * that has only `state` (what suites read before any portal is known).
   */
  readonly session: Session;
  portals: Portals;
  catalog: PortalCatalogs;
  active: ActiveRole;
  broker: CredentialBroker;
  tree: AccountsTree;
  statusBar: StatusBar;
  signIn: SignInUi;
  notices: SessionNotices;
  terminals: TerminalEnvironment;
  peers: TerminalPeers;
  activity: ActivityLog;
  longTermKeys: LongTermKeys;
  auth: IdentityCenterAuthProvider;
  otherWindows: OtherWindows;
  secrets: WindowSecrets;
  /** Where the user's answers to the launch-role question are kept (tests answer it as the user would). */
  globalState: vscode.Memento;
  /** Guarded roles (the time box, the pattern that guards a role). */
  guard: RoleGuard;
  roleRegions: RoleRegions;
  activationMs: number;
}

export interface Capabilities {
  platform: Platform;
  signIn: SignIn;
  accounts: Accounts;
  activity: Activity;
  credentials: Credentials;
  awsFiles: AwsFiles;
  terminals: Terminals;
}

export function testApi(c: Capabilities, activationMs: number): TestApi {
  const { portals } = c.signIn;
  return {
    get session() {
      return (portals.signedIn[0] ?? portals.all[0])?.session ?? ({ state: { kind: 'signedOut' } } as Session);
    },
    portals,
    catalog: c.accounts.catalog,
    active: c.accounts.active,
    broker: c.credentials.broker,
    tree: c.accounts.tree,
    statusBar: c.credentials.statusBar,
    signIn: c.signIn.ui,
    notices: c.signIn.notices,
    terminals: c.terminals.terminals,
    peers: c.terminals.peers,
    activity: c.activity.log,
    longTermKeys: c.awsFiles.longTermKeys,
    auth: c.signIn.auth,
    otherWindows: c.signIn.otherWindows,
    secrets: c.platform.secrets,
    globalState: c.platform.context.globalState,
    guard: c.credentials.guard,
    roleRegions: c.credentials.roleRegions,
    activationMs,
  };
}
