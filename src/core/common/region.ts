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
}

export function decideRegion(use: RegionUse, s: RegionSources): string {
  if (use === 'identityCenter') return s.signedIn ?? (s.setting || FALLBACK_REGION);
  const tools = s.terminal || s.signedIn || '';
  return use === 'console' ? tools || FALLBACK_REGION : tools;
}
