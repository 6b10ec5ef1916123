// Composition root: build the pieces, wire their events, hand everything to the context.
import * as vscode from 'vscode';
import { AccountCatalog } from './core/accounts';
import { ActiveRole } from './core/activeRole';
import { systemClock } from './core/clock';
import { CredentialBroker } from './core/credentials';
import { CredentialServer } from './core/credentialServer';
import { isSessionEnded } from './core/errors';
import { Session } from './core/session';
import { AccountsTree } from './vscode/accountsTree';
import { registerCommands } from './vscode/commandHandlers';
import { settings } from './vscode/config';
import { createLog } from './vscode/log';
import { secretStoreFrom } from './vscode/secretStore';
import { SessionNotices } from './vscode/sessionNotices';
import { SignInUi } from './vscode/signIn';
import { StatusBar } from './vscode/statusBar';
import { TerminalEnvironment } from './vscode/terminalEnv';
import { signOutEverywhere, wireSession } from './vscode/wiring';

export function activate(context: vscode.ExtensionContext): unknown {
  const started = performance.now();
  const clock = systemClock;
  const { channel, logger: log } = createLog();
  const session = Session.create({ store: secretStoreFrom(context.secrets), clock, log });
  const region = (): string => (session.state.kind === 'signedIn' ? session.state.region : settings.region() || 'us-east-1');
  const catalog = new AccountCatalog({
    client: () => session.client(region()),
    accessToken: () => session.accessToken(),
    onUnauthorized: (e) => session.handleUnauthorized(e),
    clock,
    log,
  });
  const broker = new CredentialBroker({
    fetch: async (role) => {
      const ic = await session.client(region());
      try {
        return await ic.getRoleCredentials(await session.accessToken(), role);
      } catch (e) {
        if (!isSessionEnded(e)) throw e;
        await session.handleUnauthorized(e);
        return ic.getRoleCredentials(await session.accessToken(), role);
      }
    },
    refreshBeforeMs: settings.refreshBeforeMs,
    clock,
    log,
  });
  const active = new ActiveRole(context.workspaceState, context.globalState);
  const tree = new AccountsTree(catalog, active, context.globalState, () => session.state.kind === 'signedIn');
  const terminals = new TerminalEnvironment(context.environmentVariableCollection, session, active, broker, () => CredentialServer.start({ log }), log);
  const signIn = new SignInUi(session, log);
  const statusBar = new StatusBar(session, active, broker, clock, settings.warnBeforeMs);
  const notices = new SessionNotices(session, clock, settings.warnBeforeMs);
  context.subscriptions.push(
    channel, session, catalog, broker, active, tree, terminals, signIn, statusBar, notices,
    vscode.window.createTreeView('awsIdc.accounts', { treeDataProvider: tree, showCollapseAll: true }),
    ...wireSession(session, catalog, broker, active, context.globalState),
    ...registerCommands({ session, catalog, active, broker, tree, terminals, signIn, logChannel: channel, log, onSignOut: () => signOutEverywhere(session, context.globalState) }),
  );
  const activationMs = performance.now() - started;
  log.info(`[activate] ${activationMs.toFixed(2)} ms`);
  // Internals are exposed to our own test suites only, never to other extensions in normal use.
  return context.extensionMode === vscode.ExtensionMode.Test ? { session, catalog, active, broker, tree, statusBar, signIn, notices, terminals, activationMs } : undefined;
}

export function deactivate(): void {}
