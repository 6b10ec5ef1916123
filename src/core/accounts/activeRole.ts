// Which role is active: remembered per workspace (each project reopens with its own account),
// with the last global choice as fallback, plus a short list of recent roles for Switch Role.
import { Emitter, Disposable } from '../common/events';
import { RoleRef, portalOf, roleKey } from '../common/model';
import { STATE_KEYS } from '../common/storageKeys';
import type { StateStore } from '../common/stores';

export interface ActiveRoleChoice extends RoleRef {
  /** Shown in the status bar; kept so the bar has a name before accounts are listed. */
  accountName: string;
}

const ACTIVE_KEY = STATE_KEYS.activeRole;
const RECENT_KEY = STATE_KEYS.recentRoles;
const MAX_RECENT = 8;

export class ActiveRole implements Disposable {
  private readonly changed = new Emitter<ActiveRoleChoice | undefined>();
  readonly onDidChange = this.changed.event;
  private value: ActiveRoleChoice | undefined;

  constructor(
    private readonly workspace: StateStore,
    private readonly global: StateStore,
  ) {
    this.value = valid(workspace.get(ACTIVE_KEY)) ?? valid(global.get(ACTIVE_KEY));
  }

  get current(): ActiveRoleChoice | undefined {
    return this.value;
  }

  get recent(): ActiveRoleChoice[] {
    return (this.global.get<ActiveRoleChoice[]>(RECENT_KEY) ?? []).filter((r) => valid(r));
  }

  async set(choice: ActiveRoleChoice): Promise<void> {
    const clean = valid(choice) as ActiveRoleChoice;
    this.value = clean;
    this.changed.fire(clean);
    const recent = [clean, ...this.recent.filter((r) => roleKey(r) !== roleKey(clean))].slice(0, MAX_RECENT);
    await Promise.all([this.workspace.update(ACTIVE_KEY, clean), this.global.update(ACTIVE_KEY, clean), this.global.update(RECENT_KEY, recent)]);
  }

  /** No role active (a guarded role's time ended and no role came before it): new terminals get nothing. */
  async clear(): Promise<void> {
    this.value = undefined;
    this.changed.fire(undefined);
    await Promise.all([this.workspace.update(ACTIVE_KEY, undefined), this.global.update(ACTIVE_KEY, undefined)]);
  }

  /**
   * Roles remembered by the single-sign-in versions carry no portal: they are the migrated portal's
   * (signIn/portalMigration.ts). Stamps the active role (this workspace's and the global one) and the recent ones.
   */
  async assignPortal(portal: string): Promise<void> {
    const stamp = (r: ActiveRoleChoice | undefined): ActiveRoleChoice | undefined => (r && !portalOf(r) ? withPortal(r, portal) : r);
    const stored = (store: StateStore): ActiveRoleChoice | undefined => valid(store.get(ACTIVE_KEY));
    const updates: PromiseLike<void>[] = [];
    for (const store of [this.workspace, this.global]) {
      const before = stored(store);
      if (before && !portalOf(before)) updates.push(store.update(ACTIVE_KEY, stamp(before)));
    }
    const recent = this.recent;
    if (recent.some((r) => !portalOf(r)))
      updates.push(
        this.global.update(
          RECENT_KEY,
          recent.map((r) => stamp(r)),
        ),
      );
    await Promise.all(updates);
    if (this.value && !portalOf(this.value)) {
      this.value = stamp(this.value);
      this.changed.fire(this.value);
    }
  }

  /** Re-reads the stores, e.g. after another window changed the global choice. */
  reload(): void {
    const next = valid(this.workspace.get(ACTIVE_KEY)) ?? valid(this.global.get(ACTIVE_KEY));
    if (next && this.value && roleKey(next) === roleKey(this.value)) return;
    this.value = next;
    this.changed.fire(next);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Only the fields we own survive a round trip through storage (never anything else a caller attached). */
function valid(value: unknown): ActiveRoleChoice | undefined {
  const v = value as ActiveRoleChoice | undefined;
  if (!v || typeof v.accountId !== 'string' || typeof v.roleName !== 'string') return undefined;
  const clean: ActiveRoleChoice = { accountId: v.accountId, roleName: v.roleName, accountName: String(v.accountName ?? v.accountId) };
  if (typeof v.portal === 'string' && v.portal) clean.portal = v.portal;
  // A chained role keeps its source role and the name of its settings entry.
  const via = v.via && typeof v.chainName === 'string' ? valid(v.via) : undefined;
  if (via) {
    clean.via = { accountId: via.accountId, roleName: via.roleName, ...(via.portal ? { portal: via.portal } : {}) };
    clean.chainName = v.chainName;
  }
  return clean;
}

/** The same choice reached through `portal` (a chained role: its source). */
function withPortal(r: ActiveRoleChoice, portal: string): ActiveRoleChoice {
  return r.via ? { ...r, via: { ...r.via, portal } } : { ...r, portal };
}
