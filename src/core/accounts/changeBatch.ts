// Change events of the account catalog, coalesced: a 2,000-account listing fires a handful of
// events, not 2,000 (the tree redraws once per event).
import type { Clock } from '../common/clock';
import { Emitter, Disposable } from '../common/events';

/** What changed: the account list itself, and/or the roles of some accounts. */
export interface CatalogChange {
  accounts: boolean;
  roles: ReadonlySet<string>;
}

export class ChangeBatch implements Disposable {
  private readonly changed = new Emitter<CatalogChange>();
  readonly event = this.changed.event;
  private pending = { accounts: false, roles: new Set<string>() };
  private cancelTimer: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly delayMs: number,
  ) {}

  /** Notes a change of the account list, or of `rolesOf`'s roles; `now` fires at once (with anything pending). */
  add(now = false, rolesOf?: string): void {
    if (rolesOf === undefined) this.pending.accounts = true;
    else this.pending.roles.add(rolesOf);
    if (now) {
      this.cancelTimer?.();
      this.flush();
      return;
    }
    this.cancelTimer ??= this.clock.setTimeout(() => this.flush(), this.delayMs);
  }

  dispose(): void {
    this.cancelTimer?.();
    this.changed.dispose();
  }

  private flush(): void {
    this.cancelTimer = undefined;
    const change = this.pending;
    this.pending = { accounts: false, roles: new Set() };
    this.changed.fire(change);
  }
}
