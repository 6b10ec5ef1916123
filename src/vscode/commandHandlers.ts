// Every command's handler, registered in one place. Handlers are thin: they ask core to act
// and turn failures into messages that say what to do.
import * as vscode from 'vscode';
import type { PortalCatalogs } from '../core/accounts/portalCatalogs';
import type { ActiveRole, ActiveRoleChoice } from '../core/accounts/activeRole';
import { consoleLoginUrl } from '../core/credentials/consoleSignIn';
import type { CredentialBroker } from '../core/credentials/broker';
import { toIdcError } from '../core/common/errors';
import { formatRelative } from '../core/common/format';
import type { Logger } from '../core/common/log';
import type { ChainedRoleDefinition } from '../core/credentials/chainedRoles';
import type { RoleCredentialsSecret } from '../core/common/model';
import { sessionForRole } from '../core/credentials/portalRouting';
import type { Portals } from '../core/signIn/portals';
import { envVariables, exportLines } from '../core/terminals/terminalEnv';
import type { AccountsTree, TreeNode } from './accountsTree';
import { confirmCopyEnv, knownRoleOf } from './commandGuards';
import type { ActivityView } from './activityView';
import { saveRoleAsCliProfile } from './cliProfile';
import { Commands, EXTENSION_ID, WALKTHROUGH_ID } from './commands';
import { regionFor } from './config';
import type { SessionView } from './portalView';
import { portalLabelOf } from './wiring';
import type { LongTermKeys } from './longTermKeys';
import { pickRole } from './roleSwitcher';
import type { SignInUi } from './signIn';
import type { TerminalEnvironment } from './terminalEnv';
import type { WalkthroughProgress } from './walkthroughProgress';

export interface CommandDeps {
  portals: Portals;
  /** The active role's sign-in (regions follow it). */
  session: SessionView;
  catalog: PortalCatalogs;
  active: ActiveRole;
  broker: CredentialBroker;
  tree: AccountsTree;
  terminals: TerminalEnvironment;
  signIn: SignInUi;
  logChannel: vscode.LogOutputChannel;
  log: Logger;
  /** One portal (its id), or asks which when several are signed in; false when the user backed out. */
  onSignOut: (portal?: string) => Promise<boolean>;
  activityView: ActivityView;
  longTermKeys: LongTermKeys;
  /** Records a hand-out of role credentials to something outside the extension. */
  served: (creds: RoleCredentialsSecret, consumer: string) => void;
  walkthrough: WalkthroughProgress;
  /** Show Terminal Identity for a terminal (given, active or picked). */
  terminalIdentity: (terminal?: unknown) => Promise<unknown>;
  chained: () => readonly ChainedRoleDefinition[];
}

export function registerCommands(d: CommandDeps): vscode.Disposable[] {
  const roleFrom = async (node: TreeNode | undefined, title: string): Promise<ActiveRoleChoice | undefined> => {
    // A role argument (a tree node, or anything another extension or a task passes) must be one the catalog lists.
    if (node?.kind === 'role') return knownRoleOf(d, node.role);
    if (!(await ensureSignedIn(d))) return undefined;
    return pickRole(d.catalog, d.active, title, (role) => (d.portals.signedIn.length > 1 ? portalLabelOf(d.portals, role) : undefined));
  };
  const reportFailure = (e: unknown, id: string): void => {
    // The message names the command as the user knows it ("Switch Role failed …"); the log keeps the id.
    const err = toIdcError(e, commandTitle(id));
    d.log.warn(`[command] ${id.replace('awsIdc.', '')} failed (${err.causeName ?? err.kind})`);
    if (err.kind !== 'cancelled') void vscode.window.showErrorMessage(err.message);
  };
  const register = (id: string, handler: (...args: never[]) => unknown): vscode.Disposable =>
    vscode.commands.registerCommand(id, async (...args: never[]) => {
      try {
        return await handler(...args);
      } catch (e) {
        reportFailure(e, id);
        return undefined;
      }
    });

  return [
    // A start URL argument (a notice's Sign In Again, VS Code's Accounts menu) signs in to that portal.
    register(Commands.signIn, (startUrl?: unknown) => d.signIn.signIn(typeof startUrl === 'string' ? startUrl : undefined)),
    register(Commands.signOut, async () => {
      if (!(await d.onSignOut())) return;
      void vscode.window.showInformationMessage(
        d.portals.all.length
          ? vscode.l10n.t('Signed out of that AWS access portal; its terminal credentials were removed. Your other sign-ins stay.')
          : vscode.l10n.t('Signed out of AWS IAM Identity Center. Terminal credentials were removed.'),
      );
    }),
    register(Commands.signOutPortal, async (node?: TreeNode) => {
      if (node?.kind !== 'portal') return;
      await d.onSignOut(node.portal);
      void vscode.window.showInformationMessage(
        vscode.l10n.t({
          message: 'Signed out of {0}; its terminal credentials were removed.',
          args: [node.label],
          comment: ['{0}: an sso-session name or the host of an AWS access portal URL'],
        }),
      );
    }),
    register(Commands.switchRole, async () => {
      const choice = await roleFrom(undefined, vscode.l10n.t('Switch AWS role'));
      if (choice) await d.active.set(choice);
      return choice;
    }),
    register(Commands.setActiveRole, async (node?: TreeNode) => {
      const choice = await roleFrom(node, vscode.l10n.t('Use which AWS role?'));
      if (choice) await d.active.set(choice);
    }),
    register(Commands.refresh, async () => {
      if (await ensureSignedIn(d)) await d.catalog.refresh();
    }),
    register(Commands.openTerminal, async (node?: TreeNode) => {
      const choice = await roleFrom(node, vscode.l10n.t('Open a terminal as which role?'));
      if (!choice) return undefined;
      const terminal = await d.terminals.openBoundTerminal(choice);
      terminal.show();
      return terminal;
    }),
    register(Commands.copyEnv, async () => {
      const role = d.active.current;
      if (!role || !(await ensureSignedIn(d))) return;
      const creds = await d.broker.get(role);
      // Keys reach the clipboard only when the person at the keyboard says so, every time:
      // another extension's executeCommand cannot answer a modal.
      if (!(await confirmCopyEnv(d, role, creds.expiration))) return;
      await vscode.env.clipboard.writeText(exportLines(envVariables(creds, regionFor('tools', d.session))));
      d.served(creds, 'copied to clipboard');
      void vscode.window.showWarningMessage(
        vscode.l10n.t({
          message: 'Copied credentials for {0}/{1}. They expire {2} and do not refresh: prefer a terminal opened in VS Code.',
          args: [role.accountName, role.roleName, formatRelative(creds.expiration - Date.now())],
          comment: ['{0} is an AWS account name, {1} an IAM role name, {2} a relative time such as "in 58 minutes".'],
        }),
      );
    }),
    register(Commands.openConsole, async (node?: TreeNode) => {
      const choice =
        node?.kind === 'role' ? knownRoleOf(d, node.role) : (d.active.current ?? (await roleFrom(undefined, vscode.l10n.t('Open the console as which role?'))));
      if (!choice) return;
      sessionForRole(d.portals, choice); // a role of a portal not signed in: say so, naming the portal
      const creds = await d.broker.get(choice);
      const url = await consoleLoginUrl(creds, regionFor('console', d.session), { signal: AbortSignal.timeout(10_000) });
      d.served(creds, 'AWS console');
      await vscode.env.openExternal(vscode.Uri.parse(url, true));
    }),
    register(Commands.copyAccountId, async (node?: TreeNode) => {
      const id = node && (node.kind === 'account' || node.kind === 'role') ? node.account.accountId : d.active.current?.accountId;
      if (id) {
        await vscode.env.clipboard.writeText(id);
        void vscode.window.setStatusBarMessage(
          vscode.l10n.t({ message: 'Copied account ID {0}', args: [id], comment: ['{0} is a 12-digit AWS account id.'] }),
          3000,
        );
      }
    }),
    register(Commands.pinAccount, (node?: TreeNode) => node?.kind === 'account' && d.tree.setPinned(node.account.accountId, true)),
    register(Commands.unpinAccount, (node?: TreeNode) => node?.kind === 'account' && d.tree.setPinned(node.account.accountId, false)),
    register(Commands.showLog, () => d.logChannel.show(true)),
    register(Commands.saveCliProfile, async (node?: TreeNode) => {
      const choice = await roleFrom(node, vscode.l10n.t('Save which role as an AWS CLI profile?'));
      return choice && saveRoleAsCliProfile(sessionForRole(d.portals, choice), choice);
    }),
    register(Commands.showActivity, () => d.activityView.show()),
    register(Commands.reviewLongTermKeys, () => d.longTermKeys.review()),
    register(Commands.terminalIdentity, (terminal?: unknown) => d.terminalIdentity(terminal)),
    register(Commands.getStarted, async () => {
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
      d.walkthrough.afterOpened(); // steps already done show as done
    }),
  ];
}

/**
 * A command's title as the Command Palette shows it, in the user's language: VS Code replaces the
 * manifest's %key% placeholders from package.nls(.<lang>).json before the extension sees packageJSON.
 * Falls back to the id only if the command is not contributed.
 */
export function commandTitle(id: string): string {
  const commands = (
    vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes?: { commands?: { command: string; title?: unknown }[] } } | undefined
  )?.contributes?.commands;
  const title = commands?.find((c) => c.command === id)?.title;
  return typeof title === 'string' && title !== '' && !/^%.+%$/.test(title) ? title : id;
}

async function ensureSignedIn(d: CommandDeps): Promise<boolean> {
  if (d.portals.summary === 'signedIn') return true;
  const signIn = vscode.l10n.t('Sign In');
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Sign in to AWS IAM Identity Center first.'), signIn);
  return choice === signIn ? d.signIn.signIn() : false;
}
