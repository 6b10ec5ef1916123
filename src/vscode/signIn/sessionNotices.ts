// Non-modal notices about the sign-in: a warning before a non-renewable session ends, and an
// offer to sign in again when it has ended. Never a raw error.
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/events';
import type { Clock } from '../../core/common/clock';
import { formatRelative } from '../../core/common/format';
import type { Portals } from '../../core/signIn/portals';
import type { Session } from '../../core/signIn/session';
import { Commands } from '../platform/commandIds';

export interface SessionNoticesOptions {
  portals: Portals;
  clock: Clock;
  /** Setting awsIdc.warnBeforeExpiry, in ms. */
  warnBeforeMs: () => number;
}

export class SessionNotices implements vscode.Disposable {
  /** One warning timer per portal, and the expiry each was warned about. */
  private readonly cancelWarnings = new Map<string, () => void>();
  private readonly warnedFor = new Map<string, number>();
  private readonly disposables = new DisposableStore();
  /** Messages shown, for tests. */
  readonly shown: string[] = [];

  constructor(private readonly o: SessionNoticesOptions) {
    this.disposables.add(
      o.portals.onDidChange((id) => this.schedule(id, o.portals.session(id))),
      o.portals.onDidEnd(({ portal, reason }) => void this.offer(this.named(reason.message, portal), portal.startUrl)),
    );
    for (const { info, session } of o.portals.all) this.schedule(info.id, session);
  }

  private schedule(id: string, session: Session | undefined): void {
    this.cancelWarnings.get(id)?.();
    this.cancelWarnings.delete(id);
    const state = session?.state;
    if (state?.kind !== 'signedIn' || state.canRefresh || this.warnedFor.get(id) === state.expiresAt) return;
    const due = state.expiresAt - this.o.warnBeforeMs() - this.o.clock.now();
    this.cancelWarnings.set(
      id,
      this.o.clock.setTimeout(
        () => {
          this.warnedFor.set(id, state.expiresAt);
          void this.offer(
            this.named(
              vscode.l10n.t({
                message: 'Your AWS IAM Identity Center sign-in ends {0}. Sign in again to keep your terminals working.',
                args: [formatRelative(state.expiresAt - this.o.clock.now())],
                comment: ['{0} is a relative time such as "in 9 minutes".'],
              }),
              state,
            ),
            state.startUrl,
          );
        },
        Math.max(due, 0),
      ),
    );
  }

  /** With several portals a notice says which one it is about. */
  private named(message: string, portal: { startUrl: string }): string {
    return this.o.portals.all.length > 1
      ? vscode.l10n.t({ message: '{0}: {1}', args: [portal.startUrl, message], comment: ['{0}: an AWS access portal URL; {1}: a message about its sign-in'] })
      : message;
  }

  private async offer(message: string, startUrl: string): Promise<void> {
    this.shown.push(message);
    const signIn = vscode.l10n.t('Sign In Again');
    if ((await vscode.window.showWarningMessage(message, signIn)) === signIn) void vscode.commands.executeCommand(Commands.signIn, startUrl);
  }

  dispose(): void {
    for (const cancel of this.cancelWarnings.values()) cancel();
    this.disposables.dispose();
  }
}
