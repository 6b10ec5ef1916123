// Moves the single sign-in of the versions before several portals to its portal's own keys, so an
// existing user stays signed in: the token and client registration are copied to
// `awsIdc.token:<portal id>` / `awsIdc.registration:<portal id>`, the portal is added to the index
// (marked `migrated`, so roles remembered without a portal are known to be its), and the old keys go.
import type { Logger } from '../common/log';
import { portalId, type SsoTokenSecret } from '../common/model';
import { SECRET_KEYS, portalSecretKeys } from '../common/storageKeys';
import { readJson, type SecretStore } from '../common/stores';

/** A portal with a sign-in, as kept in the index (no secrets). */
export interface PortalInfo {
  /** portalId(startUrl): the normalised start URL. */
  id: string;
  startUrl: string;
  region: string;
  /** The `[sso-session]` it was signed in through, if any. */
  sessionName?: string;
  /** This portal holds the sign-in of the single-sign-in versions: roles stored without a portal are its. */
  migrated?: boolean;
}

export async function readPortalIndex(store: SecretStore): Promise<PortalInfo[]> {
  const raw = await readJson<unknown>(store, SECRET_KEYS.portals);
  if (!Array.isArray(raw)) return [];
  return raw.filter((p): p is PortalInfo => !!p && typeof p.id === 'string' && typeof p.startUrl === 'string' && typeof p.region === 'string');
}

export async function writePortalIndex(store: SecretStore, portals: readonly PortalInfo[]): Promise<void> {
  await store.store(SECRET_KEYS.portals, JSON.stringify(portals));
}

/** Runs once per store: a no-op when there is no single sign-in left. Returns the portal it moved, if any. */
export async function migrateSingleSignIn(store: SecretStore, log: Logger): Promise<PortalInfo | undefined> {
  const token = await readJson<SsoTokenSecret>(store, SECRET_KEYS.token);
  if (!token?.startUrl || !token.region) {
    if (await store.get(SECRET_KEYS.token)) await store.delete(SECRET_KEYS.token);
    return undefined;
  }
  const id = portalId(token.startUrl);
  const keys = portalSecretKeys(id);
  // A sign-in made since under the new keys (another window) is newer: keep it.
  if (!(await store.get(keys.token))) {
    const registration = await store.get(SECRET_KEYS.registration);
    if (registration) await store.store(keys.registration, registration);
    await store.store(keys.token, JSON.stringify(token));
  }
  const info: PortalInfo = {
    id,
    startUrl: token.startUrl,
    region: token.region,
    ...(token.sessionName ? { sessionName: token.sessionName } : {}),
    migrated: true,
  };
  const index = await readPortalIndex(store);
  await writePortalIndex(store, [...index.filter((p) => p.id !== id), info]);
  await store.delete(SECRET_KEYS.token);
  await store.delete(SECRET_KEYS.registration);
  await store.delete(SECRET_KEYS.refreshLease);
  log.info(`[portals] moved the single sign-in to ${token.startUrl} (${token.region}) to its own keys`);
  return info;
}
