// Terminals: the loopback credential endpoint (revived after a reload), every terminal's environment,
// terminals bound to a role, what other tools in them would sign as, and Show Terminal Identity.
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/events';
import { CredentialServer } from '../../core/terminals/credentialServer';
import type { Accounts } from '../accounts';
import type { TreeNode } from '../accounts/accountsTree';
import type { Activity } from '../activity';
import type { AwsFiles } from '../awsFiles';
import type { Credentials } from '../credentials';
import { Commands } from '../platform/commandIds';
import type { Platform } from '../platform';
import { EndpointRevival } from './endpointRevival';
import { TerminalEnvironment } from './terminalEnv';
import { showTerminalIdentity } from './terminalIdentity';
import { TerminalPeers } from './terminalPeers';

export interface TerminalsOptions {
  platform: Platform;
  accounts: Accounts;
  activity: Activity;
  credentials: Credentials;
  awsFiles: AwsFiles;
}

export interface Terminals extends vscode.Disposable {
  terminals: TerminalEnvironment;
  peers: TerminalPeers;
}

export function registerTerminals({ platform, accounts, activity, credentials, awsFiles }: TerminalsOptions): Terminals {
  const { context, log, secrets, command } = platform;
  const { session, active } = accounts;
  const { terminalProfile, longTermKeys } = awsFiles;
  const store = new DisposableStore();
  // The endpoint takes its last port back first, so terminals revived after a reload keep working.
  const revival = new EndpointRevival({
    state: context.workspaceState,
    secrets,
    log,
    start: (preferredPort) => CredentialServer.start({ log, preferredPort }),
  });
  if (revival.hasRevivable) void revival.server().catch((e) => log.warn(`[terminal] the endpoint did not start (${(e as Error).name})`));
  const terminals = store.add(
    new TerminalEnvironment({
      collection: context.environmentVariableCollection,
      session,
      active,
      broker: credentials.broker,
      startServer: () => revival.server(),
      log,
      served: activity.served,
      revival,
      profile: () => terminalProfile.ensure().finally(() => longTermKeys.refresh()),
      guard: credentials.guard,
      roleRegion: (r) => credentials.roleRegions.regionOf(r),
    }),
  );
  store.add(revival);
  const peers = store.add(
    new TerminalPeers({
      lastServedAt: () => terminals.lastServedAt,
      active: () => session.state.kind === 'signedIn' && !!active.current,
      terminalProfile: () => terminalProfile.current,
      log,
    }),
  );
  revival.connect(terminals);
  store.add(
    credentials.statusBar.showTerminalNotes(peers),
    credentials.roleRegions.onDidChange(() => void terminals.update()),
    command(Commands.openTerminal, async (node?: TreeNode) => {
      const choice = await credentials.chooseRole(node, vscode.l10n.t('Open a terminal as which role?'));
      if (!choice || !(await credentials.guard.approve(choice, 'terminal'))) return undefined;
      const terminal = await terminals.openBoundTerminal(choice);
      terminal.show();
      return terminal;
    }),
    command(Commands.terminalIdentity, (terminal?: unknown) => showTerminalIdentity({ active, terminalProfile: () => terminalProfile.current, log }, terminal)),
  );
  return { terminals, peers, dispose: () => store.dispose() };
}
