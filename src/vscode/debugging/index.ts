// Debugging and tasks: launch configurations get the active role's credentials (or one they name,
// after the user approves it), never in Restricted Mode.
import type * as vscode from 'vscode';
import { portalLabelOf } from '../../core/signIn/portalLabel';
import type { Accounts } from '../accounts';
import type { Credentials } from '../credentials';
import type { Platform } from '../platform';
import { isTrusted } from '../platform/workspaceTrust';
import type { SignIn } from '../signIn';
import type { Terminals } from '../terminals';
import { DebugCredentials } from './debugCredentials';
import { approveLaunchRole } from './launchApproval';

export interface DebuggingOptions {
  platform: Platform;
  signIn: SignIn;
  accounts: Accounts;
  credentials: Credentials;
  terminals: Terminals;
}

export function registerDebugging({ platform, signIn, accounts, credentials, terminals }: DebuggingOptions): vscode.Disposable {
  const { context, log } = platform;
  const { portals } = signIn;
  const { active, catalog } = accounts;
  return new DebugCredentials({
    signedIn: () => portals.summary === 'signedIn',
    active,
    catalog,
    chained: () => credentials.chained.roles,
    terminals: terminals.terminals,
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
    guard: (role) => credentials.guard.approve({ ...role, accountName: catalog.account(role.accountId)?.accountName ?? role.accountId }, 'debug'),
  });
}
