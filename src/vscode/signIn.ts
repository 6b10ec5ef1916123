// Sign-in UI: where to sign in is decided in core (decideSignInTarget: settings, ~/.aws/config, or
// ask); this asks and picks when told to, then runs the device flow
// in a cancellable progress notification that shows the code. Failures end in a message that
// says what to do; nothing here is modal.
import * as vscode from 'vscode';
import { DisposableStore } from '../core/common/events';
import { readSsoSessions } from '../core/awsFiles/awsConfigRead';
import type { DeviceCodePrompt } from '../core/signIn/deviceFlow';
import { IdcError, toIdcError } from '../core/common/errors';
import type { Logger } from '../core/common/log';
import { portalId, type SsoTarget } from '../core/common/model';
import type { Portals } from '../core/signIn/portals';
import { decideSignInTarget, portalsToOffer } from '../core/signIn/signInTarget';
import { checkRegion, checkStartUrl, sameStartUrl } from '../core/common/validate';
import { Commands } from './commands';
import { settings } from './config';

export const INTERNAL = {
  copyUserCode: 'awsIdc.internal.copyUserCode',
  openVerificationPage: 'awsIdc.internal.openVerificationPage',
};

export class SignInUi implements vscode.Disposable {
  private prompt: DeviceCodePrompt | undefined;
  private inFlight: Promise<boolean> | undefined;
  private readonly disposables = new DisposableStore();

  constructor(
    private readonly portals: Portals,
    private readonly log: Logger,
    /** Another window's sign-in, taken instead of a second device authorization (otherWindows.ts). */
    private readonly otherWindows?: { adoptInstead(startUrl?: string): Promise<boolean> },
  ) {
    this.disposables.add(
      vscode.commands.registerCommand(INTERNAL.copyUserCode, () => this.copyCode()),
      vscode.commands.registerCommand(
        INTERNAL.openVerificationPage,
        () => this.prompt && vscode.env.openExternal(vscode.Uri.parse(this.prompt.verificationUriComplete, true)),
      ),
    );
  }

  /**
   * Runs one sign-in; a second request while one is running joins it. Resolves true when signed in.
   * `startUrl`: sign in to that configured portal without asking which (VS Code's Accounts menu, tests).
   */
  signIn(startUrl?: string): Promise<boolean> {
    this.inFlight ??= this.run(startUrl).finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** The user code currently shown, for tests and the Copy action. */
  get currentUserCode(): string | undefined {
    return this.prompt?.userCode;
  }

  dispose(): void {
    this.disposables.dispose();
  }

  private async run(startUrl?: string): Promise<boolean> {
    if (await this.otherWindows?.adoptInstead(startUrl)) return startUrl ? this.portals.isSignedIn(startUrl) : this.portals.summary === 'signedIn';
    const resolved = startUrl ? await this.configuredTarget(startUrl) : await this.resolveTarget();
    if (!resolved) return false;
    const { target, askedFor } = resolved;
    let reused = false;
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('AWS IAM Identity Center sign-in'), cancellable: true },
        async (progress, cancellation) => {
          const abort = new AbortController();
          const sub = cancellation.onCancellationRequested(() => abort.abort());
          try {
            progress.report({
              message: vscode.l10n.t({
                message: 'Contacting {0}…',
                args: [target.startUrl],
                comment: ['{0} is the AWS access portal URL, e.g. https://my-org.awsapps.com/start'],
              }),
            });
            reused =
              (
                await this.portals.signIn(target, {
                  signal: abort.signal,
                  onCode: async (prompt) => {
                    this.prompt = prompt;
                    this.log.info(`[signIn] opening the verification page for code ${prompt.userCode}`);
                    void vscode.env.openExternal(vscode.Uri.parse(prompt.verificationUriComplete, true));
                    progress.report({
                      message: vscode.l10n.t({
                        message: 'Approve code {0} in the browser page that opened. [Copy code](command:{1}) · [Open page again](command:{2})',
                        args: [prompt.userCode, INTERNAL.copyUserCode, INTERNAL.openVerificationPage],
                        comment: [
                          '{0} is the one-time device code the user approves in the browser, e.g. ABCD-EFGH.',
                          'Markdown links: translate only the text in square brackets. Keep "(command:{1})" and "(command:{2})" exactly as they are: they are command ids, not text.',
                        ],
                      }),
                    });
                  },
                })
              ).reusedFrom === 'awsCli';
          } finally {
            sub.dispose();
            this.prompt = undefined;
          }
        },
      );
    } catch (e) {
      const err = toIdcError(
        e,
        vscode.l10n.t({
          message: 'Sign-in',
          comment: ['The name of the step that failed; it starts English sentences such as "Sign-in timed out …" built elsewhere.'],
        }),
        target,
      );
      if (err.kind === 'cancelled') {
        this.log.info('[signIn] cancelled by the user');
        return false;
      }
      void this.showFailure(err);
      return false;
    }
    void vscode.window.showInformationMessage(
      reused
        ? vscode.l10n.t({
            message: "Signed in to AWS IAM Identity Center ({0}) with the AWS CLI's sign-in: no browser step needed.",
            args: [target.startUrl],
            comment: ['{0} is the AWS access portal URL. "AWS CLI" is a product name.'],
          })
        : vscode.l10n.t({ message: 'Signed in to AWS IAM Identity Center ({0}).', args: [target.startUrl], comment: ['{0} is the AWS access portal URL.'] }),
    );
    if (askedFor) void this.offerToSave(target);
    return true;
  }

  private async showFailure(err: IdcError): Promise<void> {
    const signIn = vscode.l10n.t('Sign In Again');
    const openSettings = vscode.l10n.t('Open Settings');
    const showLog = vscode.l10n.t('Show Log');
    const actions = err.kind === 'badStartUrl' || err.kind === 'badRegion' ? [openSettings, showLog] : [signIn, showLog];
    const choice = await vscode.window.showErrorMessage(err.message, ...actions);
    if (choice === signIn) void vscode.commands.executeCommand(Commands.signIn);
    if (choice === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', 'awsIdc.');
    if (choice === showLog) void vscode.commands.executeCommand(Commands.showLog);
  }

  private async copyCode(): Promise<void> {
    if (!this.prompt) return;
    await vscode.env.clipboard.writeText(this.prompt.userCode);
    void vscode.window.setStatusBarMessage(
      vscode.l10n.t({
        message: 'Copied code {0}',
        args: [this.prompt.userCode],
        comment: ['{0} is the one-time device code shown during sign-in, e.g. ABCD-EFGH.'],
      }),
      3000,
    );
  }

  /** The configured portal with this start URL (settings or an [sso-session]), else one asked for starting from it. */
  private async configuredTarget(startUrl: string): Promise<{ target: SsoTarget; askedFor: boolean } | undefined> {
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
  private async resolveTarget(): Promise<{ target: SsoTarget; askedFor: boolean } | undefined> {
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

  private async askForTarget(startUrl: string, region: string): Promise<{ target: SsoTarget; askedFor: boolean } | undefined> {
    const url = await vscode.window.showInputBox({
      title: vscode.l10n.t('AWS access portal URL'),
      prompt: vscode.l10n.t('The start URL of your AWS access portal (IAM Identity Center).'),
      placeHolder: 'https://my-org.awsapps.com/start',
      value: startUrl,
      ignoreFocusOut: true,
      validateInput: (v) => {
        const c = checkStartUrl(v);
        return c.ok ? (c.warning ? { message: c.warning, severity: vscode.InputBoxValidationSeverity.Warning } : undefined) : c.error;
      },
    });
    if (!url) return undefined;
    const reg = await vscode.window.showInputBox({
      title: vscode.l10n.t('IAM Identity Center region'),
      prompt: vscode.l10n.t('The region where your IAM Identity Center instance lives.'),
      placeHolder: 'us-east-1',
      value: region,
      ignoreFocusOut: true,
      validateInput: (v) => checkRegion(v).error,
    });
    if (!reg) return undefined;
    return { target: { startUrl: url.trim(), region: reg.trim() }, askedFor: true };
  }

  private async offerToSave(target: SsoTarget): Promise<void> {
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
