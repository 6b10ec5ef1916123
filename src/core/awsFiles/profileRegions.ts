// The `region` of AWS CLI profiles that use an Identity Center role (sso_account_id + sso_role_name
// + the portal, given by sso_start_url or through sso_session), so a role can take the region its
// profile already names. Read with the SDK's own INI loader; nothing here is secret.
import { loadSdk } from '../aws/loadSdk';
import { portalId, type RoleRef } from '../common/model';
import { checkRegion } from '../common/validate';
import { awsConfigPath } from './awsConfigRead';

export interface SsoProfileRegion {
  profile: string;
  accountId: string;
  roleName: string;
  /** The portal's id (portalId of the start URL). */
  portal: string;
  region: string;
}

type ConfigFile = Record<string, Record<string, string | undefined> | undefined>;

/** Every profile of the parsed config that names an Identity Center role and a valid region. */
export function ssoProfileRegions(configFile: ConfigFile): SsoProfileRegion[] {
  const out: SsoProfileRegion[] = [];
  for (const [name, section] of Object.entries(configFile)) {
    if (!section || name.startsWith('sso-session.')) continue;
    const accountId = section.sso_account_id?.trim();
    const roleName = section.sso_role_name?.trim();
    const region = section.region?.trim();
    const session = section.sso_session?.trim();
    const startUrl = session ? configFile[`sso-session.${session}`]?.sso_start_url : section.sso_start_url;
    if (!accountId || !roleName || !region || !startUrl?.trim() || !checkRegion(region).ok) continue;
    out.push({ profile: name, accountId, roleName, portal: portalId(startUrl), region });
  }
  return out;
}

/** The first profile for `role` (same account, role and portal), if any. Chained roles have none. */
export function profileRegionOf(profiles: readonly SsoProfileRegion[], role: RoleRef): SsoProfileRegion | undefined {
  if (role.via) return undefined;
  return profiles.find((p) => p.accountId === role.accountId && p.roleName === role.roleName && (role.portal === undefined || p.portal === role.portal));
}

/** The profiles of ~/.aws/config (or AWS_CONFIG_FILE); none when it is missing or unreadable (that is said elsewhere). */
export async function readSsoProfileRegions(configPath = awsConfigPath()): Promise<SsoProfileRegion[]> {
  try {
    const { loadSharedConfigFiles } = await loadSdk();
    const { configFile } = await loadSharedConfigFiles({ configFilepath: configPath, filepath: configPath, ignoreCache: true });
    return ssoProfileRegions((configFile ?? {}) as ConfigFile);
  } catch {
    return [];
  }
}
