// Guarded roles in the editor: the question (a modal naming account, role and portal), the user's
// "don't ask again" list (awsIdc.guardedRolesNoPrompt in their own User settings, never a workspace's),
// the notice a minute before a role's time ends (with Extend), and the notice when it has ended.
// The decisions are core's (core/credentials/roleGuard.ts).
import * as vscode from 'vscode';
import type { ActiveRole, ActiveRoleChoice } from '../../core/accounts/activeRole';
import type { Clock } from '../../core/common/clock';
import { oneLineLabel } from '../../core/common/labels';
import { DisposableStore } from '../../core/common/events';
import type { Logger } from '../../core/common/log';
import { roleKey, type RoleRef } from '../../core/common/model';
import { RoleGuard, type GuardAnswer, type GuardPurpose, type GuardQuestion } from '../../core/credentials/roleGuard';
import { settings } from '../platform/settings';

export interface GuardedRolesOptions {
  clock: Clock;
  active: ActiveRole;
  /** context.globalState. */
  state: vscode.Memento;
  accountName: (accountId: string) => string | undefined;
  portalName: (role: RoleRef) => string | undefined;
  log: Logger;
}

/** The guard, wired to the settings, the question and the notices. */
export function createRoleGuard(o: GuardedRolesOptions): { guard: RoleGuard; disposable: vscode.Disposable } {
  const guard = new RoleGuard({
    clock: o.clock,
    active: o.active,
    state: o.state,
    patterns: settings.guardedRoles,
    noPrompt: settings.guardedRolesNoPrompt,
    minutes: settings.guardedRoleMinutes,
    accountName: o.accountName,
    ask: (q) => askGuardQuestion(q, o.portalName(q.role)),
    remember: rememberNoPrompt,
    log: o.log,
  });
  const label = (r: ActiveRoleChoice): string => `${o.accountName(r.accountId) ?? r.accountName}/${r.roleName}`;
  const disposables = new DisposableStore(
    guard,
    guard.onWillEnd(({ role }) => {
      const extend = vscode.l10n.t({ message: 'Extend by {0} Minutes', args: [settings.guardedRoleMinutes()], comment: ['A button; {0} is a number.'] });
      const next = guard.returnsTo(role);
      const current = o.active.current;
      const isActive = !!current && roleKey(current) === roleKey(role);
      const message = !isActive
        ? vscode.l10n.t({
            message: 'The guarded AWS role {0} ends in a minute; then terminals and debug sessions bound to it get no more credentials.',
            args: [label(role)],
            comment: ['{0}: account name/IAM role name.'],
          })
        : next
          ? vscode.l10n.t({
              message: 'The guarded AWS role {0} ends in a minute; then {1} is the active role again.',
              args: [label(role), label(next)],
              comment: ['{0} and {1}: account name/IAM role name.'],
            })
          : vscode.l10n.t({
              message: 'The guarded AWS role {0} ends in a minute; then no role is active.',
              args: [label(role)],
              comment: ['{0}: account name/IAM role name.'],
            });
      void vscode.window.showWarningMessage(message, extend).then((c) => (c === extend ? guard.extend(role) : undefined));
    }),
    guard.onDidEnd(({ role, wasActive, returnedTo, timedOut }) => {
      if (!wasActive) return;
      const message = !timedOut
        ? vscode.l10n.t({
            message: 'The guarded AWS role {0} was not kept active: it was not allowed in this VS Code session. Choose it with Switch Role to allow it.',
            args: [label(role)],
            comment: ['{0}: account name/IAM role name.'],
          })
        : returnedTo
          ? vscode.l10n.t({
              message: 'The time of the guarded AWS role {0} is up: {1} is the active role again.',
              args: [label(role), label(returnedTo)],
              comment: ['{0} and {1}: account name/IAM role name.'],
            })
          : vscode.l10n.t({
              message: 'The time of the guarded AWS role {0} is up: no role is active now.',
              args: [label(role)],
              comment: ['{0}: account name/IAM role name.'],
            });
      void vscode.window.showInformationMessage(message);
    }),
    // A pattern added while its role is active: that role needs a yes too.
    vscode.workspace.onDidChangeConfiguration((e) => settings.affects(e, 'guardedRoles') && void guard.reviewActive()),
  );
  void guard.reviewActive();
  return { guard, disposable: disposables };
}

/** The tooltip line of a guarded active role (why the status bar is coloured), else undefined. */
export function guardTooltip(guard: RoleGuard, role: ActiveRoleChoice | undefined, accountName: (id: string) => string | undefined): string | undefined {
  const pattern = role && guard.patternOf(role);
  if (!role || !pattern) return undefined;
  const until = guard.endsAt(role);
  if (until === undefined)
    return vscode.l10n.t({
      message: 'Guarded role (it matches "{0}" in awsIdc.guardedRoles): not allowed in this session, so nothing gets its credentials.',
      args: [pattern],
      comment: ['{0}: a pattern such as */AdministratorAccess; awsIdc.guardedRoles is a setting name.'],
    });
  const next = guard.returnsTo(role);
  const time = new Date(until).toLocaleTimeString();
  return next
    ? vscode.l10n.t({
        message: 'Guarded role (it matches "{0}" in awsIdc.guardedRoles): allowed until {1}, then {2} is active again.',
        args: [pattern, time, `${accountName(next.accountId) ?? next.accountName}/${next.roleName}`],
        comment: ['{0}: a pattern such as */AdministratorAccess; {1}: a clock time; {2}: account name/IAM role name.'],
      })
    : vscode.l10n.t({
        message: 'Guarded role (it matches "{0}" in awsIdc.guardedRoles): allowed until {1}, then no role is active.',
        args: [pattern, time],
        comment: ['{0}: a pattern such as */AdministratorAccess; {1}: a clock time.'],
      });
}

function purposeText(purpose: GuardPurpose): string {
  switch (purpose) {
    case 'activate':
      return vscode.l10n.t('Make it the active role? New terminals, tasks and debug sessions will use it.');
    case 'terminal':
      return vscode.l10n.t('Open a terminal bound to it?');
    case 'debug':
      return vscode.l10n.t('Start a debug session with its credentials?');
    case 'console':
      return vscode.l10n.t('Open the AWS console as this role?');
    case 'copy':
      return vscode.l10n.t('Copy its credentials to the clipboard?');
  }
}

/** Why the role is guarded and how long it stays allowed: one whole sentence per case. */
function guardText(q: GuardQuestion): string {
  return q.minutes === 1
    ? vscode.l10n.t({
        message:
          'This role is guarded: it matches "{0}" in awsIdc.guardedRoles. It stays allowed for 1 minute, then the role that was active before it returns and terminals or debug sessions bound to it get no more credentials.',
        args: [q.pattern],
        comment: ['{0}: an awsIdc.guardedRoles pattern.'],
      })
    : vscode.l10n.t({
        message:
          'This role is guarded: it matches "{0}" in awsIdc.guardedRoles. It stays allowed for {1} minutes, then the role that was active before it returns and terminals or debug sessions bound to it get no more credentials.',
        args: [q.pattern, q.minutes],
        comment: ['{0}: an awsIdc.guardedRoles pattern; {1}: a number of minutes.'],
      });
}

/** The modal. Dismissed (Escape, Cancel) is a refusal; a host that cannot show it throws (the guard refuses). */
async function askGuardQuestion(q: GuardQuestion, portal: string | undefined): Promise<GuardAnswer> {
  const allow = vscode.l10n.t({ message: 'Allow for {0} min', args: [q.minutes], comment: ['A button; {0} is a number of minutes.'] });
  const always = vscode.l10n.t("Allow, and Don't Ask Again for This Role");
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t({ message: 'Use the guarded AWS role {0}?', args: [q.role.roleName], comment: ['Title of a modal dialog; {0}: an IAM role name.'] }),
    {
      modal: true,
      detail: [
        vscode.l10n.t({
          message: 'Account: {0}\nRole: {1}\nAWS access portal: {2}',
          args: [`${oneLineLabel(q.role.accountName, 80)} (${q.role.accountId})`, q.role.roleName, portal ?? vscode.l10n.t('(unknown portal)')],
          comment: ['{0}: account name and 12-digit id; {1}: IAM role name; {2}: portal label.'],
        }),
        purposeText(q.purpose),
        guardText(q),
      ].join('\n\n'),
    },
    allow,
    always,
  );
  return answer === allow ? 'allow' : answer === always ? 'always' : 'refuse';
}

/** Adds an entry to the user's own awsIdc.guardedRolesNoPrompt (User settings: a workspace value is never read). */
async function rememberNoPrompt(entry: string): Promise<void> {
  const current = settings.guardedRolesNoPrompt();
  if (current.includes(entry)) return;
  await vscode.workspace.getConfiguration('awsIdc').update('guardedRolesNoPrompt', [...current, entry], vscode.ConfigurationTarget.Global);
}
