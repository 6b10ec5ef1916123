// "Save Role as AWS CLI Profile": writes an sso_session profile for a role to ~/.aws/config (every
// other line kept), so `aws --profile <name>` uses the same Identity Center sign-in.
import * as vscode from 'vscode';
import type { ActiveRoleChoice } from '../../core/accounts/activeRole';
import { awsConfigPath } from '../../core/awsFiles/awsConfigRead';
import { saveCliProfile } from '../../core/awsFiles/awsConfigSave';
import { checkCliName, suggestProfileName } from '../../core/awsFiles/awsConfigWrite';
import type { Session } from '../../core/signIn/session';
import { regionFor, settings } from '../platform/settings';
import { IdcError } from '../../core/common/errors';

const NAME = /^[A-Za-z0-9_.@+%:/-]{1,64}$/;

/** The short hint for the usual mistakes; core's reason for anything else the AWS SDKs could not read back (`__proto__`). */
const validName = (kind: 'profile' | 'sso-session', v: string): string | undefined =>
  NAME.test(v.trim()) ? checkCliName(kind, v.trim()) : vscode.l10n.t('Use letters, digits and _ - . @ + % : / (no spaces).');

export async function saveRoleAsCliProfile(session: Session, role: ActiveRoleChoice): Promise<string | undefined> {
  const state = session.state;
  if (state.kind !== 'signedIn') return undefined;
  if (role.via) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t({
        message: 'Chained roles are not saved as profiles. Save the source role {0} instead; the AWS CLI can then assume {1} with role_arn and source_profile.',
        args: [role.via.roleName, role.roleName],
        comment: ['{0} and {1} are IAM role names. role_arn and source_profile are AWS CLI config keys: do not translate them.'],
      }),
    );
    return undefined;
  }
  const profileName = await vscode.window.showInputBox({
    title: vscode.l10n.t({
      message: 'Save {0}/{1} as an AWS CLI profile',
      args: [role.accountName, role.roleName],
      comment: ['{0} is an AWS account name, {1} an IAM role name in it.'],
    }),
    prompt: vscode.l10n.t({
      message: 'Profile name in {0}',
      args: [awsConfigPath()],
      comment: ['{0} is the path of the AWS CLI config file, e.g. ~/.aws/config.'],
    }),
    value: suggestProfileName(role.accountName, role.roleName),
    validateInput: (v) => validName('profile', v),
    ignoreFocusOut: true,
  });
  if (!profileName) return undefined;
  const sessionName = state.sessionName || settings.ssoSession() || (await askSessionName(state.startUrl));
  if (!sessionName) return undefined;
  const configPath = awsConfigPath();
  try {
    await saveCliProfile(configPath, {
      profileName: profileName.trim(),
      sessionName,
      startUrl: state.startUrl,
      region: state.region,
      accountId: role.accountId,
      roleName: role.roleName,
      profileRegion: regionFor('tools', session),
    });
  } catch (e) {
    // Our own words about the file (read-only, held by another program, a clashing profile): show them.
    throw e instanceof IdcError ? e : new IdcError('badInput', e instanceof Error ? e.message : String(e), e instanceof Error ? e.name : undefined);
  }
  // A sign-in from settings had no [sso-session] until now: the AWS CLI looks its token up by this name.
  if (!state.sessionName) await session.linkCliSession(sessionName);
  const share = vscode.l10n.t('Share Sign-In with AWS CLI');
  const next = settings.shareWithAwsCli()
    ? vscode.l10n.t({
        message: 'Try: aws --profile {0} sts get-caller-identity',
        args: [profileName.trim()],
        comment: ['Translate only "Try:". The rest is a shell command; {0} is the profile name.'],
      })
    : vscode.l10n.t({
        message: 'The AWS CLI will use it after `aws sso login --profile {0}`, or at once if you share this sign-in with the AWS CLI.',
        args: [profileName.trim()],
        comment: ['The text in backticks is a shell command: keep it as it is. {0} is the profile name.'],
      });
  // Not awaited: the command is done; the notification stays until the user dismisses it.
  void vscode.window
    .showInformationMessage(
      vscode.l10n.t({
        message: 'Saved profile {0} to {1}. {2}',
        args: [profileName.trim(), configPath, next],
        comment: ['{0} is the profile name, {1} the config file path, {2} a follow-up sentence (already translated) saying how to use the profile.'],
      }),
      ...(settings.shareWithAwsCli() ? [] : [share]),
    )
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
    title: vscode.l10n.t({
      message: 'Name the [sso-session] for {0}',
      args: [startUrl],
      comment: ['"[sso-session]" is a section header of the AWS CLI config file, not a link: do not translate it. {0} is the AWS access portal URL.'],
    }),
    prompt: vscode.l10n.t('Profiles refer to the sign-in by this name; the AWS CLI caches its token under it.'),
    value: suggestion,
    validateInput: (v) => validName('sso-session', v),
    ignoreFocusOut: true,
  });
  return name?.trim() || undefined;
}
