// Review Credential Use (CloudTrail): from the Accounts view, a role in the tree, a terminal, a
// debug session or the palette; Refresh asks CloudTrail again for the same selection. Lookups use
// each key's role's own credentials through the broker, in the region its tools use.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PortalCatalogs } from '../../core/accounts/portalCatalogs';
import type { ActivityLog } from '../../core/activity/activityLog';
import { CloudTrailCache } from '../../core/activity/cloudTrailCache';
import { LookupPacers } from '../../core/activity/cloudTrailLookup';
import { reviewHandouts, selectHandouts, type Handout } from '../../core/activity/cloudTrailReview';
import { toIdcError } from '../../core/common/errors';
import { DisposableStore } from '../../core/common/events';
import type { Logger } from '../../core/common/log';
import type { ChainedRoleDefinition } from '../../core/credentials/chainedRoles';
import type { CredentialBroker } from '../../core/credentials/broker';
import { knownRole } from '../../core/credentials/knownRole';
import { allSelection, roleOfHandout, selectionOf, terminalSelection, debugSelection, type Selection } from './cloudTrailRoles';
import { CloudTrailView } from './cloudTrailView';

export const REVIEW_CLOUDTRAIL = 'awsIdc.reviewCloudTrail';
export const REFRESH_CLOUDTRAIL = 'awsIdc.refreshCloudTrail';

export interface CloudTrailDeps {
  activity: ActivityLog;
  catalog: PortalCatalogs;
  broker: CredentialBroker;
  chained: () => readonly ChainedRoleDefinition[];
  /** The regions a role's tools use: one function decides (config regionFor). */
  regions: (h: Handout) => string[];
  /** globalStorage: the cache file goes there. */
  storageDir: string;
  log: Logger;
}

export function registerCloudTrail(d: CloudTrailDeps): vscode.Disposable & { view: CloudTrailView } {
  const cache = new CloudTrailCache(path.join(d.storageDir, 'cloudtrail-review.json'), (e) =>
    d.log.warn(`[cloudtrail] cache not saved (${(e as Error).name})`),
  );
  // One set of pacers for the window: two reviews at once still share each account's limit.
  const pacers = new LookupPacers();
  const view = new CloudTrailView(async (selection, refresh, signal, progress) => {
    const handouts = selectHandouts(await d.activity.entries(), selection.selection, Date.now());
    const reviews = await reviewHandouts(handouts, {
      credentials: (h) => d.broker.get(roleOfHandout(h, d.catalog, d.chained())),
      regions: d.regions,
      cache,
      pacers,
      refresh,
      signal,
      onKey: progress,
    });
    const outcomes = reviews.flatMap((r) => r.regions.map((x) => x.result.kind));
    d.log.info(
      `[cloudtrail] reviewed ${reviews.length} keys (${refresh ? 'refreshed' : 'cache first'}): ${summaryOf(outcomes)}; ${pacers.stats.calls} calls, ${pacers.stats.throttled} throttled so far`,
    );
    return reviews;
  });
  const run = async (id: string, fn: () => Promise<unknown>) => {
    try {
      return await fn();
    } catch (e) {
      const err = toIdcError(e, vscode.l10n.t('Review Credential Use (CloudTrail)'));
      d.log.warn(`[command] ${id.replace('awsIdc.', '')} failed (${err.causeName ?? err.kind})`);
      if (err.kind !== 'cancelled') void vscode.window.showErrorMessage(err.message);
      return undefined;
    }
  };
  const disposables = new DisposableStore(
    view,
    vscode.commands.registerCommand(REVIEW_CLOUDTRAIL, (arg?: unknown) =>
      run(REVIEW_CLOUDTRAIL, async () => {
        const logged = new Set((await d.activity.entries()).map((e) => e.consumer));
        const known = (a: unknown) => {
          const role = knownRole(a, d.catalog.allRoles(), d.chained(), (id) => d.catalog.account(id)?.accountName);
          return role && { role, accountName: role.accountName };
        };
        const selection = selectionOf(arg, logged, known) ?? (await pickSelection(logged));
        return selection && view.show(selection, false);
      }),
    ),
    vscode.commands.registerCommand(REFRESH_CLOUDTRAIL, () => run(REFRESH_CLOUDTRAIL, async () => view.show(view.selection ?? allSelection(), true))),
  );
  return { view, dispose: () => disposables.dispose() };
}

function summaryOf(kinds: string[]): string {
  const counts = new Map<string, number>();
  for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'nothing';
}

/** From the palette: every hand-out, the active terminal's or debug session's, or one consumer's. */
async function pickSelection(logged: ReadonlySet<string>): Promise<Selection | undefined> {
  // The active terminal and debug session first: a terminal's context menu lands here too.
  const items: (vscode.QuickPickItem & { selection: Selection })[] = [];
  const terminal = vscode.window.activeTerminal;
  if (terminal)
    items.push({
      label: vscode.l10n.t({ message: 'The active terminal "{0}"', args: [terminal.name], comment: ['{0}: a terminal name'] }),
      selection: terminalSelection(terminal, logged),
    });
  const session = vscode.debug.activeDebugSession;
  if (session)
    items.push({
      label: vscode.l10n.t({ message: 'The debug session "{0}"', args: [session.name], comment: ['{0}: a debug session name'] }),
      selection: debugSelection(session),
    });
  items.push({ label: vscode.l10n.t('All credentials handed out'), selection: allSelection() });
  for (const consumer of logged)
    items.push({
      label: consumer,
      selection: {
        selection: { kind: 'consumers', consumers: [consumer] },
        scope: vscode.l10n.t({
          message: 'Credentials handed to {0}.',
          args: [consumer],
          comment: ['{0}: what received them, e.g. terminal "AWS: Sandbox/Admin"'],
        }),
      },
    });
  return (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Review what which credentials did?') }))?.selection;
}
