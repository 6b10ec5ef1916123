// The hover of an account row in the Accounts tree (built on hover, not for every row).
import * as vscode from 'vscode';
import type { Account } from '../../core/common/model';

export function accountTooltip(account: Account, pinned: boolean): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${escapeMd(account.accountName)}**\n\n`);
  tooltip.appendMarkdown(
    `${vscode.l10n.t({ message: 'Account ID: {0}', args: [`\`${account.accountId}\``], comment: ['Markdown: {0} is the 12-digit account id, already in backticks.'] })}\n\n`,
  );
  if (account.emailAddress)
    tooltip.appendMarkdown(
      `${vscode.l10n.t({ message: 'E-mail: {0}', args: [escapeMd(account.emailAddress)], comment: ['Markdown: {0} is the e-mail address of the AWS account.'] })}\n\n`,
    );
  if (pinned) tooltip.appendMarkdown(`${vscode.l10n.t({ message: 'Pinned', comment: ['The account is pinned to the top of the Accounts view.'] })}\n\n`);
  return tooltip;
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
