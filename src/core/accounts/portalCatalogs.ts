// One AccountCatalog per known portal (built from that portal's Session.portalAccess), and the
// same reading surface over all of them: every account and role of the signed-in portals, each role
// stamped with its portal so credentials are always fetched with that portal's sign-in.
import type { Clock } from '../common/clock';
import type { IdcError } from '../common/errors';
import { DisposableStore, Emitter, type Disposable } from '../common/events';
import type { Logger } from '../common/log';
import type { Account, RoleRef } from '../common/model';
import type { Portals } from '../signIn/portals';
import type { Session } from '../signIn/session';
import { AccountCatalog, type CatalogChange, type CatalogStats, type RolesState } from './catalog';

export interface PortalCatalogsOptions {
  portals: Portals;
  clock?: Clock;
  log?: Logger;
  /** The Identity Center region a portal's calls go to. */
  region: (session: Session) => string;
}

const stampRoles = (state: RolesState, portal: string): RolesState =>
  state.kind === 'loaded' ? { kind: 'loaded', roles: state.roles.map((r) => ({ ...r, portal })) } : state;

export class PortalCatalogs implements Disposable {
  private readonly catalogs = new Map<string, { catalog: AccountCatalog; subscriptions: DisposableStore }>();
  private readonly changed = new Emitter<CatalogChange & { portal: string }>();
  private readonly failed = new Emitter<IdcError & { portal?: string }>();
  private readonly listChanged = new Emitter<void>();
  readonly onDidChange = this.changed.event;
  readonly onDidFail = this.failed.event;
  /** Catalogs were added or removed (portals came or went). */
  readonly onDidChangeCatalogs = this.listChanged.event;
  private readonly subscription: Disposable;

  constructor(private readonly o: PortalCatalogsOptions) {
    this.subscription = o.portals.onDidChangePortals(() => this.sync());
    this.sync();
  }

  /** A portal's catalog (whatever its sign-in state). */
  catalog(portal: string): AccountCatalog | undefined {
    return this.catalogs.get(portal)?.catalog;
  }

  /** The catalogs of the signed-in portals, in the portals' order. */
  signedIn(): { portal: string; catalog: AccountCatalog }[] {
    return this.o.portals.signedIn.flatMap(({ info }) => {
      const catalog = this.catalog(info.id);
      return catalog ? [{ portal: info.id, catalog }] : [];
    });
  }

  get accounts(): Account[] {
    return this.signedIn().flatMap(({ catalog }) => catalog.accounts);
  }

  /** True once every signed-in portal's listing reached its last page. */
  get listingComplete(): boolean {
    return this.signedIn().every(({ catalog }) => catalog.listingComplete);
  }

  get stats(): CatalogStats {
    const all = this.signedIn().map(({ catalog }) => catalog.stats);
    return {
      calls: all.reduce((n, s) => n + s.calls, 0),
      throttled: all.reduce((n, s) => n + s.throttled, 0),
      userVisibleErrors: all.reduce((n, s) => n + s.userVisibleErrors, 0),
      ...(all[0]?.firstPageAt !== undefined ? { firstPageAt: all[0].firstPageAt } : {}),
      ...(all.every((s) => s.allRolesAt !== undefined) && all.length ? { allRolesAt: Math.max(...all.map((s) => s.allRolesAt ?? 0)) } : {}),
    };
  }

  /** The signed-in portal whose listing holds `accountId`. */
  portalOfAccount(accountId: string): string | undefined {
    return this.signedIn().find(({ catalog }) => catalog.account(accountId))?.portal;
  }

  account(accountId: string): Account | undefined {
    const portal = this.portalOfAccount(accountId);
    return portal === undefined ? undefined : this.catalog(portal)?.account(accountId);
  }

  roles(accountId: string): RolesState {
    const portal = this.portalOfAccount(accountId);
    return portal === undefined ? { kind: 'unknown' } : stampRoles(this.catalog(portal)!.roles(accountId), portal);
  }

  allRoles(): RoleRef[] {
    return this.signedIn().flatMap(({ portal, catalog }) => catalog.allRoles().map((r) => ({ ...r, portal })));
  }

  /** How fresh the signed-in portals' listings are, together (the tree's message). */
  get freshnessInfo(): AccountCatalog['freshnessInfo'] {
    const all = this.signedIn().map(({ catalog }) => catalog.freshnessInfo);
    const oldest = all.flatMap((f) => (f.oldestRolesAt === undefined ? [] : [f.oldestRolesAt]));
    return {
      accountsAt: Math.min(...all.map((f) => f.accountsAt), Infinity),
      oldestRolesAt: oldest.length ? Math.min(...oldest) : undefined,
      rolesKnown: all.reduce((n, f) => n + f.rolesKnown, 0),
    };
  }

  /** A credential fetch for a listed role of this account was refused (freshness.ts): its portal lists its roles again. */
  rolesDoubtful(accountId: string): void {
    const portal = this.portalOfAccount(accountId);
    if (portal !== undefined) this.catalog(portal)?.rolesDoubtful(accountId);
  }

  async ensureRoles(accountId: string, portal = this.portalOfAccount(accountId)): Promise<RolesState> {
    const catalog = portal === undefined ? undefined : this.catalog(portal);
    if (!catalog || portal === undefined) return { kind: 'unknown' };
    return stampRoles(await catalog.ensureRoles(accountId), portal);
  }

  async refresh(): Promise<void> {
    await Promise.all(this.signedIn().map(({ catalog }) => catalog.refresh()));
  }

  async whenIdle(): Promise<void> {
    await Promise.all(this.signedIn().map(({ catalog }) => catalog.whenIdle()));
  }

  dispose(): void {
    this.subscription.dispose();
    for (const id of [...this.catalogs.keys()]) this.remove(id);
    this.changed.dispose();
    this.failed.dispose();
    this.listChanged.dispose();
  }

  private sync(): void {
    const known = new Set(this.o.portals.all.map((p) => p.info.id));
    let changed = false;
    for (const { info, session } of this.o.portals.all) {
      if (this.catalogs.has(info.id)) continue;
      const catalog = new AccountCatalog({ ...session.portalAccess(() => this.o.region(session)), clock: this.o.clock, log: this.o.log });
      const subscriptions = new DisposableStore(
        catalog,
        catalog.onDidChange((change) => this.changed.fire({ ...change, portal: info.id })),
        catalog.onDidFail((err) => this.failed.fire(Object.assign(err, { portal: info.id }))),
      );
      this.catalogs.set(info.id, { catalog, subscriptions });
      changed = true;
    }
    for (const id of [...this.catalogs.keys()])
      if (!known.has(id)) {
        this.remove(id);
        changed = true;
      }
    if (changed) this.listChanged.fire();
  }

  private remove(id: string): void {
    this.catalogs.get(id)?.subscriptions.dispose();
    this.catalogs.delete(id);
  }
}
