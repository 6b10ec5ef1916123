// What the adapters that follow "the sign-in" (status bar, terminals, walkthrough, region) see now
// that there are several: the sign-in of the active role's portal, or, with no active role, the
// first portal signed in. Read-only; core's Portals owns the state. Plus how a portal is named
// and drawn in the Accounts tree.
import * as vscode from 'vscode';
import type { ActiveRole } from '../core/accounts/activeRole';
import { Emitter, type Disposable, type Event } from '../core/common/events';
import type { PortalInfo, Portals } from '../core/signIn/portals';
import type { SessionState } from '../core/signIn/session';

export interface SessionView {
  readonly state: SessionState;
  readonly onDidChange: Event<void>;
}

export class ActiveSessionView implements SessionView, Disposable {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: Disposable[];

  constructor(
    private readonly portals: Portals,
    private readonly active: ActiveRole,
  ) {
    this.subscriptions = [portals.onDidChange(() => this.changed.fire()), active.onDidChange(() => this.changed.fire())];
  }

  get state(): SessionState {
    const role = this.active.current;
    // The active role's portal decides; signed out of it means signed out for this role.
    if (role) return this.portals.forRole(role)?.state ?? { kind: 'signedOut' };
    // No active role yet: any sign-in tells what the region is.
    return (this.portals.signedIn[0] ?? this.portals.all[0])?.session.state ?? { kind: 'signedOut' };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

/** A portal's label: its sso-session name, else its start URL's host. */
export function portalLabel(info: { startUrl: string; sessionName?: string }): string {
  if (info.sessionName) return info.sessionName;
  try {
    return new URL(info.startUrl).host;
  } catch {
    return info.startUrl;
  }
}

/** A portal's row in the Accounts tree (shown while two or more portals are signed in). */
export function portalTreeItem(node: { portal: string; label: string }, info: PortalInfo | undefined, holdsActiveRole: boolean): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `portal:${node.portal}`;
  item.description = info?.region;
  item.contextValue = 'portal';
  item.iconPath = new vscode.ThemeIcon('cloud', holdsActiveRole ? new vscode.ThemeColor('charts.green') : undefined);
  item.tooltip = vscode.l10n.t({
    message: 'AWS access portal {0} ({1})',
    args: [info?.startUrl ?? node.label, info?.region ?? ''],
    comment: ['Tooltip of a portal node: {0} is the AWS access portal URL, {1} its region.'],
  });
  item.accessibilityInformation = {
    label: vscode.l10n.t({
      message: 'AWS access portal {0}, {1}',
      args: [node.label, info?.region ?? ''],
      comment: ['Screen-reader label of a portal node: {0} is its sso-session name or host, {1} its region.'],
    }),
  };
  return item;
}
