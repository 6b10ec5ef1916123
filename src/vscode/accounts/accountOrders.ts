// The Accounts tree's display orders (every account, and each portal's): pinned first, then by
// name. When pages only add accounts they are brought up to date from what they were, not sorted
// again (core/accounts/accountOrder.ts).
import { orderAccounts } from '../../core/accounts/accountOrder';
import type { Account } from '../../core/common/model';

// Created on first sort, not at load: building a Collator costs milliseconds of activation.
let collator: Intl.Collator | undefined;
const byName = (a: string, b: string): number => (collator ??= new Intl.Collator(undefined, { sensitivity: 'base', numeric: true })).compare(a, b);

/** Accounts by name, then id: the order under the pinned ones (and of the tree's account ranges). */
export const byNameThenId = (a: { accountName: string; accountId: string }, b: { accountName: string; accountId: string }): number =>
  byName(a.accountName, b.accountName) || a.accountId.localeCompare(b.accountId);

export class AccountOrders {
  private all: Account[] | undefined;
  private allStale = false;
  private readonly ofPortal = new Map<string, Account[]>();
  private readonly staleOf = new Set<string>();

  constructor(private readonly pinned: () => readonly string[]) {}

  /** Every signed-in portal's accounts in display order. */
  accounts(current: () => Account[]): Account[] {
    if (!this.all || this.allStale) {
      this.all = this.order(this.allStale ? this.all : undefined, current());
      this.allStale = false;
    }
    return this.all;
  }

  /** One portal's accounts in display order. */
  accountsOf(portal: string, current: () => Account[]): Account[] {
    let sorted = this.ofPortal.get(portal);
    if (!sorted || this.staleOf.has(portal)) {
      sorted = this.order(this.staleOf.has(portal) ? sorted : undefined, current());
      this.staleOf.delete(portal);
      this.ofPortal.set(portal, sorted);
    }
    return sorted;
  }

  /** Accounts came, went or changed (the pins did not): `portal`'s, or any. */
  accountsChanged(portal?: string): void {
    this.allStale = true;
    if (portal) this.staleOf.add(portal);
    else this.ofPortal.clear();
  }

  /** Sorted again from scratch (the pins changed, portals came or went). */
  reset(): void {
    this.all = undefined;
    this.allStale = false;
    this.ofPortal.clear();
    this.staleOf.clear();
  }

  private order(previous: Account[] | undefined, accounts: Account[]): Account[] {
    const pinned = new Set(this.pinned());
    return orderAccounts(previous, accounts, (a, b) => Number(pinned.has(b.accountId)) - Number(pinned.has(a.accountId)) || byNameThenId(a, b));
  }
}
