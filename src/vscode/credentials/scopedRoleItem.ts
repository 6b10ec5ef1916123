// How the Accounts tree marks a chained role whose sessions are scoped down by session policies
// (awsIdc.chainedRoles "policy" / "policyArns"): a word in the description, a line in the tooltip, an icon.
import * as vscode from 'vscode';
import type { ChainedRoleDefinition } from '../../core/credentials/chainedRoles';
import { isScopedDown } from '../../core/credentials/sessionPolicy';

export function markScopedDown(item: vscode.TreeItem, def: ChainedRoleDefinition | undefined, isActive: boolean): void {
  if (!def || !isScopedDown(def)) return;
  const scoped = vscode.l10n.t({ message: 'scoped down', comment: ['Short tree description: the chained role runs with session policies that limit it'] });
  item.description = [item.description, scoped].filter(Boolean).join(' · ');
  const arns = def.policyArns?.length ?? 0;
  const why =
    def.policy !== undefined && arns > 0
      ? vscode.l10n.t({
          message: 'Scoped down: its sessions get at most what both the role and its session policy and {0} managed policies allow.',
          args: [arns],
          comment: ['Tooltip line of a chained role; {0}: a number of IAM managed policies'],
        })
      : def.policy !== undefined
        ? vscode.l10n.t({
            message: 'Scoped down: its sessions get at most what both the role and its session policy allow.',
            comment: ['Tooltip line of a chained role'],
          })
        : vscode.l10n.t({
            message: 'Scoped down: its sessions get at most what both the role and {0} managed policies allow.',
            args: [arns],
            comment: ['Tooltip line of a chained role; {0}: a number of IAM managed policies'],
          });
  item.tooltip = `${typeof item.tooltip === 'string' ? item.tooltip : ''}\n${why}`;
  if (!isActive) item.iconPath = new vscode.ThemeIcon('shield');
}
