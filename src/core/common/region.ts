// Which AWS region a call or a tool gets, decided in one place, as a pure function (table-tested).

/** Used when nothing names a region (signed out, nothing configured). */
export const FALLBACK_REGION = 'us-east-1';

/**
 * - `identityCenter`: the portal and OIDC calls, and STS for chained roles without their own region.
 * - `tools`: what terminals, copied variables and saved CLI profiles get ('' sets none).
 * - `console`: the AWS console's landing region.
 */
export type RegionUse = 'identityCenter' | 'tools' | 'console';

export interface RegionSources {
  /** The region of the current sign-in, when signed in. */
  signedIn?: string;
  /** awsIdc.region. */
  setting?: string;
  /** awsIdc.terminal.region. */
  terminal?: string;
  /** The role's own region (Set Role Region, else its AWS CLI profile's `region`): wins for tools and the console. */
  role?: string;
}

export function decideRegion(use: RegionUse, s: RegionSources): string {
  if (use === 'identityCenter') return s.signedIn ?? (s.setting || FALLBACK_REGION);
  const tools = s.role || s.terminal || s.signedIn || '';
  return use === 'console' ? tools || FALLBACK_REGION : tools;
}

/**
 * The region a role's terminals, tasks, debug sessions (`tools`) or console (`console`) use:
 * `roleRegion` (RoleRegions.regionOf) when the role has one, else what decideRegion gives everyone.
 */
export function regionForRole(use: 'tools' | 'console', roleRegion: string | undefined, s: Omit<RegionSources, 'role'>): string {
  return decideRegion(use, { ...s, role: roleRegion });
}
