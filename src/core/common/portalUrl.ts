// The AWS access portal's host name forms, as the AWS CLI knows them
// (aws/aws-cli v2 awscli/customizations/sso/resolve.py): which hosts are AWS-owned, and which name
// their region. Pure functions, table-tested; a vanity URL's region is learned in aws/portalRegion.ts.

/** AWS-owned portal host suffixes (a host is AWS-owned when it ends with one, or is one). */
const AWS_OWNED_SUFFIXES = [
  '.app.aws',
  '.portal.amazonaws.com',
  '.portal.amazonaws.com.cn',
  '.app.amazonwebservices.com.cn',
  '.portal.amazonaws.eu',
  '.api.amazonwebservices.eu',
  '.awsapps.com',
  '.awsapps.cn',
  // GovCloud portals some organisations were given before start.us-gov-home.awsapps.com.
  '.portal.amazonaws-us-gov.com',
];

const AWS_OWNED_EXACT = [
  'identitycenter.amazonaws.com',
  'identitycenter.amazonaws.com.cn',
  'identitycenter.amazonaws.eu',
  'identitycenter.us-gov.amazonaws.com',
];

/** Host forms that carry the region; the CLI reads it from the same places. */
const REGION_IN_HOST = [
  /^[^.]+\.portal\.([a-z0-9-]+)\.app\.aws$/, // <instance>.portal.<region>.app.aws
  /^[^.]+\.([a-z0-9-]+)\.portal\.amazonaws\.com$/, // <instance>.<region>.portal.amazonaws.com
  /^[^.]+\.([a-z0-9-]+)\.portal\.amazonaws\.com\.cn$/, // China
  /^[^.]+\.portal\.([a-z0-9-]+)\.app\.amazonwebservices\.com\.cn$/, // China
  /^[^.]+\.([a-z0-9-]+)\.portal\.amazonaws\.eu$/, // European Sovereign Cloud
  /^[^.]+\.portal\.([a-z0-9-]+)\.api\.amazonwebservices\.eu$/, // European Sovereign Cloud
];

/** A DNS name of letters, digits and hyphens (no empty label), lower-cased, without a trailing dot. */
function normalHost(hostname: string): string | undefined {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/.test(h) ? h : undefined;
}

export function isAwsPortalHost(hostname: string): boolean {
  const h = normalHost(hostname);
  if (!h) return false;
  return AWS_OWNED_EXACT.includes(h) || AWS_OWNED_SUFFIXES.some((s) => h.endsWith(s) || h === s.slice(1));
}

/** The region an AWS-owned host names, if it is one of the forms that do (the name must look like a region). */
export function regionFromPortalHost(hostname: string, isRegion: (r: string) => boolean): string | undefined {
  const h = normalHost(hostname);
  if (!h || !isAwsPortalHost(h)) return undefined;
  for (const form of REGION_IN_HOST) {
    const region = form.exec(h)?.[1];
    if (region) return isRegion(region) ? region : undefined;
  }
  return undefined;
}

/** The host of an https URL, or undefined. */
export function httpsHost(url: string): string | undefined {
  try {
    const u = new URL(url.trim());
    return u.protocol === 'https:' ? u.hostname : undefined;
  } catch {
    return undefined;
  }
}
