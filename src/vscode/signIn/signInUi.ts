// Sign-in UI: asks where to sign in (whereToSignIn.ts), then runs the flow this window uses
// (flowInteraction.ts: the authorization code, or the device code with its code shown) in a cancellable
// progress notification. Failures end in a message that says what to do;
// nothing here is modal.
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/events';
import type { DeviceCodePrompt } from '../../core/signIn/deviceFlow';
import { IdcError, toIdcError } from '../../core/common/errors';
import type { Logger } from '../../core/common/log';
import type { Portals } from '../../core/signIn/portals';
import { Commands } from '../platform/commandIds';
import { flowInteraction } from './flowInteraction';
import { WhereToSignIn } from './whereToSignIn';

export const INTERNAL = {
  copyUserCode: 'awsIdc.internal.copyUserCode',
  openVerificationPage: 'awsIdc.internal.openVerificationPage',
};

export class SignInUi implements vscode.Disposable {
  private prompt: DeviceCodePrompt | undefined;
  /** The authorization-code sign-in's page (for "Open page again"), while it waits. */
  private authorizeUrl: string | undefined;
  /** The loopback listener's port while an authorization-code sign-in waits (tests check it is freed). */
  redirectPort: number | undefined;
  /** How long the authorization-code sign-in waits for the browser (tests shorten it). */
  redirectTimeoutMs: number | undefined;
  private inFlight: Promise<boolean> | undefined;
  private readonly disposables = new DisposableStore();
  private readonly where: WhereToSignIn;

  constructor(
    private readonly portals: Portals,
    private readonly log: Logger,
    /** Another window's sign-in, taken instead of a second device authorization (otherWindows.ts). */
    private readonly otherWindows?: { adoptInstead(startUrl?: string): Promise<boolean> },
  ) {
    this.where = new WhereToSignIn(portals, log);
    this.disposables.add(
      vscode.commands.registerCommand(INTERNAL.copyUserCode, () => this.copyCode()),
      vscode.commands.registerCommand(INTERNAL.openVerificationPage, () => {
        const page = this.prompt?.verificationUriComplete ?? this.authorizeUrl;
        return page && vscode.env.openExternal(vscode.Uri.parse(page, true));
      }),
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
    const resolved = startUrl ? await this.where.forStartUrl(startUrl) : await this.where.choose();
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
                  ...flowInteraction({
                    report: (message) => progress.report({ message }),
                    onAuthorizeUrl: (url) => (this.authorizeUrl = url),
                    onListening: (port) => (this.redirectPort = port),
                    timeoutMs: this.redirectTimeoutMs,
                    openAgainCommand: INTERNAL.openVerificationPage,
                  }),
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
            this.prompt = this.authorizeUrl = undefined;
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
    if (askedFor) void this.where.offerToSave(target);
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
}
