// The status-bar countdown. One re-armed timer (never an interval), aligned to when the text
// next changes, so it neither drifts nor piles up.
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/events';
import type { ActiveRole } from '../../core/accounts/activeRole';
import type { Clock } from '../../core/common/clock';
import { countdownView, CountdownView } from '../../core/accounts/countdown';
import type { CredentialBroker } from '../../core/credentials/broker';
import type { SessionView } from '../accounts/activeSessionView';
import { Commands } from '../platform/commandIds';
import { isTrusted, onDidGrantTrust, untrustedReason } from '../platform/workspaceTrust';

export interface StatusBarOptions {
  session: SessionView;
  active: ActiveRole;
  broker: CredentialBroker;
  clock: Clock;
  /** Setting awsIdc.warnBeforeExpiry, in ms (read on every render). */
  warnBeforeMs: () => number;
  /** The active role's portal, named in the tooltip while several portals are signed in. */
  portalName?: () => string | undefined;
  /** Why the active role is guarded (a tooltip line), else undefined; the bar then takes the error colour. */
  guard?: { reason(): string | undefined; onDidChange: vscode.Event<void> };
}

/** Terminals whose AWS commands use something else than the active role (TerminalPeers). */
export interface TerminalNotes {
  tooltipLines(): string[];
  onDidChange: vscode.Event<void>;
}

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('awsIdc.status', vscode.StatusBarAlignment.Left, 100);
  private cancelTick: (() => void) | undefined;
  private readonly disposables = new DisposableStore();
  /** The last rendered view, for tests. */
  last: CountdownView | undefined;
  /** The last tooltip's lines (plain text), for tests. */
  lastTooltip: string[] = [];
  private terminalNotes: TerminalNotes | undefined;
  /** The theme colour id of the last background (undefined: none), for tests. */
  lastBackground: string | undefined;

  constructor(private readonly o: StatusBarOptions) {
    this.item.name = vscode.l10n.t({ message: 'AWS Identity Center', comment: ["Name of the status bar item, as listed in the status bar's context menu."] });
    this.item.command = Commands.switchRole;
    this.disposables.add(
      this.item,
      o.session.onDidChange(() => this.render()),
      o.active.onDidChange(() => this.render()),
      o.broker.onDidRefresh(() => this.render()),
      onDidGrantTrust(() => this.render()),
    );
    if (o.guard) this.disposables.add(o.guard.onDidChange(() => this.render()));
    this.render();
    this.item.show();
  }

  /** Adds the terminals' notes to the tooltip, following their changes. */
  showTerminalNotes(notes: TerminalNotes): vscode.Disposable {
    this.terminalNotes = notes;
    this.render();
    return this.disposables.add(notes.onDidChange(() => this.render()));
  }

  render(): void {
    this.cancelTick?.();
    const role = this.o.active.current;
    const view = countdownView({
      now: this.o.clock.now(),
      session: this.o.session.state,
      role,
      roleExpiresAt: role ? this.o.broker.peek(role)?.expiration : undefined,
      warnBeforeMs: this.o.warnBeforeMs(),
    });
    this.last = view;
    // Restricted Mode: the bar says that this workspace gets nothing, and why (workspaceTrust.ts).
    const trusted = isTrusted();
    this.item.text = trusted
      ? view.text
      : vscode.l10n.t({
          message: '$(workspace-untrusted) {0} · Restricted Mode: no credentials',
          args: [view.text],
          comment: ['$(workspace-untrusted) is an icon: keep it as it is; {0} is the usual status text (role and time left).'],
        });
    const portal = this.o.portalName?.();
    const guarded = role ? this.o.guard?.reason() : undefined;
    const lines = [
      ...(trusted ? [] : [untrustedReason()]),
      ...(guarded ? [guarded] : []),
      ...view.tooltipLines,
      ...(portal
        ? [vscode.l10n.t({ message: 'AWS access portal: {0}', args: [portal], comment: ['{0}: an sso-session name or the host of an AWS access portal URL'] })]
        : []),
      ...(this.terminalNotes?.tooltipLines() ?? []),
    ];
    this.lastTooltip = lines;
    this.item.tooltip = new vscode.MarkdownString(lines.map((l) => l.replace(/[\\`*_[\]<>]/g, '\\$&')).join('\n\n'));
    this.item.accessibilityInformation = { label: view.accessibleName, role: 'button' };
    // A guarded role is powerful access: the error colour for as long as it is active.
    this.lastBackground =
      view.urgency === 'expired' || guarded ? 'statusBarItem.errorBackground' : view.urgency === 'warning' ? 'statusBarItem.warningBackground' : undefined;
    this.item.backgroundColor = this.lastBackground ? new vscode.ThemeColor(this.lastBackground) : undefined;
    this.cancelTick = this.o.clock.setTimeout(() => this.render(), view.nextUpdateIn);
  }

  dispose(): void {
    this.cancelTick?.();
    this.disposables.dispose();
  }
}
