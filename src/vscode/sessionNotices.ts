// Non-modal notices about the sign-in: a warning before a non-renewable session ends, and an
// offer to sign in again when it has ended. Never a raw error.
import * as vscode from 'vscode';
import { DisposableStore } from '../core/common/events';
import type { Clock } from '../core/common/clock';
import { formatRelative } from '../core/common/format';
import type { Session } from '../core/signIn/session';
import { Commands } from './commands';

export interface SessionNoticesOptions {
  session: Session;
  clock: Clock;
  /** Setting awsIdc.warnBeforeExpiry, in ms. */
  warnBeforeMs: () => number;
}

export class SessionNotices implements vscode.Disposable {
  private cancelWarning: (() => void) | undefined;
  private warnedFor: number | undefined;
  private readonly disposables = new DisposableStore();
  /** Messages shown, for tests. */
  readonly shown: string[] = [];

  constructor(private readonly o: SessionNoticesOptions) {
    this.disposables.add(
      o.session.onDidChange(() => this.schedule()),
      o.session.onDidEnd((reason) => void this.offer(reason.message)),
    );
    this.schedule();
  }

  private schedule(): void {
    this.cancelWarning?.();
    const state = this.o.session.state;
    if (state.kind !== 'signedIn' || state.canRefresh || this.warnedFor === state.expiresAt) return;
    const due = state.expiresAt - this.o.warnBeforeMs() - this.o.clock.now();
    this.cancelWarning = this.o.clock.setTimeout(
      () => {
        this.warnedFor = state.expiresAt;
        void this.offer(
          vscode.l10n.t({
            message: 'Your AWS IAM Identity Center sign-in ends {0}. Sign in again to keep your terminals working.',
            args: [formatRelative(state.expiresAt - this.o.clock.now())],
            comment: ['{0} is a relative time such as "in 9 minutes".'],
          }),
        );
      },
      Math.max(due, 0),
    );
  }

  private async offer(message: string): Promise<void> {
    this.shown.push(message);
    const signIn = vscode.l10n.t('Sign In Again');
    if ((await vscode.window.showWarningMessage(message, signIn)) === signIn) void vscode.commands.executeCommand(Commands.signIn);
  }

  dispose(): void {
    this.cancelWarning?.();
    this.disposables.dispose();
  }
}
