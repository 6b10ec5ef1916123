// The role-lookup queue of the account catalog: accounts waiting for ListAccountRoles, looked up
// with bounded concurrency. Expanded accounts jump the queue and run even while the account
// listing is still under way; the rest wait for it (fan-out). Callers can wait for an account's roles.
import type { RoleRef } from '../common/model';

export type RolesState = { kind: 'unknown' } | { kind: 'loading' } | { kind: 'loaded'; roles: RoleRef[] } | { kind: 'error'; message: string };

export interface RoleLookupQueueOptions {
  /** Look-ups in flight at once. */
  concurrency: number;
  stateOf: (accountId: string) => RolesState;
  setState: (accountId: string, state: RolesState) => void;
  /** Looks one account's roles up and settles them, unless a reset() came first. Never rejects. */
  lookUp: (accountId: string, urgent: boolean) => Promise<void>;
}

export class RoleLookupQueue {
  private queue: string[] = [];
  /** Accounts queued or being looked up. */
  private readonly pending = new Set<string>();
  /** Accounts someone is waiting for (expanded in the tree): looked up even mid-listing. */
  private readonly urgent = new Set<string>();
  private readonly waiters = new Map<string, Array<(s: RolesState) => void>>();
  private running = 0;
  private epoch = 0;
  /** Background look-ups may run (the account listing is over). */
  fanOut = true;

  constructor(private readonly o: RoleLookupQueueOptions) {}

  /** Queues a background look-up (kept cached roles stay visible meanwhile). */
  add(accountId: string): void {
    if (this.pending.has(accountId)) return;
    const previous = this.o.stateOf(accountId);
    // Keep showing cached roles while they are looked up again.
    if (previous.kind !== 'loaded') this.o.setState(accountId, { kind: 'loading' });
    this.queue.push(accountId);
    this.pending.add(accountId);
  }

  /** Someone waits for this account: it goes first, and runs even before fan-out. */
  addUrgent(accountId: string): void {
    this.urgent.add(accountId);
    if (!this.pending.has(accountId)) {
      this.queue.unshift(accountId);
      this.pending.add(accountId);
      // Cached roles stay visible while they are looked up again.
      if (this.o.stateOf(accountId).kind !== 'loaded') this.o.setState(accountId, { kind: 'loading' });
      this.pump();
    } else {
      // Already queued: move it to the front.
      const i = this.queue.indexOf(accountId);
      if (i > 0) {
        this.queue.splice(i, 1);
        this.queue.unshift(accountId);
      }
    }
  }

  /** Starts look-ups up to the concurrency limit. */
  pump(): void {
    const epoch = this.epoch;
    while (this.running < this.o.concurrency && this.queue.length > 0) {
      // Until the account list is complete, only expanded accounts are looked up.
      if (!this.fanOut && !this.urgent.has(this.queue[0])) break;
      const accountId = this.queue.shift()!;
      const urgent = this.urgent.delete(accountId);
      this.running++;
      void this.o.lookUp(accountId, urgent).finally(() => {
        if (epoch !== this.epoch) return;
        this.running--;
        this.pump();
      });
    }
  }

  /** The account's roles once no look-up of it is queued or running. */
  settled(accountId: string): Promise<RolesState> {
    const state = this.o.stateOf(accountId);
    if (!this.pending.has(accountId)) return Promise.resolve(state);
    return new Promise((resolve) => {
      const list = this.waiters.get(accountId) ?? [];
      list.push(resolve);
      this.waiters.set(accountId, list);
    });
  }

  settle(accountId: string, state: RolesState): void {
    this.o.setState(accountId, state);
    this.pending.delete(accountId);
    const list = this.waiters.get(accountId);
    this.waiters.delete(accountId);
    for (const resolve of list ?? []) resolve(state);
  }

  /** Settles a queued (not yet running) look-up with what is known now: it was done elsewhere. */
  drop(accountId: string, state: RolesState): void {
    if (!this.pending.has(accountId)) return;
    const i = this.queue.indexOf(accountId);
    if (i < 0) return;
    this.queue.splice(i, 1);
    this.urgent.delete(accountId);
    this.settle(accountId, state);
  }

  /** Drops everything queued; running look-ups finish unheard, and their waiters get what is known. */
  reset(): void {
    this.epoch++;
    this.queue = [];
    this.running = 0;
    for (const id of [...this.pending]) {
      const state = this.o.stateOf(id);
      this.settle(id, state.kind === 'loading' ? { kind: 'unknown' } : state);
    }
  }
}
