// Every portal's sign-in at once: one Session per portal (its own tokens, registration, refresh and
// end, under its own secret keys), an index of the portals signed in (shared by every window), and
// the answer to "which sign-in does this role belong to". A portal is its normalised start URL, so
// the same start URL under two sso-session names is one portal.
import * as l10n from '@vscode/l10n';
import { IdcError } from '../common/errors';
import { Emitter, type Disposable } from '../common/events';
import { silentLogger } from '../common/log';
import { portalId, portalOf, type RoleRef, type SsoTarget } from '../common/model';
import { SECRET_KEYS, portalSecretKeys } from '../common/storageKeys';
import { migrateSingleSignIn, readPortalIndex, writePortalIndex, type PortalInfo } from './portalMigration';
import { Session } from './session';
import type { SessionOptions, SignInInteraction, SignInResult } from './sessionTypes';

export type { PortalInfo } from './portalMigration';

export type PortalsOptions = Omit<SessionOptions, 'keys'>;

interface Entry {
  info: PortalInfo;
  session: Session;
  subscriptions: Disposable[];
}

export class Portals implements Disposable {
  private readonly entries = new Map<string, Entry>();
  /** Portals signed out here or elsewhere, remembered so a refusal can still name them. */
  private readonly forgotten = new Map<string, PortalInfo>();
  private readonly changed = new Emitter<string>();
  private readonly ended = new Emitter<{ portal: PortalInfo; reason: IdcError }>();
  private readonly listAdded = new Emitter<void>();
  /** A portal's state changed (its id), or portals came or went. */
  readonly onDidChange = this.changed.event;
  /** A portal's sign-in ended without the user asking. */
  readonly onDidEnd = this.ended.event;
  /** Portals were added or removed. */
  readonly onDidChangePortals = this.listAdded.event;
  private readonly storeSub: Disposable;
  ready: Promise<void> = Promise.resolve();
  /** The portal the single-sign-in version's state moved to (this start or an earlier one), if it is still known. */
  migrated: PortalInfo | undefined;

  private constructor(private readonly options: PortalsOptions) {
    this.storeSub = options.store.onDidChange(({ key }) => {
      if (key === SECRET_KEYS.portals) void this.reloadIndex();
    });
  }

  static create(options: PortalsOptions): Portals {
    const portals = new Portals(options);
    portals.ready = portals.start();
    return portals;
  }

  /** Every known portal (signed in, signing in or ended), oldest first. */
  get all(): { info: PortalInfo; session: Session }[] {
    return [...this.entries.values()].map(({ info, session }) => ({ info, session }));
  }

  /** Portals signed in now. */
  get signedIn(): { info: PortalInfo; session: Session }[] {
    return this.all.filter((p) => p.session.state.kind === 'signedIn');
  }

  /** 'signedIn' while any portal is, else 'signingIn' while one is, else 'signedOut'. */
  get summary(): 'signedIn' | 'signingIn' | 'signedOut' {
    const kinds = new Set(this.all.map((p) => p.session.state.kind));
    return kinds.has('signedIn') ? 'signedIn' : kinds.has('signingIn') ? 'signingIn' : 'signedOut';
  }

  session(id: string): Session | undefined {
    return this.entries.get(id)?.session;
  }

  /** What is known of a portal, also after it was signed out. */
  info(id: string): PortalInfo | undefined {
    return this.entries.get(id)?.info ?? this.forgotten.get(id);
  }

  /** The sign-in a role is reached through; a role without a portal has none (never a guess). */
  forRole(role: RoleRef): Session | undefined {
    const id = portalOf(role);
    return id === undefined ? undefined : this.session(id);
  }

  /** Whether `target` names a portal already signed in. */
  isSignedIn(startUrl: string): boolean {
    return this.session(portalId(startUrl))?.state.kind === 'signedIn';
  }

  async signIn(target: SsoTarget, ui: SignInInteraction): Promise<SignInResult> {
    await this.ready;
    const id = portalId(target.startUrl);
    const known = this.entries.has(id);
    const entry = this.entry({ id, startUrl: target.startUrl, region: target.region, ...(target.sessionName ? { sessionName: target.sessionName } : {}) });
    try {
      await entry.session.ready; // its first read of the store must not land after the new token
      const result = await entry.session.signIn(target, ui);
      const state = entry.session.state;
      if (state.kind === 'signedIn') entry.info = { ...entry.info, region: state.region, ...(state.sessionName ? { sessionName: state.sessionName } : {}) };
      const info = entry.info;
      await this.updateIndex((index) => [...index.filter((p) => p.id !== id), { ...index.find((p) => p.id === id), ...info }]);
      return result;
    } catch (e) {
      if (!known && entry.session.state.kind !== 'signedIn') this.drop(id);
      throw e;
    }
  }

  /** Signs one portal out (Logout, tokens forgotten) and forgets it. */
  async signOut(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    await entry.session.signOut();
    this.drop(id);
    await this.updateIndex((index) => index.filter((p) => p.id !== id));
  }

  async signOutAll(): Promise<void> {
    for (const id of [...this.entries.keys()]) await this.signOut(id);
  }

  /** Sharing with the AWS CLI switched on: every sign-in writes its token file now; off: the files we wrote go. */
  shareWithCli(share: boolean): void {
    for (const { session } of this.signedIn) void (share ? session.syncCliCache() : session.unshareCliCache());
  }

  /** Re-reads the index and every sign-in (another window may have changed them). */
  async reload(): Promise<void> {
    await this.reloadIndex();
    await Promise.all([...this.entries.values()].map((e) => e.session.reload()));
  }

  dispose(): void {
    this.storeSub.dispose();
    for (const id of [...this.entries.keys()]) this.drop(id, false);
    this.changed.dispose();
    this.ended.dispose();
    this.listAdded.dispose();
  }

  // --- internals ---

  private async start(): Promise<void> {
    await migrateSingleSignIn(this.options.store, this.options.log ?? silentLogger).catch((e) =>
      (this.options.log ?? silentLogger).warn(`[portals] could not move the single sign-in (${(e as Error).name})`),
    );
    await this.reloadIndex();
  }

  private async reloadIndex(): Promise<void> {
    const index = await readPortalIndex(this.options.store);
    const ids = new Set(index.map((p) => p.id));
    for (const info of index) {
      const existing = this.entries.get(info.id);
      if (existing) existing.info = { ...info };
      else await this.entry(info).session.ready;
    }
    // Signed out in another window: gone here too (a sign-in still under way here stays).
    for (const [id, e] of this.entries) if (!ids.has(id) && e.session.state.kind !== 'signingIn') this.drop(id);
    this.migrated = index.find((p) => p.migrated);
  }

  private entry(info: PortalInfo): Entry {
    const existing = this.entries.get(info.id);
    if (existing) return existing;
    const session = Session.create({ ...this.options, keys: portalSecretKeys(info.id) });
    const entry: Entry = { info, session, subscriptions: [] };
    entry.subscriptions.push(
      session.onDidChange((state) => {
        // Save Role as AWS CLI Profile may name the [sso-session] of a sign-in from settings.
        if (state.kind === 'signedIn' && state.sessionName && state.sessionName !== entry.info.sessionName) {
          entry.info = { ...entry.info, sessionName: state.sessionName };
          const next = entry.info;
          void this.updateIndex((index) => index.map((p) => (p.id === next.id ? { ...p, sessionName: next.sessionName } : p))).catch(() => undefined);
        }
        this.changed.fire(info.id);
      }),
      session.onDidEnd((reason) => this.ended.fire({ portal: entry.info, reason })),
    );
    this.entries.set(info.id, entry);
    this.listAdded.fire();
    this.changed.fire(info.id);
    return entry;
  }

  private drop(id: string, notify = true): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.forgotten.set(id, entry.info);
    for (const s of entry.subscriptions) s.dispose();
    entry.session.dispose();
    if (notify) {
      this.listAdded.fire();
      this.changed.fire(id);
    }
  }

  /** Read-modify-write of the shared index: another window may have changed it since. */
  private async updateIndex(change: (index: PortalInfo[]) => PortalInfo[]): Promise<void> {
    await writePortalIndex(this.options.store, change(await readPortalIndex(this.options.store)));
  }
}

/** A role whose portal is not signed in: what a terminal, a debug session or a command is told. */
export function portalSignedOutError(role: RoleRef, portal: PortalInfo | undefined): IdcError {
  return new IdcError(
    'sessionEnded',
    portal
      ? l10n.t({
          message: 'You are signed out of {0}, the AWS access portal of {1} in {2}. Run "AWS Identity Center: Sign In" and pick that portal.',
          args: [portal.startUrl, role.roleName, role.accountId],
          comment: ['{0}: an AWS access portal URL; {1}: an IAM role name; {2}: a 12-digit AWS account id; "AWS Identity Center: Sign In" is a command title'],
        })
      : l10n.t({
          message: 'No signed-in AWS access portal reaches {0} in {1}. Sign in to its portal, or pick another role with Switch Role.',
          args: [role.roleName, role.accountId],
          comment: ['{0}: an IAM role name; {1}: a 12-digit AWS account id; "Switch Role" is a command title'],
        }),
    'PortalSignedOut',
  );
}
