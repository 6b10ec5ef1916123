// What the adapters that follow "the sign-in" (status bar, terminals, walkthrough, region) see now
// that there are several: the sign-in of the active role's portal, or, with no active role, the
// first portal signed in. Read-only; core's Portals owns the state.
import type { ActiveRole } from '../../core/accounts/activeRole';
import { Emitter, type Disposable, type Event } from '../../core/common/events';
import type { Portals } from '../../core/signIn/portals';
import type { SessionState } from '../../core/signIn/session';

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
