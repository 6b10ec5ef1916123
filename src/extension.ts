// Composition root: build the pieces, wire their events, hand everything to the context.
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { setUnexpectedErrorHandler } from './core/common/events';
import { PortalCatalogs } from './core/accounts/portalCatalogs';
import { relistOnRefusal } from './core/accounts/freshness';
import { withCredentialProgress } from './vscode/credentialProgress';
import { ActiveRole } from './core/accounts/activeRole';
import { ActivityLog, credentialActivityRecorder } from './core/activity/activityLog';
import { CliTokenCache } from './core/awsFiles/cliTokenCache';
import { systemClock } from './core/common/clock';
import { CredentialBroker } from './core/credentials/broker';
import { CredentialServer } from './core/terminals/credentialServer';
import { setEndpointNotice } from './core/aws/endpointGuard';
import { routedPortalCredentials } from './core/credentials/portalRouting';
import { roleCredentials } from './core/credentials/roleCredentials';
import { Portals } from './core/signIn/portals';
import { ActivityView } from './vscode/activityView';
import { IdentityCenterAuthProvider } from './vscode/authProvider';
import { ChainedRoleSettings } from './vscode/chainedRoleSettings';
import { showListingFreshness } from './vscode/listingFreshness';
import { LongTermKeys } from './vscode/longTermKeys';
import { followNetworkSettings } from './vscode/networkSettings';
import { askMfaCode } from './vscode/mfaPrompt';
import { AccountsTree } from './vscode/accountsTree';
import { registerCommands } from './vscode/commandHandlers';
import { regionFor, settings } from './vscode/config';
import { DebugCredentials } from './vscode/debugCredentials';
import { approveLaunchRole } from './vscode/launchApproval';
import { isTrusted } from './vscode/workspaceTrust';
import { createLog } from './vscode/log';
import { OtherWindows } from './vscode/otherWindows';
import { windowSecretsFrom } from './vscode/secretStore';
import { SessionNotices } from './vscode/sessionNotices';
import { SignInUi } from './vscode/signIn';
import { StatusBar } from './vscode/statusBar';
import { TerminalEnvironment } from './vscode/terminalEnv';
import { EndpointRevival } from './vscode/endpointRevival';
import { showTerminalIdentity } from './vscode/terminalIdentity';
import { TerminalPeers } from './vscode/terminalPeers';
import { TerminalProfileSetup } from './vscode/terminalProfile';
import { WalkthroughProgress } from './vscode/walkthroughProgress';
import { ActiveSessionView } from './vscode/portalView';
import { portalLabelOf, signOutPortals, wireSession } from './vscode/wiring';

export function activate(context: vscode.ExtensionContext): unknown {
  const started = performance.now();
  // Core words its messages with @vscode/l10n: hand it the editor's bundle before anything is built (none in English).
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const clock = systemClock;
  const { channel, logger: log } = createLog();
  // A throwing listener or disposable is logged; the others still run.
  setUnexpectedErrorHandler((e, where) => log.error(`[events] ${where}: ${e instanceof Error ? e.name : 'error'}`));
  // Before anything can call AWS: every call follows VS Code's proxy settings (and their changes).
  const network = followNetworkSettings();
  // Tokens sent to a host that is not AWS (AWS_ENDPOINT_URL*, endpoint_url): said once per host.
  setEndpointNotice((message) => {
    log.warn(`[network] ${message}`);
    void vscode.window.showWarningMessage(message);
  });
  // Guarded: a window with a stale copy of the secrets never writes it over another's sign-in.
  const secrets = windowSecretsFrom(context, log);
  // One sign-in per portal (settings and each [sso-session]); each refreshes and ends on its own.
  const portals = Portals.create({
    store: secrets,
    clock,
    log,
    cliCache: new CliTokenCache(),
    shareWithCli: settings.shareWithAwsCli,
  });
  const active = new ActiveRole(context.workspaceState, context.globalState);
  // The sign-in the status bar, terminals and regions follow: the active role's portal.
  const session = new ActiveSessionView(portals, active);
  const region = (): string => regionFor('identityCenter', session);
  const catalog = new PortalCatalogs({ portals, clock, log, region: (s) => regionFor('identityCenter', s) });
  const chained = new ChainedRoleSettings(log);
  const broker: CredentialBroker = new CredentialBroker({
    fetch: roleCredentials({
      // Each role with its own portal's token (a role of a portal not signed in is refused). A user
      // waits for these: ahead of that portal's background look-ups, throttling retried with progress shown.
      portal: withCredentialProgress(
        relistOnRefusal(
          routedPortalCredentials(portals, (portal) => ({ beforeAttempt: () => catalog.catalog(portal)?.yieldSlot(), clock })),
          (id) => catalog.rolesDoubtful(id),
        ),
      ),
      source: (role) => broker.get(role),
      chainedRoles: () => chained.roles,
      region,
      mfaCode: askMfaCode,
    }),
    refreshBeforeMs: settings.refreshBeforeMs,
    clock,
    log,
  });
  // Secret-free record of who got which credentials (issued by AWS, served to a consumer).
  const activity = new ActivityLog({
    file: path.join(context.globalStorageUri.fsPath, 'activity.jsonl'),
    onError: (e) => log.warn(`[activity] could not save (${(e as Error).name})`),
  });
  const { issued, served } = credentialActivityRecorder(activity, (id) => catalog.account(id)?.accountName);
  const terminalProfile = new TerminalProfileSetup(context.globalState, log);
  const longTermKeys = new LongTermKeys(log, () => ({
    mode: settings.terminalMode(),
    active: session.state.kind === 'signedIn' && !!active.current,
    profile: terminalProfile.current,
    inheritedProfile: process.env.AWS_PROFILE || undefined,
  }));
  const tree = new AccountsTree({
    catalog,
    portals,
    active,
    state: context.globalState,
    signedIn: () => portals.summary === 'signedIn',
    banner: longTermKeys,
    chained: () => chained.roles,
  });
  // The endpoint takes its last port back first, so terminals revived after a reload keep working.
  const revival = new EndpointRevival({
    state: context.workspaceState,
    secrets,
    log,
    start: (preferredPort) => CredentialServer.start({ log, preferredPort }),
  });
  if (revival.hasRevivable) void revival.server().catch((e) => log.warn(`[terminal] the endpoint did not start (${(e as Error).name})`));
  const terminals = new TerminalEnvironment({
    collection: context.environmentVariableCollection,
    session,
    active,
    broker,
    startServer: () => revival.server(),
    log,
    served,
    revival,
    profile: () => terminalProfile.ensure().finally(() => longTermKeys.refresh()),
  });
  const peers = new TerminalPeers({
    lastServedAt: () => terminals.lastServedAt,
    active: () => session.state.kind === 'signedIn' && !!active.current,
    terminalProfile: () => terminalProfile.current,
    log,
  });
  revival.connect(terminals);
  const otherWindows = new OtherWindows(secrets, portals, log);
  const signIn = new SignInUi(portals, log, otherWindows);
  const statusBar = new StatusBar({
    session,
    active,
    broker,
    clock,
    warnBeforeMs: settings.warnBeforeMs,
    portalName: () => (portals.signedIn.length > 1 && active.current ? portalLabelOf(portals, active.current) : undefined),
    terminalNotes: peers,
  });
  const notices = new SessionNotices({ portals, clock, warnBeforeMs: settings.warnBeforeMs });
  const activityView = new ActivityView(activity);
  const listingRoot = context.globalStorageUri.fsPath;
  const signOut = (portal?: string): Promise<boolean> => signOutPortals(portals, context.globalState, listingRoot, portal);
  const auth = new IdentityCenterAuthProvider({
    portals,
    signIn: (startUrl) => signIn.signIn(startUrl),
    signOut: (portal) => signOut(portal).then(() => undefined),
  });
  const walkthrough = new WalkthroughProgress({ session, active });
  const debugging = new DebugCredentials({
    signedIn: () => portals.summary === 'signedIn',
    active,
    catalog,
    chained: () => chained.roles,
    terminals,
    log,
    approve: (role, name, folder) =>
      approveLaunchRole(
        {
          state: context.globalState,
          active: () => active.current,
          accountName: (id) => catalog.account(id)?.accountName,
          portalName: (role) => portalLabelOf(portals, role),
          log,
        },
        role,
        name,
        folder,
      ),
    trusted: isTrusted,
  });
  const accountsView = vscode.window.createTreeView('awsIdc.accounts', { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(
    channel,
    network,
    secrets,
    portals,
    session,
    otherWindows,
    catalog,
    broker,
    active,
    tree,
    terminals,
    revival,
    terminalProfile,
    peers,
    signIn,
    statusBar,
    notices,
    chained,
    activity,
    activityView,
    longTermKeys,
    auth,
    walkthrough,
    debugging,
    broker.onDidRefresh(issued),
    chained.onDidChange(() => tree.refreshView()),
    // The long-term key row says whether new terminals would use a key: that follows the sign-in and role.
    active.onDidChange(() => longTermKeys.refresh()),
    portals.onDidChange(() => longTermKeys.refresh()),
    accountsView,
    showListingFreshness({ view: accountsView, catalog, signedIn: () => portals.summary === 'signedIn', redraw: () => tree.refreshView() }),
    ...wireSession({ portals, catalog, broker, active, globalState: context.globalState, listingRoot, log }),
    ...registerCommands({
      portals,
      session,
      catalog,
      active,
      broker,
      tree,
      terminals,
      signIn,
      logChannel: channel,
      log,
      onSignOut: signOut,
      activityView,
      longTermKeys,
      served,
      walkthrough,
      terminalIdentity: (terminal) => showTerminalIdentity({ active, terminalProfile: () => terminalProfile.current, log }, terminal),
      chained: () => chained.roles,
    }),
  );
  const activationMs = performance.now() - started;
  log.info(`[activate] ${activationMs.toFixed(2)} ms`);
  // Internals are exposed to our own test suites only, never to other extensions in normal use.
  return context.extensionMode === vscode.ExtensionMode.Test
    ? {
        // The first portal's sign-in (suites written for one portal use it), else a signed-out stand-in.
        get session() {
          return (portals.signedIn[0] ?? portals.all[0])?.session ?? { state: { kind: 'signedOut' } };
        },
        portals,
        catalog,
        active,
        broker,
        tree,
        statusBar,
        signIn,
        notices,
        terminals,
        peers,
        activity,
        longTermKeys,
        auth,
        otherWindows,
        secrets,
        /** Where the user's answers to the launch-role question are kept (tests answer it as the user would). */
        globalState: context.globalState,
        activationMs,
      }
    : undefined;
}

export function deactivate(): void {}
