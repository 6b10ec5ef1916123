// One loopback HTTP server that speaks SSO OIDC, the SSO portal and STS well
// enough for the real AWS SDK v3 clients and the AWS CLI, plus the device
// verification page and the /_emulator/ control API.
import * as http from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { CallLog, type CallEntry, type CallFilter } from './callLog';
import { verificationUri, type Context } from './context';
import { CONTROL_PREFIX, handleControl, type Controllable, type EmulatorSnapshot, type ExpireTarget } from './control';
import { FaultQueue, faultResponse, type Service } from './faults';
import { federation } from './federation';
import { echoFault, sendDrip, sendHugePage } from './hostile';
import { requestId } from './ids';
import * as oidc from './oidc';
import { DEFAULTS, mergeOptions, type EmulatorOptions, type FaultSpec, type Operation, type ResolvedOptions, type SeedAccount } from './options';
import * as portal from './portal';
import { json, oidcError, portalError, stsError, type ApiResult } from './responses';
import { resolveAccounts } from './seed';
import { EmulatorState, type PendingDeviceView } from './state';
import * as sts from './sts';
import { TokenBucket } from './throttle';
import { Trail, type TrailRecord } from './trail';
import { JsonServices, jsonOperation } from './jsonServices';
import { renderDevicePage, submitDevicePage } from './verificationPage';
import { authorize, consentPage, submitConsent, type BrowserResult } from './authorize';

export type { EmulatorOptions, FaultSpec, Operation, ResolvedOptions, SeedAccount } from './options';
export type { CallEntry, CallFilter } from './callLog';
export type { EmulatorSnapshot, ExpireTarget } from './control';
export type { PendingDeviceView } from './state';
export type { TrailRecord } from './trail';

export interface EmulatorEnv {
  AWS_ENDPOINT_URL_SSO_OIDC: string;
  AWS_ENDPOINT_URL_SSO: string;
  AWS_ENDPOINT_URL_STS: string;
  AWS_ENDPOINT_URL_CLOUDTRAIL: string;
  AWS_ENDPOINT_URL_DYNAMODB: string;
  [name: string]: string;
}

interface Route {
  service: Service;
  operation: Operation;
}

const ROUTES: Record<string, Route> = {
  'POST /client/register': { service: 'oidc', operation: 'RegisterClient' },
  'POST /device_authorization': { service: 'oidc', operation: 'StartDeviceAuthorization' },
  'POST /token': { service: 'oidc', operation: 'CreateToken' },
  'GET /assignment/accounts': { service: 'portal', operation: 'ListAccounts' },
  'GET /assignment/roles': { service: 'portal', operation: 'ListAccountRoles' },
  'GET /federation/credentials': { service: 'portal', operation: 'GetRoleCredentials' },
  'POST /logout': { service: 'portal', operation: 'Logout' },
};
const THROTTLED: Operation[] = ['ListAccounts', 'ListAccountRoles', 'GetRoleCredentials'];
const STS_ACTIONS: Operation[] = ['GetCallerIdentity', 'AssumeRole', 'GetAccessKeyLastUsed'];

export class Emulator implements Context, Controllable {
  readonly state = new EmulatorState();
  options: ResolvedOptions;
  port = 0;
  private readonly startOptions: EmulatorOptions;
  private readonly faults = new FaultQueue();
  private readonly log = new CallLog(Date.now());
  private bucket: TokenBucket | null = null;
  private readonly server: http.Server;
  /** More loopback addresses serving the same emulator (listenAlso). */
  private readonly aliases: http.Server[] = [];
  private readonly stalled = new Set<Socket>();
  /** Every signed call answered, by the key that signed it: what LookupEvents serves. */
  private readonly trail = new Trail(this);
  private readonly services = new JsonServices(this, this.trail);

  private constructor(options: EmulatorOptions) {
    this.startOptions = { ...options };
    this.options = mergeOptions(DEFAULTS, options);
    this.reseed();
    this.bucket = this.options.throttle ? new TokenBucket(this.options.throttle) : null;
    this.server = http.createServer((req, res) => {
      this.onRequest(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`emulator error: ${e instanceof Error ? e.stack : String(e)}`);
      });
    });
  }

  static async start(options: EmulatorOptions = {}): Promise<Emulator> {
    const emu = new Emulator(options);
    await new Promise<void>((resolve, reject) => {
      emu.server.once('error', reject);
      // Loopback only: tokens must never be reachable from another machine.
      emu.server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    emu.port = (emu.server.address() as { port: number }).port;
    await emu.listenOnIpv6Loopback();
    return emu;
  }

  /**
   * The same service on [::1] and the same port, when the machine has IPv6 loopback: a browser opens
   * http://[::1]:port/… as it is, where VS Code for the Web rewrites 127.0.0.1:port URLs through
   * its port forwarding (and so re-encodes them).
   */
  private async listenOnIpv6Loopback(): Promise<void> {
    const v6 = http.createServer((req, res) => this.server.emit('request', req, res));
    const ok = await new Promise<boolean>((resolve) => {
      v6.once('error', () => resolve(false));
      v6.listen(this.port, '::1', () => resolve(true));
    });
    if (ok) this.ipv6Server = v6;
  }

  private ipv6Server?: http.Server;

  /** http://[::1]:port when the emulator also listens there (see listenOnIpv6Loopback), else undefined. */
  get ipv6Url(): string | undefined {
    return this.ipv6Server ? `http://[::1]:${this.port}` : undefined;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * The same emulator on another loopback address (e.g. 127.0.0.2), for a browser that must reach
   * /authorize on the OIDC endpoint: code-server rewrites http://127.0.0.1 and localhost addresses
   * opened with openExternal into its own /proxy/<port>/ path and drops their path and query (a
   * real OIDC endpoint is never loopback). Returns its base URL.
   */
  async listenAlso(host: string): Promise<string> {
    const alias = http.createServer((req, res) => this.server.emit('request', req, res));
    await new Promise<void>((resolve, reject) => {
      alias.once('error', reject);
      alias.listen(0, host, () => resolve());
    });
    this.aliases.push(alias);
    return `http://${host}:${(alias.address() as { port: number }).port}`;
  }

  get env(): EmulatorEnv {
    return {
      AWS_ENDPOINT_URL_SSO_OIDC: this.url,
      AWS_ENDPOINT_URL_SSO: this.url,
      AWS_ENDPOINT_URL_STS: this.url,
      AWS_ENDPOINT_URL_SIGNIN: this.url,
      // IAM GetAccessKeyLastUsed (Retire Long-Term Access Key), served on the same endpoint as STS.
      AWS_ENDPOINT_URL_IAM: this.url,
      AWS_ENDPOINT_URL_CLOUDTRAIL: this.url,
      AWS_ENDPOINT_URL_DYNAMODB: this.url,
    };
  }

  /** The address a browser should open for the code entry page. */
  get verificationUri(): string {
    return verificationUri(this);
  }

  now(): number {
    return Date.now() + this.options.clockSkewSec * 1000;
  }

  async stop(): Promise<void> {
    for (const s of this.stalled) s.destroy();
    this.stalled.clear();
    const servers = [this.server, ...this.aliases];
    const closed = Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    for (const server of servers) server.closeAllConnections(); // SDK agents keep sockets alive
    this.ipv6Server?.close();
    this.ipv6Server?.closeAllConnections();
    await closed;
  }

  // ---- knobs (mirrored by the control API and EmulatorControl) ----

  configure(partial: EmulatorOptions): ResolvedOptions {
    const next = mergeOptions(this.options, partial);
    const reseed = partial.accounts !== undefined || partial.specialCases !== undefined || partial.portals !== undefined;
    if (reseed) resolveAccounts(next.accounts, next.specialCases); // validate before committing
    this.options = next;
    if (reseed) this.reseed();
    if (partial.throttle !== undefined) this.bucket = next.throttle ? new TokenBucket(next.throttle) : null;
    return this.options;
  }

  approve(userCode?: string): string | undefined {
    return oidc.decide(this, userCode, true);
  }

  deny(userCode?: string): string | undefined {
    return oidc.decide(this, userCode, false);
  }

  injectFault(spec: FaultSpec): void {
    this.faults.add(spec);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  calls(filter?: CallFilter): CallEntry[] {
    return this.log.list(filter);
  }

  clearCalls(): void {
    this.log.clear();
  }

  /** The CloudTrail record: every signed call, oldest first (identifiers only, no secrets). */
  trailRecords(): TrailRecord[] {
    return this.trail.list();
  }

  issuedSecrets(): string[] {
    return [...this.state.secrets];
  }

  /** The issued secrets a browser URL carries by design (authorization codes; see State.browserSecrets). */
  browserUrlSecrets(): string[] {
    return [...this.state.browserSecrets];
  }

  revokeAllTokens(): void {
    this.state.revokeAll(false);
  }

  revokeRefreshTokens(): void {
    this.state.revokeAll(true);
  }

  /** Make everything of one kind expire now; returns how many were affected. */
  expire(what: ExpireTarget): number {
    const past = this.now() - 1;
    const items: { expiresAt?: number; secretExpiresAt?: number }[] =
      what === 'accessTokens'
        ? [...this.state.accessTokens.values()]
        : what === 'roleCredentials'
          ? [...this.state.roleKeys.values()]
          : what === 'deviceCodes'
            ? [...this.state.devices.values()]
            : [...this.state.clients.values()];
    for (const item of items) {
      if (what === 'clientSecrets') item.secretExpiresAt = past;
      else item.expiresAt = past;
    }
    return items.length;
  }

  /** Back to the options given to start(), reseeded, with nothing issued (issuedSecrets is kept). */
  reset(): void {
    this.options = mergeOptions(DEFAULTS, this.startOptions);
    this.state.clear();
    this.reseed();
    this.faults.clear();
    this.log.clear();
    this.trail.clear();
    this.services.clear();
    this.bucket = this.options.throttle ? new TokenBucket(this.options.throttle) : null;
  }

  pending(): PendingDeviceView[] {
    return this.state.pendingDevices(this.now()).map((d) => ({
      userCode: d.userCode,
      clientId: d.clientId,
      clientName: this.state.clients.get(d.clientId)?.clientName ?? '',
      startUrl: d.startUrl,
      createdAt: d.createdAt,
      expiresAt: d.expiresAt,
      verificationUriComplete: verificationUri(this, d.userCode),
    }));
  }

  accounts(): SeedAccount[] {
    return this.state.accounts.map((a) => ({ ...a, roles: [...a.roles] }));
  }

  /** The accounts an extra portal (options.portals) serves. */
  portalAccounts(startUrl: string): SeedAccount[] {
    return (this.state.portalAccounts.get(startUrl.replace(/\/+$/, '')) ?? []).map((a) => ({ ...a, roles: [...a.roles] }));
  }

  snapshot(): EmulatorSnapshot {
    const s = this.state;
    return {
      url: this.url,
      options: this.options,
      faults: this.faults.list(),
      counts: {
        accounts: s.accounts.length,
        clients: s.clients.size,
        pendingDevices: s.pendingDevices(this.now()).length,
        accessTokens: s.accessTokens.size,
        refreshTokens: s.refreshTokens.size,
        roleKeys: s.roleKeys.size,
        calls: this.log.list().length,
      },
    };
  }

  private reseed(): void {
    this.state.accounts = resolveAccounts(this.options.accounts, this.options.specialCases);
    this.state.portalAccounts = new Map(
      Object.entries(this.options.portals).map(([url, accounts], i) => [url.replace(/\/+$/, ''), resolveAccounts(accounts, false, 1000 * (i + 1))]),
    );
  }

  // ---- request handling ----

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const rawBody = await readBody(req);

    if (path.startsWith(CONTROL_PREFIX)) {
      const r = handleControl(this, method, path, url.searchParams, rawBody);
      return send(res, json(r.body, r.status), this.now());
    }
    if (path === '/device' || path === '/device/') return this.onPage(req, res, method, url, rawBody);
    if ((path === '/authorize' && method === 'GET') || path === '/authorize/consent') return this.onAuthorize(req, res, method, url, rawBody);
    if (path === '/federation' && method === 'GET') {
      const r = federation(this, url.searchParams);
      // The login step's exact request target (what the browser was told to open), the single-use token masked.
      const target =
        r.operation === 'ConsoleLogin' ? { requestTarget: maskSigninToken(req.url ?? ''), destination: url.searchParams.get('Destination') ?? undefined } : {};
      this.log.add({ operation: r.operation, status: r.status, errorType: r.errorType, accessKeyId: r.accessKeyId, userAgent: userAgent(req), ...target });
      return send(res, r, this.now());
    }

    const route = this.route(method, path, url, rawBody, header(req, 'x-amz-target'));
    if (!route) {
      const action = path === '/' ? stsParams(method, url, rawBody).get('Action') : null;
      const r = action
        ? stsError(400, 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`)
        : json({ message: `No route for ${method} ${path}` }, 404);
      this.log.add({ operation: 'Unknown', status: r.status, errorType: r.errorType, userAgent: userAgent(req) });
      return send(res, r, this.now());
    }
    if (this.options.latencyMs > 0) await delay(this.options.latencyMs);

    const base: Omit<CallEntry, 't' | 'status'> = { operation: route.operation, userAgent: userAgent(req) };
    const fault = this.faults.take(route.operation);
    if (fault === 'reset' || fault === 'stall') {
      this.log.add({ ...base, status: 0, fault });
      if (fault === 'reset') {
        req.socket.destroy();
        return;
      }
      // Never answer; stop() destroys these so the process can exit.
      this.stalled.add(req.socket);
      req.socket.once('close', () => this.stalled.delete(req.socket));
      return;
    }
    if (route.operation === 'ListAccounts' && this.options.hugePageAccounts > 0 && !fault) {
      this.log.add({ ...base, status: 200 });
      return sendHugePage(res, baseHeaders(this.now()), this.options.hugePageAccounts);
    }
    let result: ApiResult;
    if (fault === 'echo') {
      result = echoFault(route.service === 'json' ? 'portal' : route.service, req, rawBody, header(req, portal.BEARER_HEADER));
    } else if (fault && fault !== 'drip') {
      result = faultResponse(route.service, fault);
    } else if (this.bucket && THROTTLED.includes(route.operation) && !this.bucket.tryTake()) {
      result = portalError(429, 'TooManyRequestsException', 'Rate exceeded');
    } else {
      result = this.dispatch(route, req, url, rawBody);
    }
    if (route.service === 'sts') this.trail.record(req, { eventSource: 'sts.amazonaws.com', eventName: route.operation, readOnly: true }, result);
    this.log.add({ ...base, ...result.log, status: result.status, errorType: result.errorType, fault });
    if (fault !== 'drip') return send(res, result, this.now());
    this.stalled.add(req.socket);
    req.socket.once('close', () => this.stalled.delete(req.socket));
    sendDrip(res, result, { ...baseHeaders(this.now()), 'content-type': result.contentType, ...result.headers }, this.options.dripIntervalMs);
  }

  private route(method: string, path: string, url: URL, rawBody: string, target: string | undefined): Route | undefined {
    const r = ROUTES[`${method} ${path}`];
    if (r) return r;
    const json = method === 'POST' ? jsonOperation(target) : undefined;
    if (json) return { service: 'json', operation: json };
    // awsQuery: the action travels in the form body (or the query string for GET).
    if (path === '/' && (method === 'POST' || method === 'GET')) {
      const action = stsParams(method, url, rawBody).get('Action');
      const op = STS_ACTIONS.find((a) => a === action);
      if (op) return { service: 'sts', operation: op };
    }
    return undefined;
  }

  private dispatch(route: Route, req: http.IncomingMessage, url: URL, rawBody: string): ApiResult {
    const token = header(req, portal.BEARER_HEADER);
    const q = url.searchParams;
    switch (route.operation) {
      case 'RegisterClient':
      case 'StartDeviceAuthorization':
      case 'CreateToken': {
        let body: Record<string, unknown>;
        try {
          body = rawBody ? (JSON.parse(rawBody) as Record<string, unknown>) : {};
        } catch {
          return oidcError(400, 'InvalidRequestException', 'Request body is not valid JSON');
        }
        if (route.operation === 'RegisterClient') return oidc.registerClient(this, body);
        if (route.operation === 'StartDeviceAuthorization') return oidc.startDeviceAuthorization(this, body);
        return oidc.createToken(this, body);
      }
      case 'ListAccounts':
        return portal.listAccounts(this, q, token);
      case 'ListAccountRoles':
        return portal.listAccountRoles(this, q, token);
      case 'GetRoleCredentials':
        return portal.getRoleCredentials(this, q, token);
      case 'Logout':
        return portal.logout(this, token);
      case 'GetCallerIdentity':
        return sts.getCallerIdentity(this, header(req, 'authorization'));
      case 'AssumeRole':
        return sts.assumeRole(this, stsParams(req.method ?? 'POST', url, rawBody), header(req, 'authorization'));
      case 'GetAccessKeyLastUsed':
        return sts.getAccessKeyLastUsed(this, stsParams(req.method ?? 'POST', url, rawBody), header(req, 'authorization'));
      default:
        return this.services.handle(route.operation, req, rawBody);
    }
  }

  /** The browser's side of the authorization-code grant (authorize.ts); the log keeps no code or state. */
  private onAuthorize(req: http.IncomingMessage, res: http.ServerResponse, method: string, url: URL, rawBody: string): void {
    const consent = url.pathname === '/authorize/consent';
    const r = !consent
      ? authorize(this, url.searchParams)
      : method === 'POST'
        ? submitConsent(this, new URLSearchParams(rawBody))
        : consentPage(this, url.searchParams.get('request'));
    const operation = !consent ? 'Authorize' : method === 'POST' ? 'AuthorizeSubmit' : 'AuthorizeConsent';
    const errorType = r.location ? (new URL(r.location).searchParams.get('error') ?? undefined) : r.status >= 400 ? 'ErrorPage' : undefined;
    this.log.add({ operation, status: r.status, clientId: r.clientId, errorType, userAgent: userAgent(req) });
    sendBrowser(res, r);
  }

  private onPage(req: http.IncomingMessage, res: http.ServerResponse, method: string, url: URL, rawBody: string): void {
    const isPost = method === 'POST';
    const r = isPost ? submitDevicePage(this, new URLSearchParams(rawBody)) : renderDevicePage(this, url.searchParams.get('user_code'));
    this.log.add({ operation: isPost ? 'VerificationSubmit' : 'VerificationPage', status: r.status, userCode: r.userCode, userAgent: userAgent(req) });
    res.writeHead(r.status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(r.html);
  }
}

function sendBrowser(res: http.ServerResponse, r: BrowserResult): void {
  if (r.location) res.writeHead(r.status, { location: r.location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end();
  else res.writeHead(r.status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(r.html ?? '');
}

function maskSigninToken(target: string): string {
  return target.replace(/([?&]SigninToken=)[^&#]*/, '$1***');
}

function stsParams(method: string, url: URL, rawBody: string): URLSearchParams {
  return method === 'GET' ? url.searchParams : new URLSearchParams(rawBody);
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function userAgent(req: http.IncomingMessage): string | undefined {
  return header(req, 'user-agent') ?? header(req, 'x-amz-user-agent');
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function baseHeaders(now: number): Record<string, string> {
  // The server's own (possibly skewed) clock, as a real service's Date header would carry.
  return { date: new Date(now).toUTCString(), 'x-amzn-requestid': requestId() };
}

function send(res: http.ServerResponse, r: ApiResult, now: number): void {
  const body = Buffer.from(r.body, 'utf8');
  res.writeHead(r.status, { ...baseHeaders(now), 'content-type': r.contentType, 'content-length': String(body.length), ...r.headers });
  res.end(body);
}
