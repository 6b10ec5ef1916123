// What the catalog knows: accounts, each one's roles and when they were listed, when the account
// list was last complete. Plain data with the freshness rule applied to it; the listing itself is
// in catalog.ts. Cached and shared listings go in and out here (listingState.ts checks them).
import type { Account, RoleRef } from '../common/model';
import { rolesStale, type FreshnessRule } from './freshness';
import { parseListing, type CachedListing } from './listingState';
import type { RolesState } from './roleQueue';

export class CatalogData {
  readonly accountsById = new Map<string, Account>();
  readonly roleStates = new Map<string, RolesState>();
  readonly rolesAt = new Map<string, number>();
  /** When the account pages last completed (0: not yet). */
  accountsAt = 0;

  roles(accountId: string): RolesState {
    return this.roleStates.get(accountId) ?? { kind: 'unknown' };
  }

  allRoles(): RoleRef[] {
    const out: RoleRef[] = [];
    for (const state of this.roleStates.values()) if (state.kind === 'loaded') out.push(...state.roles);
    return out;
  }

  /** Whether an account's roles must be listed (again): never listed, or too old. */
  rolesDue(accountId: string, now: number, rule: FreshnessRule): boolean {
    return this.roles(accountId).kind !== 'loaded' || rolesStale(this.rolesAt.get(accountId), now, rule);
  }

  setRoles(accountId: string, names: string[], at: number | undefined): void {
    const current = this.roles(accountId);
    // Unchanged (a follower re-reading a snapshot): keep the objects, allocate nothing.
    const same = current.kind === 'loaded' && current.roles.length === names.length && current.roles.every((r, i) => r.roleName === names[i]);
    if (!same) this.roleStates.set(accountId, { kind: 'loaded', roles: names.map((roleName) => ({ accountId, roleName })) });
    if (at === undefined) this.rolesAt.delete(accountId);
    else this.rolesAt.set(accountId, at);
  }

  forget(accountId: string): void {
    this.accountsById.delete(accountId);
    this.roleStates.delete(accountId);
    this.rolesAt.delete(accountId);
  }

  clear(): void {
    this.accountsById.clear();
    this.roleStates.clear();
    this.rolesAt.clear();
    this.accountsAt = 0;
  }

  freshness(): { accountsAt: number; oldestRolesAt: number | undefined; rolesKnown: number } {
    let oldest: number | undefined;
    for (const at of this.rolesAt.values()) oldest = oldest === undefined ? at : Math.min(oldest, at);
    return { accountsAt: this.accountsAt, oldestRolesAt: oldest, rolesKnown: this.rolesAt.size };
  }

  snapshot(startUrl: string, now: number): CachedListing {
    const roles: Record<string, string[]> = {};
    const rolesAt: Record<string, number> = {};
    for (const [id, state] of this.roleStates) {
      if (state.kind !== 'loaded') continue;
      roles[id] = state.roles.map((r) => r.roleName);
      const at = this.rolesAt.get(id);
      if (at !== undefined) rolesAt[id] = at;
    }
    return { version: 1, startUrl, savedAt: now, accounts: [...this.accountsById.values()], roles, rolesAt, accountsAt: this.accountsAt };
  }

  /**
   * Takes in a cached or shared listing (checked field by field); false when it is not one. With
   * `replace` and a complete account list, accounts it no longer has are dropped. Roles being
   * looked up here right now are left to that look-up.
   */
  restore(value: CachedListing, replace: boolean): boolean {
    const listing = parseListing(value);
    if (!listing) return false;
    if (replace && (listing.accountsAt ?? 0) > 0) {
      const keep = new Set(listing.accounts.map((a) => a.accountId));
      for (const id of [...this.accountsById.keys()]) if (!keep.has(id)) this.forget(id);
    }
    for (const a of listing.accounts) {
      this.accountsById.set(a.accountId, a);
      const names = listing.roles[a.accountId];
      if (names && this.roles(a.accountId).kind !== 'loading') this.setRoles(a.accountId, names, listing.rolesAt?.[a.accountId]);
    }
    this.accountsAt = Math.max(this.accountsAt, listing.accountsAt ?? 0);
    return true;
  }
}
