// What a command does with arguments it did not choose itself. A command can be run by another
// extension or by a task's `command` input with any arguments: a role must be one the catalog lists
// (and is named from the catalog), and keys reach the clipboard only after a modal the user answers.
import * as vscode from 'vscode';
import type { ActiveRoleChoice } from '../../core/accounts/activeRole';
import { knownRole } from '../../core/credentials/knownRole';
import { IdcError } from '../../core/common/errors';
import { formatRelative } from '../../core/common/format';
import type { RoleRef } from '../../core/common/model';
import type { ChainedRoleDefinition } from '../../core/credentials/chainedRoles';
import type { PortalCatalogs } from '../../core/accounts/portalCatalogs';
import type { Logger } from '../../core/common/log';
import type { Portals } from '../../core/signIn/portals';
import { portalLabelOf } from '../../core/signIn/portalLabel';

export interface GuardDeps {
  catalog: PortalCatalogs;
  chained: () => readonly ChainedRoleDefinition[];
  portals: Portals;
  log: Logger;
}

/** The catalog's entry for the role an argument names; throws a refusal that says why if it lists none. */
export function knownRoleOf(d: GuardDeps, arg: unknown): ActiveRoleChoice {
  const role = knownRole(arg, d.catalog.allRoles(), d.chained(), (id) => d.catalog.account(id)?.accountName);
  if (role) return role;
  d.log.warn('[command] a command was given a role that no signed-in portal lists: refused');
  throw new IdcError(
    'denied',
    vscode.l10n.t(
      'A command asked for an AWS role that your IAM Identity Center sign-in does not list, so nothing was done. Pick the role in the AWS Accounts view, or Refresh Accounts if it is new.',
    ),
  );
}

/** Asks, every time, before credentials go to the clipboard; true only when the user chose Copy. */
export async function confirmCopyEnv(d: GuardDeps, role: ActiveRoleChoice & RoleRef, expiration: number): Promise<boolean> {
  const copy = vscode.l10n.t('Copy');
  let answer: string | undefined;
  try {
    answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Copy AWS credentials to the clipboard?'),
      {
        modal: true,
        detail: vscode.l10n.t({
          message:
            'Account: {0}\nRole: {1}\nAWS access portal: {2}\nExpires: {3}\n\nAnything that reads the clipboard gets these keys until they expire; they do not refresh.',
          args: [
            `${role.accountName} (${role.accountId})`,
            role.roleName,
            portalLabelOf(d.portals, role) ?? vscode.l10n.t('(unknown portal)'),
            `${new Date(expiration).toLocaleTimeString()} (${formatRelative(expiration - Date.now())})`,
          ],
          comment: ['{0} account name and 12-digit id, {1} IAM role name, {2} portal label, {3} a clock time and a relative time such as "in 58 minutes".'],
        }),
      },
      copy,
    );
  } catch (e) {
    d.log.warn(`[command] the copy question could not be shown (${(e as Error).name}): nothing copied`);
  }
  if (answer !== copy) d.log.info('[command] credentials were not copied: the user did not confirm');
  return answer === copy;
}
