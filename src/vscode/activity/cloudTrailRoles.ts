// Which role's credentials look a hand-out up, and which hand-outs a command argument means
// (a terminal, a debug session, a role in the tree, or the user's pick). Everything decided here
// comes from the activity log and the catalog, never from the argument's own claims.
import * as vscode from 'vscode';
import type { PortalCatalogs } from '../../core/accounts/portalCatalogs';
import type { Handout, HandoutSelection } from '../../core/activity/cloudTrailReview';
import { roleLabel } from '../../core/activity/cloudTrailSummary';
import { IdcError } from '../../core/common/errors';
import { debugConsumer } from '../../core/common/labels';
import type { RoleRef } from '../../core/common/model';
import { chainedRoleRef, type ChainedRoleDefinition } from '../../core/credentials/chainedRoles';

/** The role whose own credentials look up `h` (a chained key: its chained role, in its target account). */
export function roleOfHandout(h: Handout, catalog: PortalCatalogs, chained: readonly ChainedRoleDefinition[]): RoleRef {
  const portal = catalog.portalOfAccount(h.accountId);
  const source: RoleRef = { accountId: h.accountId, roleName: h.roleName, ...(portal ? { portal } : {}) };
  if (!portal) throw unreachable(h);
  if (!h.chain) return source;
  const def = chained.find((d) => d.name === h.chain && d.source.accountId === h.accountId);
  if (!def) throw unreachable(h);
  return chainedRoleRef(def, source);
}

function unreachable(h: Handout): IdcError {
  return new IdcError(
    'service',
    vscode.l10n.t({
      message: 'none of your sign-ins reaches {0} now (signed out, access removed, or the chained role setting is gone). Sign in to its portal and refresh.',
      args: [roleLabel(h)],
      comment: ['Completes "The role … cannot be reached any more, so …: "; {0}: account and role'],
    }),
  );
}

export interface Selection {
  selection: HandoutSelection;
  /** One sentence naming what is reviewed. */
  scope: string;
}

/** The active role endpoint serves every plain terminal; CloudTrail cannot tell those terminals apart. */
const SHARED_TERMINAL_CONSUMERS = ['terminals (active role endpoint)', 'new terminals (environment variables)'];

export function terminalSelection(terminal: vscode.Terminal, logged: ReadonlySet<string>): Selection {
  const own = `terminal "${terminal.name}"`;
  if (logged.has(own))
    return {
      selection: { kind: 'consumers', consumers: [own] },
      scope: vscode.l10n.t({ message: 'Credentials handed to the terminal "{0}".', args: [terminal.name], comment: ['{0}: a terminal name'] }),
    };
  return {
    selection: { kind: 'consumers', consumers: SHARED_TERMINAL_CONSUMERS },
    scope: vscode.l10n.t({
      message:
        'Credentials handed to the terminal "{0}" and every other terminal of the active role: they share the same keys, so CloudTrail cannot tell them apart.',
      args: [terminal.name],
      comment: ['{0}: a terminal name'],
    }),
  };
}

export function debugSelection(session: vscode.DebugSession): Selection {
  const name = (session.configuration?.name as unknown) ?? session.name;
  return {
    selection: { kind: 'consumers', consumers: [debugConsumer(name, session.type)] },
    scope: vscode.l10n.t({ message: 'Credentials handed to the debug session "{0}".', args: [session.name], comment: ['{0}: a debug session name'] }),
  };
}

export function roleSelection(role: RoleRef, accountName: string | undefined): Selection {
  // The activity log keeps a chained role under its source role, named by its chain.
  const base = role.via
    ? { accountId: role.via.accountId, roleName: role.via.roleName, chain: role.chainName }
    : { accountId: role.accountId, roleName: role.roleName };
  return {
    selection: { kind: 'role', ...base },
    scope: vscode.l10n.t({ message: 'Credentials of the role {0}.', args: [roleLabel({ ...base, accountName })], comment: ['{0}: account and role'] }),
  };
}

export const allSelection = (): Selection => ({ selection: { kind: 'all' }, scope: vscode.l10n.t('Every credential handed out in the last 90 days.') });

/** The command's argument as a selection; undefined for none (the caller asks). */
export function selectionOf(
  arg: unknown,
  logged: ReadonlySet<string>,
  knownRole: (arg: unknown) => { role: RoleRef; accountName?: string } | undefined,
): Selection | undefined {
  if (arg && typeof arg === 'object') {
    const terminal = vscode.window.terminals.find((t) => t === arg);
    if (terminal) return terminalSelection(terminal, logged);
    // A DebugSession (the Call Stack's menu, or a caller) or its id: it only chooses which log entries are shown.
    const a = arg as { type?: unknown; configuration?: unknown; sessionId?: unknown };
    if (typeof a.type === 'string' && a.configuration && typeof a.configuration === 'object') return debugSelection(arg as vscode.DebugSession);
    const session = vscode.debug.activeDebugSession;
    if (session && a.sessionId === session.id) return debugSelection(session);
    const role = knownRole((arg as { role?: unknown }).role ?? arg);
    if (role) return roleSelection(role.role, role.accountName);
  }
  return undefined;
}
