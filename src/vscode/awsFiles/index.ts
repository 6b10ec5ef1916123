// The user's AWS files: the [profile awsidc-terminal] terminals select, Save as AWS CLI Profile, and
// the long-term access keys found in ~/.aws (a warning row above the accounts, with guidance).
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/events';
import { sessionForRole } from '../../core/credentials/portalRouting';
import type { Accounts } from '../accounts';
import type { TreeNode } from '../accounts/accountsTree';
import type { Credentials } from '../credentials';
import { Commands } from '../platform/commandIds';
import type { Platform } from '../platform';
import { regionFor, settings } from '../platform/settings';
import type { SignIn } from '../signIn';
import { saveRoleAsCliProfile } from './cliProfile';
import { LongTermKeys } from './longTermKeys';
import { retireKeyFlow, undoLatestRetire } from './retireLongTermKey';
import { TerminalProfileSetup } from './terminalProfile';

export interface AwsFilesOptions {
  platform: Platform;
  signIn: SignIn;
  accounts: Accounts;
  credentials: Credentials;
}

export interface AwsFiles extends vscode.Disposable {
  terminalProfile: TerminalProfileSetup;
  longTermKeys: LongTermKeys;
}

export function registerAwsFiles({ platform, signIn, accounts, credentials }: AwsFilesOptions): AwsFiles {
  const { context, log, command } = platform;
  const { portals } = signIn;
  const { session, active, tree } = accounts;
  const store = new DisposableStore();
  const terminalProfile = store.add(new TerminalProfileSetup(context.globalState, log));
  const longTermKeys = store.add(
    new LongTermKeys(log, () => ({
      mode: settings.terminalMode(),
      active: session.state.kind === 'signedIn' && !!active.current,
      profile: terminalProfile.current,
      inheritedProfile: process.env.AWS_PROFILE || undefined,
    })),
  );
  store.add(
    tree.showBanner(longTermKeys),
    // The long-term key row says whether new terminals would use a key: that follows the sign-in and role.
    active.onDidChange(() => longTermKeys.refresh()),
    portals.onDidChange(() => longTermKeys.refresh()),
    command(Commands.reviewLongTermKeys, () => longTermKeys.review()),
    command(Commands.saveCliProfile, async (node?: TreeNode) => {
      const choice = await credentials.chooseRole(node, vscode.l10n.t('Save which role as an AWS CLI profile?'), false);
      return choice && saveRoleAsCliProfile(sessionForRole(portals, choice), choice);
    }),
    command(Commands.retireLongTermKey, () =>
      retireKeyFlow({
        globalState: context.globalState,
        pickRole: () => credentials.chooseRole(undefined, vscode.l10n.t('Use which role instead of the long-term key?'), false),
        sessionFor: (role) => sessionForRole(portals, role),
        credentials: (role) => credentials.broker.get(role),
        region: (s) => regionFor('tools', s),
        rescan: () => longTermKeys.scan(),
        undoCommand: Commands.undoRetireLongTermKey,
      }),
    ),
    command(Commands.undoRetireLongTermKey, () => undoLatestRetire({ globalState: context.globalState, rescan: () => longTermKeys.scan() })),
  );
  return { terminalProfile, longTermKeys, dispose: () => store.dispose() };
}
