// The sign-in session: device-flow sign-in, tokens in the shared secret store, silent refresh
// ahead of expiry, one refresher at a time across windows, and a clean end when the sign-in is over.
// With an AWS CLI token cache it reuses the CLI's sign-in, follows its refreshes and (opt-in) shares ours.
import { randomUUID } from 'node:crypto';
import type { CliSignInSecret, CliTokenStore } from '../awsFiles/cliTokenCache';
import { Clock, sleep, systemClock } from '../common/clock';
import { runDeviceFlow, DeviceCodePrompt } from './deviceFlow';
import { IdcError, errorName, isAbort, isSessionEnded, toIdcError } from '../common/errors';
import { Emitter, Disposable } from '../common/events';
import { IdentityCenter } from '../aws/identityCenter';
import type { PortalAccess } from '../aws/portal';
import { Logger, silentLogger } from '../common/log';
import { SSO_SCOPE, type ClientRegistrationSecret, type SsoTarget, type SsoTokenSecret } from '../common/model';
import { SECRET_KEYS, SecretStore, readJson } from '../common/stores';

export type SessionState =
  | { kind: 'signedOut'; reason?: string }
  | { kind: 'signingIn'; target: SsoTarget }
  | { kind: 'signedIn'; startUrl: string; region: string; expiresAt: number; canRefresh: boolean; sessionName?: string };

/** How signIn ended: `awsCli` when a valid AWS CLI sign-in was reused (no browser step). */
export interface SignInResult {
  reusedFrom: 'awsCli' | undefined;
}

export interface SessionOptions {
  store: SecretStore;
  clock?: Clock;
  log?: Logger;
  createClient?: (region: string) => Promise<IdentityCenter>;
  clientName?: string;
  /** Refresh the access token this long before it expires (capped at half its lifetime). */
  refreshAheadMs?: number;
  /** The AWS CLI's token cache: its sign-in is reused and its refreshes followed. */
  cliCache?: CliTokenStore;
  /** Whether to also write our sign-in there (setting awsIdc.shareWithAwsCli). */
  shareWithCli?: () => boolean;
}

interface RefreshLease {
  owner: string;
  until: number;
}

const REGISTRATION_MARGIN_MS = 15 * 60_000;
const LEASE_MS = 30_000;
const RETRY_AFTER_FAILURE_MS = 30_000;
/** `aws sso login` reuses a cached token with more than this left; so do we. */
const CLI_REUSE_MIN_MS = 15 * 60_000;
/** A file error's code (EACCES…): short and safe to log. */
const fileError = (e: unknown): string => (e as NodeJS.ErrnoException)?.code ?? errorName(e);

export class Session implements Disposable {
  private token: SsoTokenSecret | undefined;
  private current: SessionState = { kind: 'signedOut' };
  private readonly owner = randomUUID();
  private readonly clients = new Map<string, Promise<IdentityCenter>>();
  private refreshing: Promise<SsoTokenSecret> | undefined;
  private cancelTimer: (() => void) | undefined;
  private readonly subscriptions: Disposable[] = [];
  private readonly changed = new Emitter<SessionState>();
  private readonly ended = new Emitter<IdcError>();
  readonly onDidChange = this.changed.event;
  /** The sign-in ended without the user asking (revoked, refresh refused): offer Sign In again. */
  readonly onDidEnd = this.ended.event;
  private readonly clock: Clock;
  private readonly log: Logger;

  private constructor(private readonly options: SessionOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? silentLogger;
  }

  /** Builds the session at once; `ready` settles when the shared token has been read. */
  static create(options: SessionOptions): Session {
    const session = new Session(options);
    session.subscriptions.push(
      options.store.onDidChange(({ key }) => {
        if (key === SECRET_KEYS.token) void session.reload();
      }),
    );
    session.ready = session.reload();
    return session;
  }

  ready: Promise<void> = Promise.resolve();

  get state(): SessionState {
    return this.current;
  }

  /** Expiry of the current access token (epoch ms), if signed in. */
  get expiresAt(): number | undefined {
    return this.token?.expiresAt;
  }

  client(region: string): Promise<IdentityCenter> {
    let client = this.clients.get(region);
    if (!client) {
      client = (this.options.createClient ?? ((r) => IdentityCenter.create({ region: r })))(region);
      this.clients.set(region, client);
      client.catch(() => this.clients.delete(region));
    }
    return client;
  }

  /**
   * Device-authorization sign-in, or the AWS CLI's cached sign-in for the same target when it has
   * more than 15 minutes left. Resolves when signed in; rejects with an IdcError.
   */
  async signIn(target: SsoTarget, ui: { onCode: (p: DeviceCodePrompt) => void | Promise<void>; signal?: AbortSignal }): Promise<SignInResult> {
    const before = this.current;
    this.setState({ kind: 'signingIn', target });
    try {
      const cached = await this.readCli(target);
      if (cached && cached.token.expiresAt - this.clock.now() > CLI_REUSE_MIN_MS) {
        const token = await this.adoptFromCli(cached);
        this.log.info(`[session] reused the AWS CLI sign-in to ${target.startUrl} (${target.region}); token valid ${Math.round((token.expiresAt - this.clock.now()) / 1000)}s, refresh ${token.refreshToken ? 'available' : 'not available'}`);
        return { reusedFrom: 'awsCli' };
      }
      const ic = await this.client(target.region);
      const registration = await this.registration(ic, ui.signal);
      const tokens = await runDeviceFlow(ic, registration, { startUrl: target.startUrl, onCode: ui.onCode, signal: ui.signal, clock: this.clock, log: this.log });
      const token: SsoTokenSecret = {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expiresAt: this.clock.now() + tokens.expiresIn * 1000,
        startUrl: target.startUrl,
        region: target.region,
        ...(target.sessionName ? { sessionName: target.sessionName } : {}),
      };
      await this.options.store.store(SECRET_KEYS.token, JSON.stringify(token));
      this.adopt(token);
      this.log.info(`[session] signed in to ${target.startUrl} (${target.region}); token valid ${tokens.expiresIn}s, refresh ${token.refreshToken ? 'available' : 'not issued'}`);
      await this.shareWithCli(token, registration);
      return { reusedFrom: undefined };
    } catch (e) {
      const err = toIdcError(e, 'Sign-in', target);
      this.log.warn(`[session] sign-in failed: ${err.kind} (${err.causeName ?? errorName(e)})`);
      // A failed attempt leaves an earlier sign-in (e.g. another window's) untouched.
      if (this.current.kind === 'signingIn') this.setState(before.kind === 'signingIn' ? { kind: 'signedOut' } : before);
      if (!this.token && this.current.kind !== 'signedOut') this.setState({ kind: 'signedOut' });
      throw err;
    }
  }

  /** A valid access token, refreshed first when it is about to expire. */
  async accessToken(): Promise<string> {
    const token = this.token;
    if (!token) throw new IdcError('sessionEnded', 'You are signed out of IAM Identity Center. Run "AWS Identity Center: Sign In".');
    if (this.clock.now() < this.refreshAt(token)) return token.accessToken;
    if (token.refreshToken) {
      try {
        return (await this.refresh()).accessToken;
      } catch (e) {
        if (this.clock.now() < token.expiresAt - 5_000 && !isSessionEnded(e)) return token.accessToken;
        throw toIdcError(e, 'Refreshing the sign-in');
      }
    }
    if (this.clock.now() < token.expiresAt - 5_000) return token.accessToken;
    await this.end(new IdcError('sessionEnded', 'Your IAM Identity Center sign-in has expired. Sign in again to continue.', 'TokenExpired'));
    throw new IdcError('sessionEnded', 'Your IAM Identity Center sign-in has expired. Sign in again to continue.');
  }

  /** The portal seam bound to this sign-in: the client for `region()`, a current token, one refresh on 401. */
  portalAccess(region: () => string): PortalAccess {
    return { client: () => this.client(region()), accessToken: () => this.accessToken(), onUnauthorized: (e) => this.handleUnauthorized(e) };
  }

  /** A portal call was refused with 401: try one refresh, otherwise the session is over. */
  async handleUnauthorized(e: unknown): Promise<void> {
    this.log.warn(`[session] portal refused the token (${errorName(e)})`);
    const token = this.token;
    if (token?.refreshToken) {
      try {
        await this.refresh(true);
        return;
      } catch {
        // fall through: the session is over
      }
    }
    await this.end(new IdcError('sessionEnded', 'Your IAM Identity Center sign-in has ended (it may have been signed out elsewhere). Sign in again to continue.', errorName(e)));
  }

  async signOut(): Promise<void> {
    const token = this.token;
    this.cancelRefreshTimer();
    this.token = undefined;
    await this.options.store.delete(SECRET_KEYS.token);
    this.setState({ kind: 'signedOut' });
    if (token && this.options.cliCache && this.options.shareWithCli?.()) {
      // Only our own token: a newer sign-in the CLI made since stays.
      await this.options.cliCache.remove(token).catch((e) => this.log.warn(`[session] could not remove the AWS CLI token cache file (${fileError(e)})`));
    }
    if (token) {
      try {
        const ic = await this.client(token.region);
        await ic.endPortalSession(token.accessToken, AbortSignal.timeout(5_000));
        this.log.info('[session] signed out (portal session ended)');
      } catch (e) {
        // Tokens are already forgotten locally; the portal session times out by itself.
        this.log.warn(`[session] signed out locally; portal Logout failed (${errorName(e)})`);
      }
    }
  }

  /**
   * Names the `[sso-session]` the current sign-in belongs to (after "Save Role as AWS CLI Profile"
   * created one for a sign-in from settings), so the CLI cache file is found under that name.
   */
  async linkCliSession(sessionName: string): Promise<void> {
    const token = this.token;
    if (!token) throw new IdcError('sessionEnded', 'You are signed out of IAM Identity Center. Run "AWS Identity Center: Sign In".');
    const next: SsoTokenSecret = { ...token, sessionName };
    this.token = next; // before storing, so our own reload() sees nothing new
    await this.options.store.store(SECRET_KEYS.token, JSON.stringify(next));
    this.adopt(next);
    // The file written under the old name (the start URL) would otherwise outlive sign-out.
    if (token.sessionName !== sessionName && this.options.shareWithCli?.()) {
      await this.options.cliCache?.remove(token).catch((e) => this.log.warn(`[session] could not remove the old AWS CLI token cache file (${fileError(e)})`));
    }
    await this.syncCliCache();
  }

  /** Sharing was switched off: take back the file we wrote (only while it still holds our token). */
  async unshareCliCache(): Promise<void> {
    if (this.token) await this.options.cliCache?.remove(this.token).catch((e) => this.log.warn(`[session] could not remove the AWS CLI token cache file (${fileError(e)})`));
  }

  /** Writes the current sign-in to the CLI cache if sharing is on (e.g. right after it was switched on). */
  async syncCliCache(): Promise<void> {
    if (this.token) await this.shareWithCli(this.token, await readJson<ClientRegistrationSecret>(this.options.store, SECRET_KEYS.registration));
  }

  dispose(): void {
    this.cancelRefreshTimer();
    for (const s of this.subscriptions) s.dispose();
    for (const c of this.clients.values()) void c.then((ic) => ic.dispose(), () => undefined);
    this.changed.dispose();
    this.ended.dispose();
  }

  // --- internals ---

  private async registration(ic: IdentityCenter, signal?: AbortSignal): Promise<ClientRegistrationSecret> {
    const cached = await readJson<ClientRegistrationSecret>(this.options.store, SECRET_KEYS.registration);
    if (cached && cached.region === ic.region && cached.scopes?.includes(SSO_SCOPE) && cached.expiresAt - REGISTRATION_MARGIN_MS > this.clock.now()) {
      return cached;
    }
    try {
      const fresh = await ic.registerClient(this.options.clientName ?? 'aws-identity-center-sessions-vscode', signal);
      await this.options.store.store(SECRET_KEYS.registration, JSON.stringify(fresh));
      this.log.info(`[session] registered OIDC client in ${ic.region}; valid until ${new Date(fresh.expiresAt).toISOString()}`);
      return fresh;
    } catch (e) {
      throw toIdcError(e, 'Sign-in');
    }
  }

  private refreshAt(token: SsoTokenSecret): number {
    const ahead = this.options.refreshAheadMs ?? 5 * 60_000;
    const lifetimeLeft = token.expiresAt - this.clock.now();
    return token.expiresAt - Math.min(ahead, Math.max(lifetimeLeft / 2, 0));
  }

  /**
   * Reads the shared token; another window may have signed in, refreshed or signed out. The store
   * tells us through onDidChange, but not in every host (VS Code for the Web does not broadcast
   * secret changes between windows), so adapters also call this when the window gains focus.
   */
  async reload(): Promise<void> {
    const token = await readJson<SsoTokenSecret>(this.options.store, SECRET_KEYS.token);
    if (token?.accessToken && token.expiresAt > this.clock.now()) {
      if (token.accessToken !== this.token?.accessToken || token.sessionName !== this.token?.sessionName) this.adopt(token);
    } else if (this.token) {
      this.cancelRefreshTimer();
      this.token = undefined;
      if (this.current.kind !== 'signingIn') this.setState({ kind: 'signedOut' });
    } else if (this.current.kind === 'signedIn') {
      this.setState({ kind: 'signedOut' });
    }
  }

  private adopt(token: SsoTokenSecret): void {
    this.token = token;
    this.setState({ kind: 'signedIn', startUrl: token.startUrl, region: token.region, expiresAt: token.expiresAt, canRefresh: !!token.refreshToken, ...(token.sessionName ? { sessionName: token.sessionName } : {}) });
    this.scheduleRefresh(token);
  }

  private scheduleRefresh(token: SsoTokenSecret, delayMs?: number): void {
    this.cancelRefreshTimer();
    if (!token.refreshToken) return;
    const wait = delayMs ?? Math.max(this.refreshAt(token) - this.clock.now(), 0);
    this.cancelTimer = this.clock.setTimeout(() => {
      this.refresh().catch((e) => {
        if (isSessionEnded(e)) return;
        this.log.warn(`[session] background refresh failed (${errorName(e)}); retrying in ${RETRY_AFTER_FAILURE_MS / 1000}s`);
        if (this.token) this.scheduleRefresh(this.token, RETRY_AFTER_FAILURE_MS);
      });
    }, wait);
  }

  private cancelRefreshTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private refresh(force = false): Promise<SsoTokenSecret> {
    this.refreshing ??= this.refreshOnce(force).finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refreshOnce(force: boolean): Promise<SsoTokenSecret> {
    const store = this.options.store;
    const mine = this.token;
    if (!mine?.refreshToken) throw new IdcError('sessionEnded', 'The sign-in cannot be refreshed. Sign in again.');
    // Another window may hold the lease: wait for its result instead of refreshing twice.
    const lease = await readJson<RefreshLease>(store, SECRET_KEYS.refreshLease);
    if (lease && lease.owner !== this.owner && lease.until > this.clock.now()) {
      await this.waitForTokenChange(Math.min(lease.until - this.clock.now(), LEASE_MS));
      const shared = await readJson<SsoTokenSecret>(store, SECRET_KEYS.token);
      if (shared && shared.accessToken !== mine.accessToken && shared.expiresAt > this.clock.now()) {
        this.adopt(shared);
        return shared;
      }
    }
    await store.store(SECRET_KEYS.refreshLease, JSON.stringify({ owner: this.owner, until: this.clock.now() + LEASE_MS }));
    try {
      const latest = (await readJson<SsoTokenSecret>(store, SECRET_KEYS.token)) ?? mine;
      if (!force && latest.accessToken !== mine.accessToken && this.clock.now() < this.refreshAt(latest)) {
        this.adopt(latest);
        return latest;
      }
      // The AWS CLI or an SDK may have refreshed the shared sign-in: follow it instead of spending
      // (and, with rotation, revoking) the refresh token it now holds too. The CLI writes whole
      // seconds, so "later" is judged at that precision.
      const cli = await this.readCli(latest);
      if (cli && cli.token.accessToken !== latest.accessToken && cli.token.expiresAt >= Math.floor(latest.expiresAt / 1000) * 1000 && this.clock.now() < this.refreshAt(cli.token)) {
        this.log.info('[session] the AWS CLI refreshed this sign-in; using its token');
        return await this.adoptFromCli(cli, latest.refreshToken);
      }
      const registration = await readJson<ClientRegistrationSecret>(store, SECRET_KEYS.registration);
      if (!registration || !latest.refreshToken) throw new IdcError('sessionEnded', 'The sign-in cannot be refreshed. Sign in again.', 'NoRegistration');
      const ic = await this.client(latest.region);
      try {
        const out = await ic.createTokenWithRefreshToken(registration, latest.refreshToken, AbortSignal.timeout(20_000));
        const next: SsoTokenSecret = {
          ...latest,
          accessToken: out.accessToken,
          refreshToken: out.refreshToken ?? latest.refreshToken,
          expiresAt: this.clock.now() + out.expiresIn * 1000,
        };
        await store.store(SECRET_KEYS.token, JSON.stringify(next));
        this.adopt(next);
        this.log.info(`[session] access token refreshed; valid ${out.expiresIn}s`);
        // A CLI file holding the refresh token we just spent must follow, even with sharing off.
        await this.shareWithCli(next, registration, latest.refreshToken);
        return next;
      } catch (e) {
        if (!isSessionEnded(e)) throw e;
        // A refused refresh token may only mean another window rotated it a moment ago.
        const shared = await readJson<SsoTokenSecret>(store, SECRET_KEYS.token);
        if (shared && shared.refreshToken !== latest.refreshToken && shared.expiresAt > this.clock.now()) {
          this.adopt(shared);
          return shared;
        }
        // ...or the AWS CLI rotated it while refreshing the same sign-in.
        const cli = await this.readCli(latest);
        if (cli && cli.token.accessToken !== latest.accessToken && cli.token.refreshToken !== latest.refreshToken) {
          this.log.info('[session] our refresh token was replaced by the AWS CLI; using its token');
          return await this.adoptFromCli(cli);
        }
        const err = new IdcError('sessionEnded', 'Your IAM Identity Center sign-in has ended and could not be renewed. Sign in again to continue.', errorName(e));
        await this.end(err);
        throw err;
      }
    } finally {
      const lease = await readJson<RefreshLease>(store, SECRET_KEYS.refreshLease);
      if (lease?.owner === this.owner) await store.delete(SECRET_KEYS.refreshLease);
    }
  }

  // --- AWS CLI token cache ---

  private async readCli(target: SsoTarget): Promise<CliSignInSecret | undefined> {
    if (!this.options.cliCache) return undefined;
    try {
      return await this.options.cliCache.read({ startUrl: target.startUrl, region: target.region, sessionName: target.sessionName });
    } catch (e) {
      this.log.warn(`[session] could not read the AWS CLI token cache (${fileError(e)})`);
      return undefined;
    }
  }

  /** Stores a CLI sign-in as ours (registration first: a refresh token only works with its client). */
  private async adoptFromCli(found: CliSignInSecret, ownRefreshToken?: string): Promise<SsoTokenSecret> {
    const token: SsoTokenSecret = { ...found.token };
    if (token.refreshToken && found.registration) {
      await this.options.store.store(SECRET_KEYS.registration, JSON.stringify(found.registration));
    } else {
      // Without its client the file's refresh token is useless to us; ours still works with our client.
      delete token.refreshToken;
      if (ownRefreshToken) token.refreshToken = ownRefreshToken;
    }
    await this.options.store.store(SECRET_KEYS.token, JSON.stringify(token));
    this.adopt(token);
    return token;
  }

  /**
   * Writes the CLI cache when sharing is on, or when the file still holds `spentRefreshToken` (a
   * sign-in we share with the CLI whose refresh token we just used up). Never fails the caller.
   */
  private async shareWithCli(token: SsoTokenSecret, registration?: ClientRegistrationSecret, spentRefreshToken?: string): Promise<void> {
    const cache = this.options.cliCache;
    if (!cache) return;
    try {
      let write = !!this.options.shareWithCli?.();
      if (!write && spentRefreshToken) write = (await cache.read(token, { allowExpired: true }))?.token.refreshToken === spentRefreshToken;
      if (write) await cache.write(token, registration);
    } catch (e) {
      this.log.warn(`[session] could not write the AWS CLI token cache (${fileError(e)}); the AWS CLI will ask to sign in`);
    }
  }

  private waitForTokenChange(ms: number): Promise<void> {
    const abort = new AbortController();
    const sub = this.options.store.onDidChange(({ key }) => key === SECRET_KEYS.token && abort.abort());
    return sleep(this.clock, ms, abort.signal)
      .catch((e) => (isAbort(e) ? undefined : Promise.reject(e)))
      .finally(() => sub.dispose());
  }

  private async end(reason: IdcError): Promise<void> {
    if (!this.token) return;
    this.cancelRefreshTimer();
    this.token = undefined;
    await this.options.store.delete(SECRET_KEYS.token);
    this.setState({ kind: 'signedOut', reason: reason.message });
    this.log.warn(`[session] sign-in ended (${reason.causeName ?? reason.kind})`);
    this.ended.fire(reason);
  }

  private setState(state: SessionState): void {
    this.current = state;
    this.changed.fire(state);
  }
}
