// Composition root: build the pieces, wire their events, hand everything to the context.
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { AccountCatalog } from './core/accounts/catalog';
import { relistOnRefusal } from './core/accounts/freshness';
import { withCredentialProgress } from './vscode/credentialProgress';
import { ActiveRole } from './core/accounts/activeRole';
import { ActivityLog, credentialActivityRecorder } from './core/activity/activityLog';
import { CliTokenCache } from './core/awsFiles/cliTokenCache';
import { systemClock } from './core/common/clock';
import { CredentialBroker } from './core/credentials/broker';
import { CredentialServer } from './core/terminals/credentialServer';
import { portalRoleCredentials } from './core/aws/portal';
import { roleCredentials } from './core/credentials/roleCredentials';
import { Session } from './core/signIn/session';
import { ActivityView } from './vscode/activityView';
import { IdentityCenterAuthProvider } from './vscode/authProvider';
import { ChainedRoleSettings } from './vscode/chainedRoleSettings';
import { LongTermKeys } from './vscode/longTermKeys';
import { askMfaCode } from './vscode/mfaPrompt';
import { AccountsTree } from './vscode/accountsTree';
import { registerCommands } from './vscode/commandHandlers';
import { regionFor, settings } from './vscode/config';
import { DebugCredentials } from './vscode/debugCredentials';
import { createLog } from './vscode/log';
import { OtherWindows } from './vscode/otherWindows';
import { windowSecretsFrom } from './vscode/secretStore';
import { SessionNotices } from './vscode/sessionNotices';
import { SignInUi } from './vscode/signIn';
import { StatusBar } from './vscode/statusBar';
import { TerminalEnvironment } from './vscode/terminalEnv';
import { WalkthroughProgress } from './vscode/walkthroughProgress';
import { signOutEverywhere, wireSession } from './vscode/wiring';

export function activate(context: vscode.ExtensionContext): unknown {
  const started = performance.now();
  // Core words its messages with @vscode/l10n: hand it the editor's bundle before anything is built (none in English).
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const clock = systemClock;
  const { channel, logger: log } = createLog();
  const secrets = windowSecretsFrom(context, log);
  const session = Session.create({
    store: secrets,
    clock,
    log,
    cliCache: new CliTokenCache(),
    shareWithCli: settings.shareWithAwsCli,
  });
  const region = (): string => regionFor('identityCenter', session);
  const portal = session.portalAccess(region);
  const catalog = new AccountCatalog({ ...portal, clock, log });
  const chained = new ChainedRoleSettings(log);
  const broker: CredentialBroker = new CredentialBroker({
    fetch: roleCredentials({
      // A user waits for these: ahead of background look-ups, throttling retried with progress shown.
      portal: withCredentialProgress(
        relistOnRefusal(portalRoleCredentials(portal, { beforeAttempt: () => catalog.yieldSlot(), clock }), (id) => catalog.rolesDoubtful(id)),
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
  const longTermKeys = new LongTermKeys(log);
  const active = new ActiveRole(context.workspaceState, context.globalState);
  const tree = new AccountsTree({
    catalog,
    active,
    state: context.globalState,
    signedIn: () => session.state.kind === 'signedIn',
    banner: longTermKeys,
    chained: () => chained.roles,
  });
  const terminals = new TerminalEnvironment({
    collection: context.environmentVariableCollection,
    session,
    active,
    broker,
    startServer: () => CredentialServer.start({ log }),
    log,
    served,
  });
  const otherWindows = new OtherWindows(secrets, session, log);
  const signIn = new SignInUi(session, log, otherWindows);
  const statusBar = new StatusBar({ session, active, broker, clock, warnBeforeMs: settings.warnBeforeMs });
  const notices = new SessionNotices({ session, clock, warnBeforeMs: settings.warnBeforeMs });
  const activityView = new ActivityView(activity);
  const signOut = (): Promise<void> => signOutEverywhere(session, context.globalState, context.globalStorageUri.fsPath);
  const auth = new IdentityCenterAuthProvider({ session, signIn: () => signIn.signIn(), signOut });
  const walkthrough = new WalkthroughProgress({ session, active });
  const debugging = new DebugCredentials({ session, active, catalog, chained: () => chained.roles, terminals, log });
  const accountsView = vscode.window.createTreeView('awsIdc.accounts', { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(
    channel,
    secrets,
    session,
    otherWindows,
    catalog,
    broker,
    active,
    tree,
    terminals,
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
    accountsView,
    // How fresh the listing is, above the accounts (roles are listed again when old: freshness.ts).
    // A message, not the description: the view's long title leaves no room for one in the sidebar.
    catalog.onDidChange(() => (accountsView.message = tree.freshness())),
    {
      dispose: clearInterval.bind(
        undefined,
        setInterval(() => (accountsView.message = tree.freshness()), 60_000),
      ),
    },
    ...wireSession({ session, catalog, broker, active, globalState: context.globalState, listingRoot: context.globalStorageUri.fsPath, log }),
    ...registerCommands({
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
    }),
  );
  const activationMs = performance.now() - started;
  log.info(`[activate] ${activationMs.toFixed(2)} ms`);
  // Internals are exposed to our own test suites only, never to other extensions in normal use.
  return context.extensionMode === vscode.ExtensionMode.Test
    ? { session, catalog, active, broker, tree, statusBar, signIn, notices, terminals, activity, longTermKeys, auth, otherWindows, secrets, activationMs }
    : undefined;
}

export function deactivate(): void {}
