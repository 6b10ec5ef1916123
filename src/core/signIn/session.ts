// The sign-in session: its state (signedOut | signingIn | signedIn), device-flow sign-in, tokens in
// the shared secret store, sign-out, and a clean end when the sign-in is over. The token is renewed
// by TokenRefresh (tokenRefresh.ts); the AWS CLI's token cache is shared through CliSharing (cliSharing.ts).
import * as l10n from '@vscode/l10n';
import { IdentityCenter } from '../aws/identityCenter';
import type { PortalAccess } from '../aws/portal';
import { Clock, systemClock } from '../common/clock';
import { IdcError, errorName, isSessionEnded, toIdcError } from '../common/errors';
import { Emitter, Disposable, DisposableStore } from '../common/events';
import { Logger, silentLogger } from '../common/log';
import type { ClientRegistrationSecret, SsoTarget, SsoTokenSecret } from '../common/model';
import { LEGACY_PORTAL_KEYS, type PortalSecretKeys } from '../common/storageKeys';
import { readJson } from '../common/stores';
import { CliSharing } from './cliSharing';
import { freshSignIn } from './signInFlows';
import type { SessionOptions, SessionState, SignInInteraction, SignInResult } from './sessionTypes';
import { TokenRefresh } from './tokenRefresh';

export type { SessionOptions, SessionState, SignInInteraction, SignInResult } from './sessionTypes';

/** `aws sso login` reuses a cached token with more than this left; so do we. */
const CLI_REUSE_MIN_MS = 15 * 60_000;

export class Session implements Disposable {
  private token: SsoTokenSecret | undefined;
  private current: SessionState = { kind: 'signedOut' };
  private readonly clients = new Map<string, Promise<IdentityCenter>>();
  private readonly subscriptions = new DisposableStore();
  private readonly changed = new Emitter<SessionState>();
  private readonly ended = new Emitter<IdcError>();
  readonly onDidChange = this.changed.event;
  /** The sign-in ended without the user asking (revoked, refresh refused): offer Sign In again. */
  readonly onDidEnd = this.ended.event;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly cli: CliSharing;
  private readonly refresher: TokenRefresh;
  /** This portal's secret keys. */
  readonly keys: PortalSecretKeys;

  private constructor(private readonly options: SessionOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? silentLogger;
    this.keys = options.keys ?? LEGACY_PORTAL_KEYS;
    const files = { store: options.store, keys: this.keys, log: this.log, cache: options.cliCache, enabled: options.shareWithCli };
    this.cli = new CliSharing({ ...files, adopt: (t) => this.adopt(t), client: (r) => this.client(r) });
    this.refresher = new TokenRefresh({
      store: options.store,
      keys: this.keys,
      clock: this.clock,
      log: this.log,
      cli: this.cli,
      refreshAheadMs: options.refreshAheadMs,
      token: () => this.token,
      adopt: (t) => this.adopt(t),
      end: (reason) => this.end(reason),
      client: (region) => this.client(region),
    });
  }

  /** Builds the session at once; `ready` settles when the shared token has been read. */
  static create(options: SessionOptions): Session {
    const session = new Session(options);
    session.subscriptions.add(
      options.store.onDidChange(({ key }) => {
        if (key === session.keys.token) void session.reload();
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
   * A sign-in with the flow `ui.plan` names (device code by default), or the AWS CLI's cached sign-in for the same target when it has
   * more than 15 minutes left. Resolves when signed in; rejects with an IdcError.
   */
  async signIn(target: SsoTarget, ui: SignInInteraction): Promise<SignInResult> {
    const before = this.current;
    this.setState({ kind: 'signingIn', target });
    try {
      const cached = await this.cli.read(target);
      const reused = cached && cached.token.expiresAt - this.clock.now() > CLI_REUSE_MIN_MS ? await this.cli.adopt(cached) : undefined;
      if (reused) {
        this.log.info(
          `[session] reused the AWS CLI sign-in to ${target.startUrl} (${target.region}); token valid ${Math.round((reused.expiresAt - this.clock.now()) / 1000)}s, refresh ${reused.refreshToken ? 'available' : 'not available'}`,
        );
        return { reusedFrom: 'awsCli' };
      }
      const ic = await this.client(target.region);
      const deps = { store: this.options.store, keys: this.keys, clock: this.clock, log: this.log, clientName: this.options.clientName };
      const { token, registration, expiresIn, flow } = await freshSignIn(ic, target, deps, ui);
      await this.options.store.store(this.keys.token, JSON.stringify(token));
      this.adopt(token);
      this.log.info(
        `[session] signed in to ${target.startUrl} (${target.region}) with the ${flow === 'authorizationCode' ? 'authorization code' : 'device code'}; token valid ${expiresIn}s, refresh ${token.refreshToken ? 'available' : 'not issued'}`,
      );
      await this.cli.share(token, registration);
      return { reusedFrom: undefined, flow };
    } catch (e) {
      const err = toIdcError(e, l10n.t('Sign-in'), target);
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
    if (!token) throw signedOut();
    if (this.clock.now() < this.refresher.refreshAt(token)) return token.accessToken;
    if (token.refreshToken) {
      try {
        return (await this.refresher.refresh()).accessToken;
      } catch (e) {
        if (this.clock.now() < token.expiresAt - 5_000 && !isSessionEnded(e)) return token.accessToken;
        throw toIdcError(e, l10n.t('Refreshing the sign-in'));
      }
    }
    if (this.clock.now() < token.expiresAt - 5_000) return token.accessToken;
    await this.end(new IdcError('sessionEnded', l10n.t('Your IAM Identity Center sign-in has expired. Sign in again to continue.'), 'TokenExpired'));
    throw new IdcError('sessionEnded', l10n.t('Your IAM Identity Center sign-in has expired. Sign in again to continue.'));
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
        await this.refresher.refresh(true);
        return;
      } catch {
        // fall through: the session is over
      }
    }
    await this.end(
      new IdcError(
        'sessionEnded',
        l10n.t('Your IAM Identity Center sign-in has ended (it may have been signed out elsewhere). Sign in again to continue.'),
        errorName(e),
      ),
    );
  }

  async signOut(): Promise<void> {
    const token = this.token;
    this.refresher.cancel();
    this.token = undefined;
    await this.options.store.delete(this.keys.token);
    this.setState({ kind: 'signedOut' });
    // Only our own token: a newer sign-in the CLI made since stays.
    if (token && this.cli.enabled) await this.cli.remove(token);
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
    if (!token) throw signedOut();
    const next: SsoTokenSecret = { ...token, sessionName };
    this.token = next; // before storing, so our own reload() sees nothing new
    await this.options.store.store(this.keys.token, JSON.stringify(next));
    this.adopt(next);
    // The file written under the old name (the start URL) would otherwise outlive sign-out.
    if (token.sessionName !== sessionName && this.cli.enabled) await this.cli.remove(token, 'the old AWS CLI token cache file');
    await this.syncCliCache();
  }

  /** Sharing was switched off: take back the file we wrote (only while it still holds our token). */
  async unshareCliCache(): Promise<void> {
    if (this.token) await this.cli.remove(this.token);
  }

  /** Writes the current sign-in to the CLI cache if sharing is on (e.g. right after it was switched on). */
  async syncCliCache(): Promise<void> {
    if (this.token) await this.cli.share(this.token, await readJson<ClientRegistrationSecret>(this.options.store, this.keys.registration));
  }

  dispose(): void {
    this.refresher.cancel();
    this.subscriptions.dispose();
    for (const c of this.clients.values())
      void c.then(
        (ic) => ic.dispose(),
        () => undefined,
      );
    this.changed.dispose();
    this.ended.dispose();
  }

  // --- internals ---

  /**
   * Reads the shared token; another window may have signed in, refreshed or signed out. The store
   * tells us through onDidChange, but not in every host (VS Code for the Web does not broadcast
   * secret changes between windows), so adapters also call this when the window gains focus.
   */
  async reload(): Promise<void> {
    const token = await readJson<SsoTokenSecret>(this.options.store, this.keys.token);
    if (token?.accessToken && token.expiresAt > this.clock.now()) {
      if (token.accessToken !== this.token?.accessToken || token.sessionName !== this.token?.sessionName) this.adopt(token);
    } else if (this.token) {
      this.refresher.cancel();
      this.token = undefined;
      if (this.current.kind !== 'signingIn') this.setState({ kind: 'signedOut' });
    } else if (this.current.kind === 'signedIn') {
      this.setState({ kind: 'signedOut' });
    }
  }

  private adopt(token: SsoTokenSecret): void {
    this.token = token;
    this.setState({
      kind: 'signedIn',
      startUrl: token.startUrl,
      region: token.region,
      expiresAt: token.expiresAt,
      canRefresh: !!token.refreshToken,
      ...(token.sessionName ? { sessionName: token.sessionName } : {}),
    });
    this.refresher.schedule(token);
  }

  private async end(reason: IdcError): Promise<void> {
    if (!this.token) return;
    this.refresher.cancel();
    this.token = undefined;
    await this.options.store.delete(this.keys.token);
    this.setState({ kind: 'signedOut', reason: reason.message });
    this.log.warn(`[session] sign-in ended (${reason.causeName ?? reason.kind})`);
    this.ended.fire(reason);
  }

  private setState(state: SessionState): void {
    this.current = state;
    this.changed.fire(state);
  }
}

function signedOut(): IdcError {
  return new IdcError(
    'sessionEnded',
    l10n.t({
      message: 'You are signed out of IAM Identity Center. Run "AWS Identity Center: Sign In".',
      comment: ['"AWS Identity Center: Sign In" is a command title'],
    }),
  );
}
