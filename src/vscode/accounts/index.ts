// Accounts and roles: the active role, every portal's catalog and its listing (following the
// sign-ins), the Accounts tree with its freshness message, and the getting-started walkthrough.
import * as vscode from 'vscode';
import { ActiveRole } from '../../core/accounts/activeRole';
import { listingFailureMessage, PortalListings } from '../../core/accounts/portalListings';
import { PortalCatalogs } from '../../core/accounts/portalCatalogs';
import { systemClock } from '../../core/common/clock';
import { DisposableStore } from '../../core/common/events';
import { Commands, WALKTHROUGH_ID } from '../platform/commandIds';
import type { Platform } from '../platform';
import { regionFor } from '../platform/settings';
import type { SignIn } from '../signIn';
import { AccountsTree, type TreeNode } from './accountsTree';
import { ActiveSessionView } from './activeSessionView';
import { showListingFreshness } from './listingFreshness';
import { WalkthroughProgress } from './walkthroughProgress';

export interface AccountsOptions {
  platform: Platform;
  signIn: SignIn;
}

export interface Accounts extends vscode.Disposable {
  active: ActiveRole;
  /** The sign-in the status bar, terminals and regions follow: the active role's portal. */
  session: ActiveSessionView;
  catalog: PortalCatalogs;
  listings: PortalListings;
  tree: AccountsTree;
}

export function registerAccounts({ platform, signIn }: AccountsOptions): Accounts {
  const { context, log, command } = platform;
  const { portals } = signIn;
  const store = new DisposableStore();
  const active = store.add(new ActiveRole(context.workspaceState, context.globalState));
  const session = store.add(new ActiveSessionView(portals, active));
  const catalog = store.add(new PortalCatalogs({ portals, clock: systemClock, log, region: (s) => regionFor('identityCenter', s) }));
  const listings = store.add(new PortalListings({ portals, catalog, active, state: context.globalState, listingRoot: context.globalStorageUri.fsPath, log }));
  const signedIn = (): boolean => portals.summary === 'signedIn';
  const tree = store.add(new AccountsTree({ catalog, portals, active, state: context.globalState, signedIn }));
  const view = store.add(vscode.window.createTreeView('awsIdc.accounts', { treeDataProvider: tree, showCollapseAll: true }));
  const walkthrough = store.add(new WalkthroughProgress({ session, active }));
  store.add(
    showListingFreshness({ view, catalog, signedIn, redraw: () => tree.refreshView() }),
    catalog.onDidFail((err) => {
      const retry = vscode.l10n.t('Retry');
      void vscode.window
        .showErrorMessage(listingFailureMessage(portals, err), retry)
        .then((c) => c === retry && vscode.commands.executeCommand(Commands.refresh));
    }),
    command(Commands.refresh, async () => {
      if (await signIn.ensureSignedIn()) await catalog.refresh();
    }),
    command(Commands.copyAccountId, async (node?: TreeNode) => {
      const id = node && (node.kind === 'account' || node.kind === 'role') ? node.account.accountId : active.current?.accountId;
      if (!id) return;
      await vscode.env.clipboard.writeText(id);
      void vscode.window.setStatusBarMessage(
        vscode.l10n.t({ message: 'Copied account ID {0}', args: [id], comment: ['{0} is a 12-digit AWS account id.'] }),
        3000,
      );
    }),
    // The inline action of a portal node (hidden from the palette).
    command(Commands.signOutPortal, async (node?: TreeNode) => {
      if (node?.kind !== 'portal') return;
      await signIn.signOut(node.portal);
      void vscode.window.showInformationMessage(
        vscode.l10n.t({
          message: 'Signed out of {0}; its terminal credentials were removed.',
          args: [node.label],
          comment: ['{0}: an sso-session name or the host of an AWS access portal URL'],
        }),
      );
    }),
    command(Commands.pinAccount, (node?: TreeNode) => node?.kind === 'account' && tree.setPinned(node.account.accountId, true)),
    command(Commands.unpinAccount, (node?: TreeNode) => node?.kind === 'account' && tree.setPinned(node.account.accountId, false)),
    command(Commands.getStarted, async () => {
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
      walkthrough.afterOpened(); // steps already done show as done
    }),
  );
  return { active, session, catalog, listings, tree, dispose: () => store.dispose() };
}
