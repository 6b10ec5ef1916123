// awsIdc.chainedRoles, parsed once per change (user settings only), with problems reported once.
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/events';
import { parseChainedRoles, type ChainedRoleDefinition } from '../../core/credentials/chainedRoles';
import type { Logger } from '../../core/common/log';
import { settings } from '../platform/settings';

export class ChainedRoleSettings implements vscode.Disposable {
  private parsed: ChainedRoleDefinition[] | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables = new DisposableStore();

  constructor(private readonly log: Logger) {
    this.disposables.add(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!settings.affects(e, 'chainedRoles')) return;
        this.parsed = undefined;
        this.changed.fire();
      }),
      this.changed,
    );
  }

  /** Valid entries; bad ones are skipped and explained once per change. */
  get roles(): readonly ChainedRoleDefinition[] {
    if (!this.parsed) {
      const { roles, problems } = parseChainedRoles(settings.chainedRoles());
      this.parsed = roles;
      for (const p of problems) this.log.warn(`[chainedRoles] ${p}`);
      if (problems.length) void vscode.window.showWarningMessage(problems.join(' '));
    }
    return this.parsed;
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
