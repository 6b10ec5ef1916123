// Checks on what the user types or configures, as pure functions with table tests.
import * as l10n from '@vscode/l10n';
import { httpsHost, isAwsPortalHost, regionFromPortalHost } from './portalUrl';

export interface Check {
  ok: boolean;
  /** Why it is refused. */
  error?: string;
  /** Allowed, but worth a second look. */
  warning?: string;
}

export function checkStartUrl(value: string): Check {
  const text = value.trim();
  if (!text) return { ok: false, error: l10n.t('Enter your AWS access portal URL, e.g. https://my-org.awsapps.com/start') };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return {
      ok: false,
      error: l10n.t({
        message: '"{0}" is not a URL. Use the access portal URL, e.g. https://my-org.awsapps.com/start',
        args: [text],
        comment: ['{0}: what the user typed'],
      }),
    };
  }
  if (url.protocol !== 'https:') return { ok: false, error: l10n.t('The access portal URL must start with https://') };
  if (url.username || url.password) return { ok: false, error: l10n.t('The access portal URL must not contain a user name or password.') };
  if (!isAwsPortalHost(url.hostname)) {
    return {
      ok: true,
      warning: l10n.t({
        message: '{0} does not look like an AWS access portal (…awsapps.com, …app.aws). Continue only if your organisation uses a custom domain.',
        args: [url.hostname],
        comment: ['{0}: the host name of the URL the user entered'],
      }),
    };
  }
  return { ok: true };
}

// Partitions: aws (us, eu, ap, sa, ca, me, af, il, mx), aws-cn, aws-us-gov, aws-iso*, aws-eusc (eusc-de-east-1).
const REGION =
  /^(us|eu|ap|sa|ca|me|af|il|mx|cn|eusc)(-gov|-iso|-isob|-isof|-isoe|-de)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/;

/** Whether `value` is shaped like an AWS region name. */
export const isRegionName = (value: string): boolean => REGION.test(value);

/** The region an AWS-owned access portal URL names (…portal.<region>.app.aws and the like), if it does. */
export function regionFromStartUrl(startUrl: string): string | undefined {
  const host = httpsHost(startUrl);
  return host ? regionFromPortalHost(host, isRegionName) : undefined;
}

export function checkRegion(value: string): Check {
  const text = value.trim();
  if (!text) return { ok: false, error: l10n.t('Enter the IAM Identity Center region, e.g. us-east-1') };
  if (!REGION.test(text))
    return {
      ok: false,
      error: l10n.t({
        message: '"{0}" is not an AWS region name. Use a name like us-east-1 or eu-west-2 (the region shown in the IAM Identity Center console).',
        args: [text],
        comment: ['{0}: what the user typed'],
      }),
    };
  return { ok: true };
}

/** Two start URLs name the same portal when they differ only in surrounding spaces or trailing slashes. */
export function sameStartUrl(a: string, b: string): boolean {
  return a.trim().replace(/\/+$/, '') === b.trim().replace(/\/+$/, '');
}

/** Plain http is only acceptable to a loopback address (a local emulator or endpoint). */
export function isLoopbackHttp(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

/**
 * 127.0.0.0/8, ::1, localhost and *.localhost (RFC 6761: never resolved off the machine). Not
 * "localhost.example" or "127.0.0.1.example.com", which any DNS server can point anywhere.
 */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}
