// Role credentials: the broker (each role with its own portal's token, chained roles assumed from
// them, MFA asked for), kept fresh for the active role and forgotten with a sign-out; the status-bar
// countdown, Switch Role, and the commands that hand credentials out (clipboard, console); guarded
// roles (asked about, time-boxed) and each role's own region.
import * as vscode from 'vscode';
import { relistOnRefusal } from '../../core/accounts/freshness';
import { RoleRegions } from '../../core/accounts/roleRegions';
import { systemClock } from '../../core/common/clock';
import { DisposableStore } from '../../core/common/events';
import { formatRelative } from '../../core/common/format';
import { CredentialBroker } from '../../core/credentials/broker';
import { CredentialLifecycle } from '../../core/credentials/credentialLifecycle';
import { routedPortalCredentials, sessionForRole } from '../../core/credentials/portalRouting';
import { roleCredentials } from '../../core/credentials/roleCredentials';
import type { RoleGuard } from '../../core/credentials/roleGuard';
import { portalLabelOf } from '../../core/signIn/portalLabel';
import { envVariables, exportLines } from '../../core/terminals/terminalEnv';
import type { Accounts } from '../accounts';
import type { Activity } from '../activity';
import { Commands } from '../platform/commandIds';
import type { Platform } from '../platform';
import { regionFor, settings } from '../platform/settings';
import type { SignIn } from '../signIn';
import type { TreeNode } from '../accounts/accountsTree';
import { ChainedRoleSettings } from './chainedRoleSettings';
import { roleChooser, type ChooseRole } from './chooseRole';
import { confirmCopyEnv, knownRoleOf } from './commandGuards';
import { withCredentialProgress } from './credentialProgress';
import { createRoleGuard, guardTooltip } from './guardedRoles';
import { askMfaCode } from './mfaPrompt';
import { setRoleRegion } from './roleRegion';
import { openConsoleAs } from './openConsole';
import { StatusBar } from './statusBar';

export interface CredentialsOptions {
  platform: Platform;
  signIn: SignIn;
  accounts: Accounts;
  activity: Activity;
}

export interface Credentials extends vscode.Disposable {
  broker: CredentialBroker;
  chained: ChainedRoleSettings;
  statusBar: StatusBar;
  /** The role a command acts on: its tree node's, else one the user picks. */
  chooseRole: ChooseRole;
  /** Guarded roles: asked about before use, time-boxed (core/credentials/roleGuard.ts). */
  guard: RoleGuard;
  /** Each role's own region (Set Role Region, else its AWS CLI profile's). */
  roleRegions: RoleRegions;
}

export function registerCredentials({ platform, signIn, accounts, activity }: CredentialsOptions): Credentials {
  const { log, command } = platform;
  const { portals } = signIn;
  const { catalog, active, session, tree } = accounts;
  const clock = systemClock;
  const store = new DisposableStore();
  const chained = store.add(new ChainedRoleSettings(log));
  const accountName = (id: string): string | undefined => catalog.account(id)?.accountName;
  const { guard, disposable: guarding } = createRoleGuard({
    clock,
    active,
    state: platform.context.globalState,
    accountName,
    portalName: (r) => portalLabelOf(portals, r),
    log,
  });
  const roleRegions = store.add(new RoleRegions(platform.context.globalState), guarding);
  void roleRegions.reloadProfiles();
  const broker: CredentialBroker = store.add(
    new CredentialBroker({
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
        region: () => regionFor('identityCenter', session),
        mfaCode: askMfaCode,
      }),
      refreshBeforeMs: settings.refreshBeforeMs,
      clock,
      log,
    }),
  );
  const statusBar = store.add(
    new StatusBar({
      session,
      active,
      broker,
      clock,
      warnBeforeMs: settings.warnBeforeMs,
      portalName: () => (portals.signedIn.length > 1 && active.current ? portalLabelOf(portals, active.current) : undefined),
      guard: { reason: () => guardTooltip(guard, active.current, accountName), onDidChange: guard.onDidChange },
    }),
  );
  const guards = { catalog, chained: () => chained.roles, portals, log };
  const chooseRole = roleChooser({ ...guards, active, ensureSignedIn: () => signIn.ensureSignedIn() });
  store.add(
    new CredentialLifecycle({ portals, active, broker }),
    broker.onDidRefresh(activity.issued),
    tree.showChainedRoles(chained),
    tree.showRoleRegions(roleRegions),
    command(Commands.switchRole, async () => {
      const choice = await chooseRole(undefined, vscode.l10n.t('Switch AWS role'));
      // A guarded role is asked about first (refused: the active role stays).
      return choice && (await guard.activate(choice)) ? choice : undefined;
    }),
    command(Commands.setActiveRole, async (node?: TreeNode) => {
      const choice = await chooseRole(node, vscode.l10n.t('Use which AWS role?'));
      if (choice) await guard.activate(choice);
    }),
    command(Commands.copyEnv, async () => {
      const role = active.current;
      if (!role || !(await signIn.ensureSignedIn()) || !(await guard.approve(role, 'copy'))) return;
      const creds = await broker.get(role);
      // Keys reach the clipboard only when the person at the keyboard says so, every time:
      // another extension's executeCommand cannot answer a modal.
      if (!(await confirmCopyEnv(guards, role, creds.expiration))) return;
      await vscode.env.clipboard.writeText(exportLines(envVariables(creds, regionFor('tools', session, roleRegions.regionOf(role)))));
      activity.served(creds, 'copied to clipboard');
      void vscode.window.showWarningMessage(
        vscode.l10n.t({
          message: 'Copied credentials for {0}/{1}. They expire {2} and do not refresh: prefer a terminal opened in VS Code.',
          args: [role.accountName, role.roleName, formatRelative(creds.expiration - Date.now())],
          comment: ['{0} is an AWS account name, {1} an IAM role name, {2} a relative time such as "in 58 minutes".'],
        }),
      );
    }),
    command(Commands.openConsole, async (node?: TreeNode, destination?: unknown) => {
      const choice =
        node?.kind === 'role'
          ? knownRoleOf(guards, node.role)
          : (active.current ?? (await chooseRole(undefined, vscode.l10n.t('Open the console as which role?'))));
      if (!choice || !(await guard.approve(choice, 'console'))) return;
      sessionForRole(portals, choice); // a role of a portal not signed in: say so, naming the portal
      await openConsoleAs(choice, destination, {
        region: regionFor('console', session, roleRegions.regionOf(choice)),
        state: platform.context.globalState,
        credentials: (role) => broker.get(role),
        served: activity.served,
      });
    }),
  );
  store.add(
    command(Commands.setRoleRegion, async (node?: TreeNode) => {
      const choice = await chooseRole(node, vscode.l10n.t('Set the region of which role?'));
      return choice && setRoleRegion({ regions: roleRegions, defaultRegion: () => regionFor('tools', session) }, choice);
    }),
  );
  return { broker, chained, statusBar, chooseRole, guard, roleRegions, dispose: () => store.dispose() };
}
