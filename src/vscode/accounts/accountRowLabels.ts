// Screen-reader labels of the Accounts tree's account rows, kept once made: vscode.l10n.t for each
// row was most of the extension's own cost when VS Code redraws 10,000 rows.
import * as vscode from 'vscode';
import type { Account } from '../../core/common/model';

export class AccountRowLabels {
  private readonly labels = new Map<string, string>();

  label(account: Account, isActive: boolean): string {
    const key = `${isActive ? 1 : 0}|${account.accountId}|${account.accountName}`;
    let label = this.labels.get(key);
    if (label === undefined) {
      label = isActive
        ? vscode.l10n.t({
            message: 'Account {0}, {1}, has the active role',
            args: [account.accountName, account.accountId],
            comment: ['Screen-reader label of an account row: {0} is the AWS account name, {1} its 12-digit id.'],
          })
        : vscode.l10n.t({
            message: 'Account {0}, {1}',
            args: [account.accountName, account.accountId],
            comment: ['Screen-reader label of an account row: {0} is the AWS account name, {1} its 12-digit id.'],
          });
      this.labels.set(key, label);
    }
    return label;
  }

  /** Forgets them (a full redraw): renamed accounts leave no stale entries behind. */
  clear(): void {
    this.labels.clear();
  }
}
