// Where to sign in: decided in core (decideSignInTarget: settings, ~/.aws/config, or ask); this asks
// and picks when core says so, and offers to keep a portal that was asked for.
import * as vscode from 'vscode';
import { readSsoSessions } from '../../core/awsFiles/awsConfigRead';
import type { Logger } from '../../core/common/log';
import { portalId, type SsoTarget } from '../../core/common/model';
import { sameStartUrl } from '../../core/common/validate';
import type { Portals } from '../../core/signIn/portals';
import { decideSignInTarget, portalsToOffer } from '../../core/signIn/signInTarget';
import { settings } from '../platform/settings';
import { askForPortal } from './askPortal';

export class WhereToSignIn {
  constructor(
    private readonly portals: Portals,
    private readonly log: Logger,
  ) {}

  /** The configured portal with this start URL (settings or an [sso-session]), else one asked for starting from it. */
  async forStartUrl(startUrl: string): Promise<{ target: SsoTarget; askedFor: boolean } | undefined> {
    const inputs = { startUrl: settings.startUrl(), region: settings.region(), ssoSession: settings.ssoSession() };
    const found = portalsToOffer(inputs, await readSsoSessions(), () => false).find((t) => sameStartUrl(t.startUrl, startUrl));
    if (found) return { target: found, askedFor: false };
    // A portal signed in before (asked for, not configured): where it was.
    const known = this.portals.info(portalId(startUrl));
    if (known)
      return { target: { startUrl: known.startUrl, region: known.region, ...(known.sessionName ? { sessionName: known.sessionName } : {}) }, askedFor: false };
    return this.askForTarget(startUrl, '');
  }

  /**
   * While another portal is signed in: a pick of the configured portals not signed in yet, plus
   * "another portal" (asked for). Otherwise settings first, then ~/.aws/config, then ask (decided by
   * core's decideSignInTarget). Undefined when the user backs out.
   */
  async choose(): Promise<{ target: SsoTarget; askedFor: boolean } | undefined> {
    const inputs = { startUrl: settings.startUrl(), region: settings.region(), ssoSession: settings.ssoSession() };
    if (this.portals.signedIn.length > 0) return this.pickAnotherPortal(portalsToOffer(inputs, await readSsoSessions(), (u) => this.portals.isSignedIn(u)));
    const first = decideSignInTarget(inputs);
    const decision = first.kind === 'needAwsConfig' ? decideSignInTarget(inputs, await readSsoSessions()) : first;
    for (const warning of decision.warnings) this.log.warn(`[signIn] ${warning}`);
    switch (decision.kind) {
      case 'use':
        return { target: decision.target, askedFor: false };
      case 'settingsProblem':
        void this.showSettingsProblem(decision.message);
        return undefined;
      case 'unknownSsoSession': {
        const known = decision.found.join(', ') || vscode.l10n.t({ message: 'none', comment: ['Stands for an empty list of sso-session names.'] });
        void this.showSettingsProblem(
          vscode.l10n.t({
            message: 'awsIdc.ssoSession names "{0}", but {1} has no complete [sso-session {0}] (found: {2}).',
            args: [decision.wanted, decision.configPath, known],
            comment: [
              'awsIdc.ssoSession is a setting name and "[sso-session …]" a section header of the AWS CLI config file: do not translate either.',
              '{0} is the sso-session name from the setting, {1} the config file path (e.g. ~/.aws/config), {2} a comma-separated list of the names found there.',
            ],
          }),
        );
        return undefined;
      }
      case 'pick': {
        const pick = await vscode.window.showQuickPick(
          decision.sessions.map((s) => ({ label: s.sessionName ?? s.startUrl, description: `${s.startUrl} (${s.region})`, target: s })),
          {
            title: vscode.l10n.t({
              message: 'Sign in with which sso-session from {0}?',
              args: [decision.configPath],
              comment: [
                '"sso-session" is the name of a section type in the AWS CLI config file: do not translate it.',
                '{0} is the path of that file, e.g. ~/.aws/config.',
              ],
            }),
            ignoreFocusOut: true,
          },
        );
        return pick ? { target: pick.target, askedFor: false } : undefined;
      }
      case 'ask':
        if (decision.notice) void vscode.window.showWarningMessage(decision.notice);
        return this.askForTarget(decision.startUrl, decision.region);
    }
  }

  private async pickAnotherPortal(offer: SsoTarget[]): Promise<{ target: SsoTarget; askedFor: boolean } | undefined> {
    const another = {
      label: `$(add) ${vscode.l10n.t('Another AWS access portal…')}`,
      description: vscode.l10n.t('enter its start URL and region'),
      target: undefined as SsoTarget | undefined,
    };
    const pick = await vscode.window.showQuickPick(
      [...offer.map((t) => ({ label: t.sessionName ?? t.startUrl, description: `${t.startUrl} (${t.region})`, target: t as SsoTarget | undefined })), another],
      {
        title: vscode.l10n.t('Sign in to which AWS access portal?'),
        placeHolder: vscode.l10n.t({
          message: 'Signed in to {0}',
          args: [this.portals.signedIn.map((p) => p.info.sessionName ?? p.info.startUrl).join(', ')],
          comment: ['{0}: a comma-separated list of sso-session names or AWS access portal URLs already signed in'],
        }),
        ignoreFocusOut: true,
      },
    );
    if (!pick) return undefined;
    if (pick.target) return { target: pick.target, askedFor: false };
    const asked = await this.askForTarget('', settings.region());
    if (asked && this.portals.isSignedIn(asked.target.startUrl)) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t({ message: 'Already signed in to {0}.', args: [asked.target.startUrl], comment: ['{0} is the AWS access portal URL.'] }),
      );
      return undefined;
    }
    return asked;
  }

  private askForTarget(startUrl: string, region: string): Promise<{ target: SsoTarget; askedFor: boolean } | undefined> {
    return askForPortal(startUrl, region, this.log);
  }

  async offerToSave(target: SsoTarget): Promise<void> {
    const save = vscode.l10n.t('Save to User Settings');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t({
        message: 'Use {0} ({1}) for future sign-ins?',
        args: [target.startUrl, target.region],
        comment: ['{0} is the AWS access portal URL, {1} its AWS region, e.g. us-east-1.'],
      }),
      save,
    );
    if (choice === save) await settings.saveTarget(target.startUrl, target.region);
  }

  private async showSettingsProblem(message: string): Promise<void> {
    const open = vscode.l10n.t('Open Settings');
    if ((await vscode.window.showErrorMessage(message, open)) === open) {
      void vscode.commands.executeCommand('workbench.action.openSettings', 'awsIdc.');
    }
  }
}
