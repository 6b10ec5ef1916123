// Checks on what the user types or configures, as pure functions with table tests.

export interface Check {
  ok: boolean;
  /** Why it is refused. */
  error?: string;
  /** Allowed, but worth a second look. */
  warning?: string;
}

const PORTAL_HOST =
  /^([a-z0-9-]+\.awsapps\.com|[a-z0-9-]+\.awsapps\.cn|start\.(us-gov-home|home)\.awsapps\.com|[a-z0-9-]+\.portal\.(amazonaws|amazonaws-us-gov)\.com)$/i;

export function checkStartUrl(value: string): Check {
  const text = value.trim();
  if (!text) return { ok: false, error: 'Enter your AWS access portal URL, e.g. https://my-org.awsapps.com/start' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: `"${text}" is not a URL. Use the access portal URL, e.g. https://my-org.awsapps.com/start` };
  }
  if (url.protocol !== 'https:') return { ok: false, error: 'The access portal URL must start with https://' };
  if (url.username || url.password) return { ok: false, error: 'The access portal URL must not contain a user name or password.' };
  if (!PORTAL_HOST.test(url.hostname)) {
    return {
      ok: true,
      warning: `${url.hostname} does not look like an AWS access portal (…awsapps.com). Continue only if your organisation uses a custom domain.`,
    };
  }
  return { ok: true };
}

// Partitions: aws (us, eu, ap, sa, ca, me, af, il, mx), aws-cn, aws-us-gov, aws-iso*.
const REGION =
  /^(us|eu|ap|sa|ca|me|af|il|mx|cn)(-gov|-iso|-isob|-isof|-isoe)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/;

export function checkRegion(value: string): Check {
  const text = value.trim();
  if (!text) return { ok: false, error: 'Enter the IAM Identity Center region, e.g. us-east-1' };
  if (!REGION.test(text))
    return {
      ok: false,
      error: `"${text}" is not an AWS region name. Use a name like us-east-1 or eu-west-2 (the region shown in the IAM Identity Center console).`,
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
    return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]');
  } catch {
    return false;
  }
}
