// Where Sign In goes, as a pure decision (table-tested): user settings first (the region may come
// from the start URL itself), then the [sso-session] entries of ~/.aws/config, then ask. The adapter reads the inputs and shows the UI.
import * as l10n from '@vscode/l10n';
import type { SsoSessionsResult } from '../awsFiles/awsConfigRead';
import type { SsoTarget } from '../common/model';
import { checkRegion, checkStartUrl, regionFromStartUrl, sameStartUrl } from '../common/validate';

/** awsIdc.startUrl, awsIdc.region and awsIdc.ssoSession (user settings, trimmed; '' when unset). */
export interface SignInSettings {
  startUrl: string;
  region: string;
  ssoSession: string;
}

export type SignInTargetDecision =
  /** Call again with ~/.aws/config read: the settings alone do not decide. */
  | { kind: 'needAwsConfig' }
  | { kind: 'use'; target: SsoTarget; warnings: string[] }
  /** awsIdc.startUrl or awsIdc.region is wrong: say so (with a way to the settings) and stop. */
  | { kind: 'settingsProblem'; message: string; warnings: string[] }
  /** awsIdc.ssoSession names a session ~/.aws/config does not have complete: say so and stop. */
  | { kind: 'unknownSsoSession'; wanted: string; configPath: string; found: string[]; warnings: string[] }
  /** Several sessions in ~/.aws/config: let the user pick one. */
  | { kind: 'pick'; sessions: SsoTarget[]; configPath: string; warnings: string[] }
  /** Nothing configured: ask, starting from what the settings hold; `notice` explains why ~/.aws/config did not help. */
  | { kind: 'ask'; startUrl: string; region: string; notice?: string; warnings: string[] };

export type SignInTargetDecided = Exclude<SignInTargetDecision, { kind: 'needAwsConfig' }>;

/** `warnings` are for the log; `awsConfig` is what readSsoSessions() found, once asked for. */
export function decideSignInTarget(s: SignInSettings): SignInTargetDecision;
export function decideSignInTarget(s: SignInSettings, awsConfig: SsoSessionsResult): SignInTargetDecided;
export function decideSignInTarget(settings: SignInSettings, awsConfig?: SsoSessionsResult): SignInTargetDecision {
  // A start URL that names its region (…portal.<region>.app.aws) needs no region setting.
  const s = settings.region || !settings.startUrl ? settings : { ...settings, region: regionFromStartUrl(settings.startUrl) ?? '' };
  if (s.startUrl || s.region) {
    const urlCheck = checkStartUrl(s.startUrl);
    const regionCheck = checkRegion(s.region);
    if (urlCheck.ok && regionCheck.ok) {
      // The AWS CLI keys its token cache by sso-session name: find the one for this portal, if any.
      if (!awsConfig) return { kind: 'needAwsConfig' };
      const named = awsConfig.sessions.find((x) => x.startUrl === s.startUrl && x.region === s.region && (!s.ssoSession || x.sessionName === s.ssoSession));
      const target = { startUrl: s.startUrl, region: s.region, ...(named?.sessionName ? { sessionName: named.sessionName } : {}) };
      return { kind: 'use', target, warnings: urlCheck.warning ? [urlCheck.warning] : [] };
    }
    if (s.startUrl && s.region) {
      return {
        kind: 'settingsProblem',
        message: !urlCheck.ok
          ? l10n.t({
              message: 'awsIdc.startUrl: {0}',
              args: [urlCheck.error ?? ''],
              comment: ['awsIdc.startUrl is a setting id; {0}: what is wrong with its value'],
            })
          : l10n.t({
              message: 'awsIdc.region: {0}',
              args: [regionCheck.error ?? ''],
              comment: ['awsIdc.region is a setting id; {0}: what is wrong with its value'],
            }),
        warnings: [],
      };
    }
  }
  if (!awsConfig) return { kind: 'needAwsConfig' };
  const warnings = awsConfig.problems;
  if (s.ssoSession) {
    const match = awsConfig.sessions.find((x) => x.sessionName === s.ssoSession);
    if (match) return { kind: 'use', target: match, warnings };
    const found = awsConfig.sessions.map((x) => x.sessionName).filter((n): n is string => !!n);
    return { kind: 'unknownSsoSession', wanted: s.ssoSession, configPath: awsConfig.configPath, found, warnings };
  }
  if (awsConfig.sessions.length === 1) return { kind: 'use', target: awsConfig.sessions[0], warnings };
  if (awsConfig.sessions.length > 1) return { kind: 'pick', sessions: awsConfig.sessions, configPath: awsConfig.configPath, warnings };
  return { kind: 'ask', startUrl: s.startUrl, region: s.region, ...(awsConfig.problems.length ? { notice: awsConfig.problems[0] } : {}), warnings };
}

/**
 * Every portal configured (the settings' first, then each [sso-session] of ~/.aws/config), one per
 * start URL (sameStartUrl: two sso-session names for one start URL are one portal), minus those
 * `signedIn` says are signed in: what Sign In offers while another portal is signed in.
 */
export function portalsToOffer(s: SignInSettings, awsConfig: SsoSessionsResult, signedIn: (startUrl: string) => boolean): SsoTarget[] {
  const out: SsoTarget[] = [];
  const fromSettings = decideSignInTarget(s, awsConfig);
  const candidates = [...(fromSettings.kind === 'use' ? [fromSettings.target] : []), ...awsConfig.sessions];
  for (const t of candidates) {
    if (out.some((o) => sameStartUrl(o.startUrl, t.startUrl)) || signedIn(t.startUrl)) continue;
    out.push(t);
  }
  return out;
}
