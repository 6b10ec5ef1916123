// Credentials follow the sign-ins: the active role's are kept fresh in the background while its
// portal is signed in; a portal signed out (here or in another window) takes its roles' credentials
// with it, the other portals' stay; the last sign-out takes them all.
import type { ActiveRole } from '../accounts/activeRole';
import type { Disposable } from '../common/events';
import { roleKey } from '../common/model';
import type { Portals } from '../signIn/portals';
import type { CredentialBroker } from './broker';

export interface CredentialLifecycleOptions {
  portals: Portals;
  active: ActiveRole;
  broker: CredentialBroker;
}

export class CredentialLifecycle implements Disposable {
  /** Portals seen signed in: their credentials go when they sign out or disappear. */
  private readonly seen = new Set<string>();
  private wasSignedIn = false;
  private keepFresh: Disposable | undefined;
  /** The role kept fresh now (its key). */
  private keptFresh: string | undefined;
  private readonly subscriptions: Disposable[];

  constructor(private readonly o: CredentialLifecycleOptions) {
    this.subscriptions = [o.portals.onDidChange(() => this.update()), o.active.onDidChange(() => this.followActiveRole())];
    void o.portals.ready.then(() => this.update());
  }

  /** The role whose credentials are kept fresh in the background (its key), if any. */
  get keptFreshRole(): string | undefined {
    return this.keptFresh;
  }

  private update(): void {
    const { portals, broker } = this.o;
    for (const { info, session } of portals.all) if (session.state.kind === 'signedIn') this.seen.add(info.id);
    for (const id of [...this.seen]) {
      if (portals.session(id)?.state.kind === 'signedOut' || !portals.session(id)) {
        this.seen.delete(id);
        broker.forgetPortal(id);
      }
    }
    const anySignedIn = portals.summary === 'signedIn';
    if (this.wasSignedIn && !anySignedIn) {
      broker.clear();
      // broker.clear() cancelled the background refresh; a later sign-in starts it again.
      this.keptFresh = undefined;
    }
    this.wasSignedIn = anySignedIn;
    this.followActiveRole();
  }

  // Token refreshes also fire state changes; only a new role or a sign-in/out restarts this.
  private followActiveRole(): void {
    const role = this.o.active.current;
    const wanted = role && this.o.portals.forRole(role)?.state.kind === 'signedIn' ? roleKey(role) : undefined;
    if (wanted === this.keptFresh) return;
    this.keepFresh?.dispose();
    this.keptFresh = wanted;
    this.keepFresh = wanted && role ? this.o.broker.keepFresh(role) : undefined;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.keepFresh?.dispose();
  }
}
