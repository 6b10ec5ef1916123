// The request handler of every AWS client: the SDK's own NodeHttpHandler, with an agent chosen per
// request from the current network settings (aws/network.ts), so a changed proxy or CA applies to
// the next call without a reload. Lives in the lazy SDK bundle (imported only by aws/awsSdk.ts).
import * as https from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { loadSharedConfigFiles, getProfileName } from '@smithy/shared-ini-file-loader';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { PROXY_AUTH_REQUIRED, PROXY_UNREACHABLE, decideProxy, proxyLabel, type NetworkSettings, type ProxyDecision } from './network';
import { resolveTrust, type Trust } from './networkTrust';

type HandleArgs = Parameters<NodeHttpHandler['handle']>;
type HandleResult = Awaited<ReturnType<NodeHttpHandler['handle']>>;

export interface NetworkHandlerOptions {
  requestTimeout?: number;
  connectionTimeout?: number;
  throwOnRequestTimeout?: boolean;
  /** The current settings, read on every request. */
  settings: () => NetworkSettings;
  /** The environment, read on every request (tests change it at run time). */
  env?: () => NodeJS.ProcessEnv;
}

/** Connection failures that, behind a proxy, mean the proxy itself was not reached. */
const PROXY_CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET']);

const MAX_HANDLERS = 6;

/** `ca_bundle` of the profile the AWS CLI would use; the file is re-read at most every 2 s. */
let configCa: { at: number; key: string; value: Promise<string | undefined> } | undefined;
function configCaBundle(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const key = `${env.AWS_CONFIG_FILE ?? ''}|${env.AWS_PROFILE ?? ''}`;
  if (configCa && configCa.key === key && Date.now() - configCa.at < 2_000) return configCa.value;
  const value = loadSharedConfigFiles({ ignoreCache: true }).then(
    ({ configFile }) => configFile?.[getProfileName({})]?.ca_bundle?.trim() || undefined,
    () => undefined,
  );
  configCa = { at: Date.now(), key, value };
  return value;
}

/**
 * HttpsProxyAgent keeps its options for the connection to the proxy and drops them for the TLS
 * session with the target (it resets `this.options`), so the CA and strictness are added here.
 *
 * One agent per scheme, which it states: agent-base guesses https-or-not from the request options
 * or, failing that, from the call stack. The SDK's requests carry no `protocol`, and a socket coming
 * back to the pool (Node's 'free' event) has no https frame on its stack, so kept-alive tunnels were
 * parked under a plain-http pool name and never found again: every request opened a new CONNECT
 * tunnel and TLS session (63 for one sign-in and listing). With the scheme fixed, they are reused.
 */
class TrustingProxyAgent extends HttpsProxyAgent<string> {
  constructor(
    proxy: URL,
    options: ConstructorParameters<typeof HttpsProxyAgent<string>>[1],
    private readonly targetTls: { ca?: string[]; rejectUnauthorized: boolean },
    private readonly secure: boolean,
  ) {
    super(proxy, options);
  }

  override isSecureEndpoint(): boolean {
    return this.secure;
  }

  override connect(req: Parameters<HttpsProxyAgent<string>['connect']>[0], opts: Parameters<HttpsProxyAgent<string>['connect']>[1]) {
    return super.connect(req, { ...opts, ...this.targetTls });
  }
}

export class NetworkRequestHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  private readonly handlers = new Map<string, NodeHttpHandler>();
  private timeouts: Record<string, unknown>;

  constructor(private readonly options: NetworkHandlerOptions) {
    this.timeouts = {
      requestTimeout: options.requestTimeout,
      connectionTimeout: options.connectionTimeout,
      throwOnRequestTimeout: options.throwOnRequestTimeout,
    };
  }

  async handle(request: HandleArgs[0], handlerOptions?: HandleArgs[1]): Promise<HandleResult> {
    const settings = this.options.settings();
    const env = this.options.env?.() ?? process.env;
    const target = new URL(`${request.protocol}//${request.hostname.includes(':') ? `[${request.hostname}]` : request.hostname}`);
    if (request.port) target.port = String(request.port);
    const decision = decideProxy(target, settings, env);
    const trust = resolveTrust({ systemCertificates: settings.systemCertificates, env, configCaBundle: await configCaBundle(env) });
    const handler = this.handlerFor(decision, trust, settings);
    let out: HandleResult;
    try {
      out = await handler.handle(request, handlerOptions);
    } catch (e) {
      const code = (e as { code?: string })?.code;
      if (decision.kind === 'proxy' && code && PROXY_CONNECT_CODES.has(code) && !(e as { name?: string }).name?.includes('Timeout')) {
        throw Object.assign(new Error(`The proxy ${proxyLabel(decision.proxy)} could not be reached (${code}).`), {
          name: PROXY_UNREACHABLE,
          code,
          proxy: proxyLabel(decision.proxy),
          proxySource: decision.source,
        });
      }
      throw e;
    }
    if (decision.kind === 'proxy' && out.response.statusCode === 407) {
      // The proxy's own answer to CONNECT: the request never reached AWS.
      (out.response.body as { destroy?: () => void })?.destroy?.();
      throw Object.assign(new Error(`The proxy ${proxyLabel(decision.proxy)} asked for authentication (HTTP 407).`), {
        name: PROXY_AUTH_REQUIRED,
        proxy: proxyLabel(decision.proxy),
        proxySource: decision.source,
        $metadata: { httpStatusCode: 407 },
      });
    }
    return out;
  }

  /** One NodeHttpHandler per (proxy, TLS options, CA files); the newest few are kept. */
  private handlerFor(decision: ProxyDecision, trust: Trust, settings: NetworkSettings): NodeHttpHandler {
    const proxied = decision.kind === 'proxy';
    const rejectUnauthorized = !proxied || settings.strictSSL;
    const auth = proxied ? settings.proxyAuthorization.trim() : '';
    // In memory only (it holds the proxy authorization); never logged.
    const key = JSON.stringify([proxied ? decision.proxy.href : '', rejectUnauthorized, auth, trust.key]);
    let handler = this.handlers.get(key);
    if (handler) {
      this.handlers.delete(key);
      this.handlers.set(key, handler);
      return handler;
    }
    const tlsOptions = { ...(trust.ca ? { ca: trust.ca } : {}), rejectUnauthorized };
    const agentOptions = { keepAlive: true, maxSockets: 50, ...tlsOptions };
    const proxyAgent = (proxy: URL, secure: boolean): TrustingProxyAgent =>
      new TrustingProxyAgent(proxy, { ...agentOptions, ...(auth ? { headers: { 'Proxy-Authorization': auth } } : {}) }, tlsOptions, secure);
    // Plain http targets (loopback test servers, an http endpoint override) go through the proxy too.
    handler = new NodeHttpHandler(
      decision.kind === 'proxy'
        ? { ...this.timeouts, httpsAgent: proxyAgent(decision.proxy, true), httpAgent: proxyAgent(decision.proxy, false) }
        : { ...this.timeouts, httpsAgent: new https.Agent(agentOptions) },
    );
    this.handlers.set(key, handler);
    while (this.handlers.size > MAX_HANDLERS) {
      const [oldest] = this.handlers.keys();
      const old = this.handlers.get(oldest);
      this.handlers.delete(oldest);
      // Requests in flight may finish first; then its kept-alive sockets are closed.
      setTimeout(() => old?.destroy(), 60_000).unref();
    }
    return handler;
  }

  updateHttpClientConfig(key: string, value: unknown): void {
    this.timeouts = { ...this.timeouts, [key]: value };
    this.destroy();
  }

  httpHandlerConfigs(): Record<string, unknown> {
    return { ...this.timeouts };
  }

  destroy(): void {
    for (const h of this.handlers.values()) h.destroy();
    this.handlers.clear();
  }
}

export function createRequestHandler(options: NetworkHandlerOptions): NetworkRequestHandler {
  return new NetworkRequestHandler(options);
}
