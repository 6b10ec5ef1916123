// The status-bar countdown. One re-armed timer (never an interval), aligned to when the text
// next changes, so it neither drifts nor piles up.
import * as vscode from 'vscode';
import type { ActiveRole } from '../core/activeRole';
import type { Clock } from '../core/clock';
import { countdownView, CountdownView } from '../core/countdown';
import type { CredentialBroker } from '../core/credentials';
import type { Session } from '../core/session';
import { Commands } from './commands';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('awsIdc.status', vscode.StatusBarAlignment.Left, 100);
  private cancelTick: (() => void) | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** The last rendered view, for tests. */
  last: CountdownView | undefined;

  constructor(
    private readonly session: Session,
    private readonly active: ActiveRole,
    private readonly broker: CredentialBroker,
    private readonly clock: Clock,
    private readonly warnBeforeMs: () => number,
  ) {
    this.item.name = vscode.l10n.t({ message: 'AWS Identity Center', comment: ['Name of the status bar item, as listed in the status bar\'s context menu.'] });
    this.item.command = Commands.switchRole;
    this.disposables.push(
      this.item,
      session.onDidChange(() => this.render()),
      active.onDidChange(() => this.render()),
      broker.onDidRefresh(() => this.render()),
    );
    this.render();
    this.item.show();
  }

  render(): void {
    this.cancelTick?.();
    const role = this.active.current;
    const view = countdownView({
      now: this.clock.now(),
      session: this.session.state,
      role,
      roleExpiresAt: role ? this.broker.peek(role)?.expiration : undefined,
      warnBeforeMs: this.warnBeforeMs(),
    });
    this.last = view;
    this.item.text = view.text;
    this.item.tooltip = new vscode.MarkdownString(view.tooltipLines.map((l) => l.replace(/[\\`*_[\]<>]/g, '\\$&')).join('\n\n'));
    this.item.accessibilityInformation = { label: view.accessibleName, role: 'button' };
    this.item.backgroundColor =
      view.urgency === 'expired' ? new vscode.ThemeColor('statusBarItem.errorBackground') : view.urgency === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.cancelTick = this.clock.setTimeout(() => this.render(), view.nextUpdateIn);
  }

  dispose(): void {
    this.cancelTick?.();
    for (const d of this.disposables) d.dispose();
  }
}
