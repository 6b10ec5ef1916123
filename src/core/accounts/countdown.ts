// What the status bar says at a given instant, as a pure function of state and time, so the
// countdown text and colour thresholds are table-tested without a UI.
import * as l10n from '@vscode/l10n';
import { formatRelative, formatTimeLeft, nextTickIn, urgency, Urgency } from '../common/format';
import type { ActiveRoleChoice } from './activeRole';
import type { SessionState } from '../signIn/session';

export interface CountdownInput {
  now: number;
  session: SessionState;
  role?: ActiveRoleChoice;
  /** Role-credential expiry (epoch ms), once fetched. */
  roleExpiresAt?: number;
  warnBeforeMs: number;
}

export interface CountdownView {
  text: string;
  urgency: Urgency;
  tooltipLines: string[];
  accessibleName: string;
  /** Milliseconds until the text next changes. */
  nextUpdateIn: number;
}

export function countdownView(input: CountdownInput): CountdownView {
  const { now, session, role } = input;
  if (session.kind === 'signingIn') {
    return {
      text: l10n.t({ message: '$(sync~spin) AWS: signing in…', comment: ['$(sync~spin) is an icon: keep it as it is'] }),
      urgency: 'normal',
      tooltipLines: [l10n.t('Waiting for approval in the browser')],
      accessibleName: l10n.t('AWS Identity Center: signing in'),
      nextUpdateIn: 60_000,
    };
  }
  if (session.kind === 'signedOut') {
    return {
      text: l10n.t({ message: '$(key) AWS: signed out', comment: ['$(key) is an icon: keep it as it is'] }),
      urgency: 'normal',
      tooltipLines: [l10n.t('Not signed in to AWS IAM Identity Center'), l10n.t('Click to sign in or switch role')],
      accessibleName: l10n.t('AWS Identity Center: signed out'),
      nextUpdateIn: 60_000,
    };
  }
  // A refreshable sign-in renews itself; only a non-refreshable one ends at its token's expiry.
  const sessionEnd = session.canRefresh ? undefined : session.expiresAt;
  const sessionEndText = [new Date(session.expiresAt).toLocaleString(), formatRelative(session.expiresAt - now)];
  const sessionLine = session.canRefresh
    ? l10n.t({
        message: 'Sign-in session: token renews automatically; current token {0} ({1})',
        args: sessionEndText,
        comment: ['{0}: when the current token expires (date and time); {1}: the same as relative time, e.g. "in 42 minutes"'],
      })
    : l10n.t({ message: 'Sign-in session: ends {0} ({1})', args: sessionEndText, comment: ['{0}: date and time; {1}: relative time, e.g. "in 42 minutes"'] });
  if (!role) {
    const left = sessionEnd !== undefined ? sessionEnd - now : Infinity;
    return {
      text: l10n.t({ message: '$(key) AWS: choose a role', comment: ['$(key) is an icon: keep it as it is'] }),
      urgency: urgency(left, input.warnBeforeMs),
      tooltipLines: [
        l10n.t({ message: 'Signed in to {0} ({1})', args: [session.startUrl, session.region], comment: ['{0}: the access portal URL; {1}: the AWS region'] }),
        sessionLine,
        l10n.t('Click to choose a role'),
      ],
      accessibleName: l10n.t('AWS Identity Center: signed in, no role chosen'),
      nextUpdateIn: Number.isFinite(left) ? nextTickIn(left) : 60_000,
    };
  }
  const ends = [input.roleExpiresAt, sessionEnd].filter((t): t is number => t !== undefined);
  const left = ends.length ? Math.min(...ends) - now : undefined;
  const label = `${role.accountName}/${role.roleName}`;
  const time = left === undefined ? '…' : formatTimeLeft(left);
  const level = left === undefined ? 'normal' : urgency(left, input.warnBeforeMs);
  const tooltipLines = [
    role.via
      ? l10n.t({
          message: 'Chained role: {0}, assumed from {1} ({2})',
          args: [role.accountName, role.via.roleName, role.via.accountId],
          comment: ['{0}: the chained role name; {1}: the source role name; {2}: the source account id'],
        })
      : l10n.t({ message: 'Account: {0} ({1})', args: [role.accountName, role.accountId], comment: ['{0}: the account name; {1}: the account id'] }),
    role.via
      ? l10n.t({ message: 'Role: {0} in {1}', args: [role.roleName, role.accountId], comment: ['{0}: the role name; {1}: the account id'] })
      : l10n.t('Role: {0}', role.roleName),
    l10n.t('Region: {0}', session.region),
    input.roleExpiresAt !== undefined
      ? l10n.t({
          message: 'Role credentials expire {0} ({1}), refreshed ahead automatically',
          args: [new Date(input.roleExpiresAt).toLocaleString(), formatRelative(input.roleExpiresAt - now)],
          comment: ['{0}: date and time; {1}: relative time, e.g. "in 42 minutes"'],
        })
      : l10n.t('Role credentials: not fetched yet'),
    sessionLine,
    l10n.t('Click to switch role'),
  ];
  return {
    text: `$(key) ${label} ${time}`,
    urgency: level,
    tooltipLines,
    accessibleName:
      left === undefined
        ? l10n.t({ message: 'AWS role {0}, credentials loading', args: [label], comment: ['{0}: account name/role name'] })
        : left <= 0
          ? l10n.t({ message: 'AWS role {0}, expired', args: [label], comment: ['{0}: account name/role name'] })
          : l10n.t({ message: 'AWS role {0}, {1} left', args: [label, time], comment: ['{0}: account name/role name; {1}: compact time left, e.g. "42m"'] }),
    nextUpdateIn: left === undefined ? 60_000 : nextTickIn(left),
  };
}
