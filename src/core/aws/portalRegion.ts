// The region of a vanity access portal URL (https://sso.example.com/start), learned the way the AWS
// CLI does (resolve.py): one request that does not follow redirects (HEAD, GET when HEAD is not
// allowed), and the region read from the AWS-owned https host it redirects to. Through our network
// handler, so VS Code's proxy and CA settings apply. Undefined when it cannot tell (then ask).
import { isAwsPortalHost, regionFromPortalHost } from '../common/portalUrl';
import { isRegionName } from '../common/validate';
import { loadSdk } from './loadSdk';
import { networkSettings } from './network';

/** What sends the request; the SDK's handler with our proxy and CA choice by default. */
export interface PortalProbeHandler {
  handle(request: never): Promise<{ response: { statusCode: number; headers: Record<string, string>; body?: unknown } }>;
}

export interface LearnedPortal {
  /** Where the vanity URL redirects to (an AWS-owned https URL), when it does. */
  resolvedUrl?: string;
  region?: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export async function learnPortalRegion(
  startUrl: string,
  options: { handler?: PortalProbeHandler; timeoutMs?: number; env?: () => NodeJS.ProcessEnv } = {},
): Promise<LearnedPortal> {
  let url: URL;
  try {
    url = new URL(startUrl.trim());
  } catch {
    return {};
  }
  if (url.protocol !== 'https:' || isAwsPortalHost(url.hostname)) return {};
  const handler =
    options.handler ??
    (await loadSdk()).createRequestHandler({
      requestTimeout: options.timeoutMs ?? 10_000,
      connectionTimeout: 5_000,
      throwOnRequestTimeout: true,
      settings: networkSettings,
      ...(options.env ? { env: options.env } : {}),
    });
  try {
    let location = await probe(handler, url, 'HEAD');
    if (location === 'retryWithGet') location = await probe(handler, url, 'GET');
    if (!location || location === 'retryWithGet') return {};
    const next = new URL(location, url);
    if (next.protocol !== 'https:' || !isAwsPortalHost(next.hostname)) return {};
    const resolvedUrl = `${next.origin}${next.pathname.replace(/\/+$/, '')}`;
    const region = regionFromPortalHost(next.hostname, isRegionName);
    return region ? { resolvedUrl, region } : { resolvedUrl };
  } catch {
    return {}; // unreachable, TLS, proxy: the region is asked for instead
  } finally {
    if (!options.handler) (handler as { destroy?: () => void }).destroy?.();
  }
}

/** The Location of a redirect, 'retryWithGet' for 405/501, else undefined. */
async function probe(handler: PortalProbeHandler, url: URL, method: 'HEAD' | 'GET'): Promise<string | undefined> {
  const request = {
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname || '/',
    query: Object.fromEntries(url.searchParams),
    headers: { host: url.host, accept: 'text/html' },
  };
  const { response } = await handler.handle(request as never);
  (response.body as { destroy?: () => void } | undefined)?.destroy?.();
  if (response.statusCode === 405 || response.statusCode === 501) return 'retryWithGet';
  const location = response.headers.location ?? response.headers.Location;
  return REDIRECTS.has(response.statusCode) && location ? location : undefined;
}
