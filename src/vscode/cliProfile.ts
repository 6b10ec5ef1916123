// "Save Role as AWS CLI Profile": writes an sso_session profile for a role to ~/.aws/config (every
// other line kept), so `aws --profile <name>` uses the same Identity Center sign-in.
import * as vscode from 'vscode';
import type { ActiveRoleChoice } from '../core/accounts/activeRole';
import { awsConfigPath } from '../core/awsFiles/awsConfigRead';
import { saveCliProfile, suggestProfileName } from '../core/awsFiles/awsConfigWrite';
import type { Session } from '../core/signIn/session';
import { regionFor, settings } from './config';

const NAME = /^[A-Za-z0-9_.@+=,-]{1,64}$/;

export async function saveRoleAsCliProfile(session: Session, role: ActiveRoleChoice): Promise<string | undefined> {
  const state = session.state;
  if (state.kind !== 'signedIn') return undefined;
  if (role.via) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Chained roles are not saved as profiles. Save the source role {0} instead; the AWS CLI can then assume {1} with role_arn and source_profile.', role.via.roleName, role.roleName));
    return undefined;
  }
  const profileName = await vscode.window.showInputBox({
    title: vscode.l10n.t('Save {0}/{1} as an AWS CLI profile', role.accountName, role.roleName),
    prompt: vscode.l10n.t('Profile name in {0}', awsConfigPath()),
    value: suggestProfileName(role.accountName, role.roleName),
    validateInput: (v) => (NAME.test(v.trim()) ? undefined : vscode.l10n.t('Use letters, digits and _ . @ + = , - (no spaces).')),
    ignoreFocusOut: true,
  });
  if (!profileName) return undefined;
  const sessionName = state.sessionName || settings.ssoSession() || (await askSessionName(state.startUrl));
  if (!sessionName) return undefined;
  const configPath = awsConfigPath();
  await saveCliProfile(configPath, {
    profileName: profileName.trim(),
    sessionName,
    startUrl: state.startUrl,
    region: state.region,
    accountId: role.accountId,
    roleName: role.roleName,
    profileRegion: regionFor('tools', session),
  });
  // A sign-in from settings had no [sso-session] until now: the AWS CLI looks its token up by this name.
  if (!state.sessionName) await session.linkCliSession(sessionName);
  const share = vscode.l10n.t('Share Sign-In with AWS CLI');
  const next = settings.shareWithAwsCli()
    ? vscode.l10n.t('Try: aws --profile {0} sts get-caller-identity', profileName.trim())
    : vscode.l10n.t('The AWS CLI will use it after `aws sso login --profile {0}`, or at once if you share this sign-in with the AWS CLI.', profileName.trim());
  // Not awaited: the command is done; the notification stays until the user dismisses it.
  void vscode.window.showInformationMessage(vscode.l10n.t('Saved profile {0} to {1}. {2}', profileName.trim(), configPath, next), ...(settings.shareWithAwsCli() ? [] : [share]))
    .then((choice) => choice === share && vscode.commands.executeCommand('workbench.action.openSettings', 'awsIdc.shareWithAwsCli'));
  return profileName.trim();
}

async function askSessionName(startUrl: string): Promise<string | undefined> {
  let suggestion = 'my-sso';
  try {
    suggestion = new URL(startUrl).hostname.split('.')[0] || suggestion;
  } catch {
    // keep the default
  }
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('Name the [sso-session] for {0}', startUrl),
    prompt: vscode.l10n.t('Profiles refer to the sign-in by this name; the AWS CLI caches its token under it.'),
    value: suggestion,
    validateInput: (v) => (NAME.test(v.trim()) ? undefined : vscode.l10n.t('Use letters, digits and _ . @ + = , - (no spaces).')),
    ignoreFocusOut: true,
  });
  return name?.trim() || undefined;
}
