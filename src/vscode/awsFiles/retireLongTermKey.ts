// Retire a Long-Term Key: pick where a key is, pick the Identity Center role to use instead, see when
// the key was last used, then one confirmed move (profile renamed, a same-named sso_session profile
// written) with an Undo. Only the undo record (no secret) is kept, in globalState.
import * as vscode from 'vscode';
import type { ActiveRoleChoice } from '../../core/accounts/activeRole';
import { keyIdOf, keyLastUsed, type KeyLastUsed } from '../../core/awsFiles/accessKeyLastUsed';
import { awsConfigPath } from '../../core/awsFiles/awsConfigRead';
import { findLongTermKeys, placeOf, type LongTermKeyFinding } from '../../core/awsFiles/longTermKeys';
import { retireLongTermKey, undoRetire, type RetireRecord } from '../../core/awsFiles/retireKey';
import { IdcError } from '../../core/common/errors';
import { formatRelative } from '../../core/common/format';
import type { RoleCredentialsSecret } from '../../core/common/model';
import { STATE_KEYS } from '../../core/common/storageKeys';
import type { Session } from '../../core/signIn/session';

export interface RetireDeps {
  globalState: vscode.Memento;
  /** The Identity Center role to use instead (no chained roles: an sso_session profile cannot assume one). */
  pickRole: () => Promise<ActiveRoleChoice | undefined>;
  sessionFor: (role: ActiveRoleChoice) => Session;
  credentials: (role: ActiveRoleChoice) => Promise<RoleCredentialsSecret>;
  /** The profile region the role's tools use. */
  region: (session: Session) => string;
  rescan: () => Promise<void>;
  undoCommand: string;
}

const MAX_RECORDS = 5;
const records = (state: vscode.Memento): RetireRecord[] => state.get<RetireRecord[]>(STATE_KEYS.retiredKeys) ?? [];

export async function retireKeyFlow(d: RetireDeps, given?: LongTermKeyFinding): Promise<RetireRecord | undefined> {
  const finding = given ?? (await pickFinding());
  if (!finding) return undefined;
  if (finding.where === 'environment') {
    void vscode.window.showWarningMessage(
      vscode.l10n.t({
        message:
          'The key in {0} comes from the environment VS Code was started with (a shell profile such as ~/.bashrc, or the system settings), so it cannot be moved from here. Remove AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY there and restart VS Code.',
        args: [finding.variable ?? 'AWS_ACCESS_KEY_ID'],
        comment: ['{0}: an environment variable name; AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are variable names'],
      }),
    );
    return undefined;
  }
  const role = await d.pickRole();
  if (!role) return undefined;
  const session = d.sessionFor(role);
  const state = session.state;
  if (state.kind !== 'signedIn') return undefined;
  const lastUsed = await lastUseOf(d, finding, role);
  const profile = finding.profile ?? '';
  const configPath = awsConfigPath();
  const sessionName = state.sessionName || sessionNameFor(state.startUrl);
  const move = vscode.l10n.t('Move Key Aside');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t({ message: 'Move the long-term key of profile {0} aside?', args: [profile], comment: ['{0}: a profile name'] }),
    {
      modal: true,
      detail: vscode.l10n.t({
        message:
          'Key {0} in {1}: the profile is renamed to retired-{2}-<date>; the key stays in the file, unused.\nIn {3}, profile {2} then uses {4} / {5} through [sso-session {6}].\n{7}\n\nUndo puts both files back exactly as they are now.',
        args: [finding.keyId, finding.file ?? '', profile, configPath, role.accountName, role.roleName, sessionName, lastUsedLine(lastUsed)],
        comment: [
          '{0}: a masked access key id; {1} and {3}: file paths; {2}: a profile name; {4} / {5}: account name / role name; {6}: an sso-session name; {7}: a sentence on when the key was last used. Keep "[sso-session …]" as it is.',
        ],
      }),
    },
    move,
  );
  if (answer !== move) return undefined;
  let record: RetireRecord;
  try {
    record = await retireLongTermKey(finding, configPath, {
      sessionName,
      startUrl: state.startUrl,
      region: state.region,
      accountId: role.accountId,
      roleName: role.roleName,
      profileRegion: d.region(session),
    });
  } catch (e) {
    throw e instanceof IdcError ? e : new IdcError('badInput', e instanceof Error ? e.message : String(e));
  }
  // A sign-in from settings had no [sso-session] until now: the AWS CLI looks its token up by this name.
  if (!state.sessionName) await session.linkCliSession(sessionName);
  await d.globalState.update(STATE_KEYS.retiredKeys, [record, ...records(d.globalState)].slice(0, MAX_RECORDS));
  await d.rescan();
  const undo = vscode.l10n.t('Undo');
  void vscode.window
    .showInformationMessage(
      vscode.l10n.t({
        message: 'Profile {0} now uses {1} / {2}; its long-term key was moved aside as [{3}]. Delete the key in IAM once nothing needs it.',
        args: [profile, role.accountName, role.roleName, record.retiredAs],
        comment: ['{0}: a profile name; {1} / {2}: account name / role name; {3}: the new profile name of the key (keep the brackets)'],
      }),
      undo,
    )
    .then((choice) => choice === undo && vscode.commands.executeCommand(d.undoCommand));
  return record;
}

/** Undoes the latest move (both files back byte for byte), or says why it cannot. */
export async function undoLatestRetire(d: Pick<RetireDeps, 'globalState' | 'rescan'>): Promise<boolean> {
  const [latest, ...rest] = records(d.globalState);
  if (!latest) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There is no moved long-term key to put back.'));
    return false;
  }
  try {
    await undoRetire(latest);
  } catch (e) {
    throw new IdcError('badInput', e instanceof Error ? e.message : String(e));
  }
  await d.globalState.update(STATE_KEYS.retiredKeys, rest);
  await d.rescan();
  void vscode.window.showInformationMessage(
    vscode.l10n.t({
      message: 'Put back: profile {0} has its long-term key again, and both AWS files are as they were.',
      args: [latest.profile],
      comment: ['{0}: a profile name'],
    }),
  );
  return true;
}

async function pickFinding(): Promise<LongTermKeyFinding | undefined> {
  const found = await findLongTermKeys();
  if (!found.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t("No long-term AWS access keys found in ~/.aws or the editor's environment."));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    found.map((f) => ({
      label: placeOf(f),
      description: f.keyId,
      detail:
        f.where === 'environment'
          ? vscode.l10n.t('Cannot be moved from here: see what to do instead.')
          : vscode.l10n.t('Can be moved aside and replaced by a role.'),
      finding: f,
    })),
    { title: vscode.l10n.t('Retire which long-term access key?'), placeHolder: vscode.l10n.t('Where each key is') },
  );
  return picked?.finding;
}

async function lastUseOf(d: RetireDeps, finding: LongTermKeyFinding, role: ActiveRoleChoice): Promise<KeyLastUsed> {
  try {
    const keyId = await keyIdOf(finding);
    if (!keyId) return { kind: 'failed', message: vscode.l10n.t('The key is no longer there.') };
    const session = d.sessionFor(role);
    const region = session.state.kind === 'signedIn' ? session.state.region : 'us-east-1';
    return await keyLastUsed(keyId, await d.credentials(role), region, AbortSignal.timeout(15_000));
  } catch (e) {
    return {
      kind: 'failed',
      message: vscode.l10n.t({ message: 'When the key was last used could not be read ({0}).', args: [(e as Error).name], comment: ['{0}: an error name'] }),
    };
  }
}

function lastUsedLine(u: KeyLastUsed): string {
  if (u.kind === 'used')
    return vscode.l10n.t({
      message: 'Last used {0} ({1}) with {2} in {3}.',
      args: [u.date.toLocaleString(), formatRelative(u.date.getTime() - Date.now()), u.service, u.region],
      comment: ['{0}: a date and time; {1}: a relative time such as "3 days ago"; {2}: an AWS service name such as s3; {3}: a region'],
    });
  if (u.kind === 'never') return vscode.l10n.t('IAM has no record of this key being used.');
  return u.message;
}

function sessionNameFor(startUrl: string): string {
  try {
    return new URL(startUrl).hostname.split('.')[0].replace(/[^A-Za-z0-9_.-]/g, '-') || 'sso';
  } catch {
    return 'sso';
  }
}
