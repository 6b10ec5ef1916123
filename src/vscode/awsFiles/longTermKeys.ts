// Long-term key hygiene: looks for static IAM user keys in ~/.aws/credentials, ~/.aws/config and
// the editor's environment, and offers guidance to move to Identity Center roles. It only ever
// holds masked key ids; the scan runs when the view first asks, and again when the window regains focus.
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/events';
import type { Logger } from '../../core/common/log';
import { findLongTermKeys, guidanceFor, summarize, type LongTermKeyFinding } from '../../core/awsFiles/longTermKeys';
import { keyUseLine, type TerminalSetup } from '../../core/terminals/keyUse';
import type { TreeBanner, TreeNode } from '../accounts/accountsTree';
import { Commands } from '../platform/commandIds';
import { ContextKeys, setContextKey } from '../platform/contextKeys';

const RESCAN_AFTER_MS = 60_000;
const LEARN_MORE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles';

export class LongTermKeys implements TreeBanner, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables = new DisposableStore(this.changed);
  private current: LongTermKeyFinding[] = [];
  private lastScan = 0;
  private scanning: Promise<void> | undefined;

  /** `terminals`: how new terminals are set up now, so the row can say which key (if any) they would use. */
  constructor(
    private readonly log: Logger,
    private readonly terminals?: () => TerminalSetup,
  ) {
    this.disposables.add(
      vscode.window.onDidChangeWindowState((w) => w.focused && this.lastScan > 0 && Date.now() - this.lastScan > RESCAN_AFTER_MS && void this.scan()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('awsIdc.longTermKeyWarning') && this.changed.fire()),
      this.changed.event(() => void setContextKey(ContextKeys.longTermKeys, this.findings.length > 0)),
    );
  }

  /** Findings to show, or none when the user turned the warning off. */
  get findings(): LongTermKeyFinding[] {
    return vscode.workspace.getConfiguration('awsIdc').get<boolean>('longTermKeyWarning', true) ? this.current : [];
  }

  /** The warning row above the accounts. */
  nodes(): Extract<TreeNode, { kind: 'message' }>[] {
    // The first scan waits until the view is shown: it loads the SDK's INI parser, which a user
    // who never opens the view should not pay for.
    if (this.lastScan === 0 && !this.scanning) void this.scan();
    const found = this.findings;
    if (!found.length) return [];
    const text =
      found.length === 1
        ? vscode.l10n.t('1 long-term access key found')
        : vscode.l10n.t({ message: '{0} long-term access keys found', args: [found.length], comment: ['{0} is a number, 2 or more.'] });
    return [
      {
        kind: 'message',
        id: 'longTermKeys',
        text,
        icon: 'warning',
        command: Commands.reviewLongTermKeys,
        tooltip: [summarize(found), this.useLine(found), vscode.l10n.t('Click for guidance on replacing them with Identity Center roles.')]
          .filter(Boolean)
          .join('\n\n'),
      },
    ];
  }

  scan(): Promise<void> {
    this.scanning ??= (async () => {
      try {
        const next = await findLongTermKeys();
        this.lastScan = Date.now();
        const changed = JSON.stringify(next) !== JSON.stringify(this.current);
        this.current = next;
        if (changed) {
          if (next.length) this.log.warn(`[keys] ${summarize(next)}`);
          this.changed.fire();
        }
      } catch (e) {
        this.log.warn(`[keys] scan failed (${(e as Error).name})`);
      }
    })().finally(() => (this.scanning = undefined));
    return this.scanning;
  }

  /** The warning item's action: what was found, why it matters, and what to do next. */
  async review(): Promise<void> {
    await this.scan();
    const found = this.current;
    if (!found.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t("No long-term AWS access keys found in ~/.aws or the editor's environment."));
      return;
    }
    const save = vscode.l10n.t('Save Role as AWS CLI Profile');
    const retire = vscode.l10n.t('Move a Key Aside…');
    const learn = vscode.l10n.t('Learn More');
    // Non-modal messages have no detail line, so the guidance follows the summary.
    const use = this.useLine(found);
    const choice = await vscode.window.showWarningMessage(`${summarize(found)}${use ? ` ${use}` : ''}\n\n${guidanceFor(found)}`, retire, save, learn);
    if (choice === retire) void vscode.commands.executeCommand(Commands.retireLongTermKey);
    if (choice === save) void vscode.commands.executeCommand(Commands.saveCliProfile);
    if (choice === learn) void vscode.env.openExternal(vscode.Uri.parse(LEARN_MORE));
  }

  /** The terminal setup changed (sign-in, role, mode, profile): the row's sentence may too. */
  refresh(): void {
    if (this.current.length) this.changed.fire();
  }

  private useLine(found: LongTermKeyFinding[]): string | undefined {
    return this.terminals && keyUseLine(found, this.terminals());
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
