// What the status bar says at a given instant, as a pure function of state and time, so the
// countdown text and colour thresholds are table-tested without a UI.
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
      text: '$(sync~spin) AWS: signing in…',
      urgency: 'normal',
      tooltipLines: ['Waiting for approval in the browser'],
      accessibleName: 'AWS Identity Center: signing in',
      nextUpdateIn: 60_000,
    };
  }
  if (session.kind === 'signedOut') {
    return {
      text: '$(key) AWS: signed out',
      urgency: 'normal',
      tooltipLines: ['Not signed in to AWS IAM Identity Center', 'Click to sign in or switch role'],
      accessibleName: 'AWS Identity Center: signed out',
      nextUpdateIn: 60_000,
    };
  }
  // A refreshable sign-in renews itself; only a non-refreshable one ends at its token's expiry.
  const sessionEnd = session.canRefresh ? undefined : session.expiresAt;
  const sessionLine = `Sign-in session: ${session.canRefresh ? 'token renews automatically; current token' : 'ends'} ${new Date(session.expiresAt).toLocaleString()} (${formatRelative(session.expiresAt - now)})`;
  if (!role) {
    const left = sessionEnd !== undefined ? sessionEnd - now : Infinity;
    return {
      text: '$(key) AWS: choose a role',
      urgency: urgency(left, input.warnBeforeMs),
      tooltipLines: [`Signed in to ${session.startUrl} (${session.region})`, sessionLine, 'Click to choose a role'],
      accessibleName: 'AWS Identity Center: signed in, no role chosen',
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
      ? `Chained role: ${role.accountName}, assumed from ${role.via.roleName} (${role.via.accountId})`
      : `Account: ${role.accountName} (${role.accountId})`,
    role.via ? `Role: ${role.roleName} in ${role.accountId}` : `Role: ${role.roleName}`,
    `Region: ${session.region}`,
    input.roleExpiresAt !== undefined
      ? `Role credentials expire ${new Date(input.roleExpiresAt).toLocaleString()} (${formatRelative(input.roleExpiresAt - now)}), refreshed ahead automatically`
      : 'Role credentials: not fetched yet',
    sessionLine,
    'Click to switch role',
  ];
  return {
    text: `$(key) ${label} ${time}`,
    urgency: level,
    tooltipLines,
    accessibleName: `AWS role ${label}, ${left === undefined ? 'credentials loading' : left <= 0 ? 'expired' : `${time} left`}`,
    nextUpdateIn: left === undefined ? 60_000 : nextTickIn(left),
  };
}
