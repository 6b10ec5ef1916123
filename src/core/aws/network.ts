// The one network configuration every AWS call follows: which proxy (VS Code's http.* settings,
// else the standard environment) and which certificate authorities. Plain data and pure decisions;
// the SDK request handler that applies them is aws/networkHandler.ts (in the lazy SDK bundle).

/** Error names the request handler gives proxy failures; errors.ts words them (it cannot import this layer). */
export const PROXY_UNREACHABLE = 'ProxyUnreachable';
export const PROXY_AUTH_REQUIRED = 'ProxyAuthenticationRequired';

/** VS Code's proxy settings as plain data (src/vscode/platform/networkSettings.ts reads them). */
export interface NetworkSettings {
  /** `http.proxy`; empty: the environment decides. */
  proxy: string;
  /** `http.noProxy`: hosts reached directly even with `http.proxy`. */
  noProxy: readonly string[];
  /** `http.proxyStrictSSL`: false accepts any certificate on proxied connections (as VS Code does). */
  strictSSL: boolean;
  /** `http.proxyAuthorization`: the Proxy-Authorization header value. A secret: never logged. */
  proxyAuthorization: string;
  /** `http.systemCertificates`: trust the operating system's certificate store. */
  systemCertificates: boolean;
}

export const DEFAULT_NETWORK_SETTINGS: NetworkSettings = { proxy: '', noProxy: [], strictSSL: true, proxyAuthorization: '', systemCertificates: true };

let current: () => NetworkSettings = () => DEFAULT_NETWORK_SETTINGS;

/**
 * Replaces the settings, or where they are read from (the editor's, read at the first request and
 * not at activation); the next request of every client follows them (no reload).
 */
export function setNetworkSettings(settings: NetworkSettings | (() => NetworkSettings)): void {
  current = typeof settings === 'function' ? settings : () => settings;
}

export function networkSettings(): NetworkSettings {
  return current();
}

/** Where one request goes: straight to the host, or through `proxy` (with its source, for messages). */
export type ProxyDecision = { kind: 'direct' } | { kind: 'proxy'; proxy: URL; source: 'http.proxy' | string };

/** The loopback credential endpoint and local test servers are never reached through a proxy. */
function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * True when `host` (with `port`) matches a no-proxy list: `*`, `example.com` (and its subdomains),
 * `.example.com` or `*.example.com` (subdomains), an IP, any of them with `:port`.
 */
export function matchesNoProxy(host: string, port: string, entries: readonly string[]): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  for (const raw of entries) {
    let entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const withPort = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
    if (withPort) {
      if (withPort[2] !== port) continue;
      entry = withPort[1];
    }
    entry = entry.replace(/^\[|\]$/g, '').replace(/^\*/, '');
    if (entry.startsWith('.') ? h.endsWith(entry) || h === entry.slice(1) : h === entry || h.endsWith(`.${entry}`)) return true;
  }
  return false;
}

function envValue(env: NodeJS.ProcessEnv, name: string): string {
  // Lower case first, as curl and most tools read them.
  return (env[name.toLowerCase()] ?? env[name.toUpperCase()] ?? '').trim();
}

/** A proxy setting as a URL; a bare host:port means http://host:port. Undefined when unusable. */
export function parseProxyUrl(value: string): URL | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Which proxy a request to `target` uses: loopback never; VS Code's `http.proxy` (minus
 * `http.noProxy`) when set; else HTTPS_PROXY (https targets) or HTTP_PROXY (http targets), or
 * ALL_PROXY, minus NO_PROXY; lower-case names win over upper-case ones.
 */
export function decideProxy(target: URL, settings: NetworkSettings, env: NodeJS.ProcessEnv): ProxyDecision {
  const host = target.hostname;
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  if (isLoopback(host)) return { kind: 'direct' };
  const fromSettings = parseProxyUrl(settings.proxy.trim());
  if (fromSettings) return matchesNoProxy(host, port, settings.noProxy) ? { kind: 'direct' } : { kind: 'proxy', proxy: fromSettings, source: 'http.proxy' };
  const name = target.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  const value = envValue(env, name) || envValue(env, 'ALL_PROXY');
  const fromEnv = parseProxyUrl(value);
  if (!fromEnv) return { kind: 'direct' };
  const noProxy = envValue(env, 'NO_PROXY').split(/[,\s]+/);
  if (matchesNoProxy(host, port, noProxy)) return { kind: 'direct' };
  return { kind: 'proxy', proxy: fromEnv, source: envValue(env, name) ? name : 'ALL_PROXY' };
}

/** A proxy URL as it may be shown or logged: scheme, host and port only (never user:password). */
export function proxyLabel(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}
