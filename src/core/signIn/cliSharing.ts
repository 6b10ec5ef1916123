// Sharing the sign-in with the AWS CLI through its token cache (~/.aws/sso/cache): the CLI's sign-in
// is reused, its refreshes are followed, and (opt-in, awsIdc.shareWithAwsCli) ours is written there.
// File failures are logged by their code and never fail the caller. A token from the file is only
// adopted once the portal has listed accounts with it: other tools (AWS Toolkit, Amazon Q) cache
// tokens for other scopes in the same folder.
import type { IdentityCenter } from '../aws/identityCenter';
import type { CliSignInSecret, CliTokenStore } from '../awsFiles/cliTokenCache';
import { errorName } from '../common/errors';
import type { Logger } from '../common/log';
import type { ClientRegistrationSecret, SsoTarget, SsoTokenSecret } from '../common/model';
import type { PortalSecretKeys } from '../common/storageKeys';
import type { SecretStore } from '../common/stores';

export interface CliSharingOptions {
  store: SecretStore;
  /** The portal's secret keys: an adopted CLI sign-in is stored under them. */
  keys: PortalSecretKeys;
  log: Logger;
  /** The AWS CLI's token cache; without it nothing is shared. */
  cache?: CliTokenStore;
  /** Whether to also write our sign-in there (setting awsIdc.shareWithAwsCli). */
  enabled?: () => boolean;
  /** Makes a stored token the session's current one. */
  adopt: (token: SsoTokenSecret) => void;
  /** The Identity Center client for a region: a file's token is tried with one ListAccounts call first. */
  client: (region: string) => Promise<IdentityCenter>;
}

/** A file error's code (EACCES…): short and safe to log. */
const fileError = (e: unknown): string => (e as NodeJS.ErrnoException)?.code ?? errorName(e);

export class CliSharing {
  constructor(private readonly o: CliSharingOptions) {}

  /** Sharing is switched on (awsIdc.shareWithAwsCli). */
  get enabled(): boolean {
    return !!this.o.enabled?.();
  }

  /** The CLI's cached sign-in for `target`, if it has a valid one. */
  async read(target: SsoTarget): Promise<CliSignInSecret | undefined> {
    if (!this.o.cache) return undefined;
    try {
      return await this.o.cache.read(
        { startUrl: target.startUrl, region: target.region, sessionName: target.sessionName },
        { onIgnored: (why) => this.o.log.warn(`[session] ignored the AWS CLI token cache: ${why}`) },
      );
    } catch (e) {
      this.o.log.warn(`[session] could not read the AWS CLI token cache (${fileError(e)})`);
      return undefined;
    }
  }

  /**
   * Stores a CLI sign-in as ours (registration first: a refresh token only works with its client),
   * once its token has listed accounts; undefined, with a log line, when it could not.
   */
  async adopt(found: CliSignInSecret, ownRefreshToken?: string): Promise<SsoTokenSecret | undefined> {
    if (!(await this.canListAccounts(found.token))) return undefined;
    const token: SsoTokenSecret = { ...found.token };
    if (token.refreshToken && found.registration) {
      // Marked: the file does not say which flow registered it, so no new sign-in reuses it (signInFlows.ts).
      const registration: ClientRegistrationSecret = { ...found.registration, fromAwsCli: true };
      await this.o.store.store(this.o.keys.registration, JSON.stringify(registration));
    } else {
      // Without its client the file's refresh token is useless to us; ours still works with our client.
      delete token.refreshToken;
      if (ownRefreshToken) token.refreshToken = ownRefreshToken;
    }
    await this.o.store.store(this.o.keys.token, JSON.stringify(token));
    this.o.adopt(token);
    return token;
  }

  private async canListAccounts(token: SsoTokenSecret): Promise<boolean> {
    try {
      const ic = await this.o.client(token.region);
      await ic.listAccounts(token.accessToken, undefined, AbortSignal.timeout(15_000));
      return true;
    } catch (e) {
      this.o.log.warn(`[session] not using the AWS CLI's cached token for ${token.startUrl}: it could not list accounts (${errorName(e)})`);
      return false;
    }
  }

  /**
   * Writes the CLI cache when sharing is on, or when the file still holds `spentRefreshToken` (a
   * sign-in we share with the CLI whose refresh token we just used up). Never fails the caller.
   */
  async share(token: SsoTokenSecret, registration?: ClientRegistrationSecret, spentRefreshToken?: string): Promise<void> {
    const cache = this.o.cache;
    if (!cache) return;
    try {
      let write = this.enabled;
      if (!write && spentRefreshToken) write = (await cache.read(token, { allowExpired: true }))?.token.refreshToken === spentRefreshToken;
      if (write) await cache.write(token, registration);
    } catch (e) {
      this.o.log.warn(`[session] could not write the AWS CLI token cache (${fileError(e)}); the AWS CLI will ask to sign in`);
    }
  }

  /** Deletes the file while it still holds `token` (a newer sign-in the CLI made since stays). */
  async remove(token: SsoTokenSecret, file = 'the AWS CLI token cache file'): Promise<void> {
    await this.o.cache?.remove(token).catch((e) => this.o.log.warn(`[session] could not remove ${file} (${fileError(e)})`));
  }
}
