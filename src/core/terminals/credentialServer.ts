// The loopback credential endpoint for integrated terminals: the ECS container-credentials
// contract (`AWS_CONTAINER_CREDENTIALS_FULL_URI` + `AWS_CONTAINER_AUTHORIZATION_TOKEN`) served on
// 127.0.0.1 only, so SDKs and the AWS CLI in a terminal fetch (and re-fetch) role credentials by
// themselves. Node built-ins only. Every binding has its own random path and its own token.
//
// Each refusal has its own status and a JSON {Code, Message} body that never repeats anything the
// client sent: the request checks are in credentialRequests.ts, then the source (503) here. Any
// local process can connect without the token: connectionGuard.ts decides who keeps a connection,
// and every refusal before the token is accepted closes its connection.
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Clock, systemClock } from '../common/clock';
import { IdcError, errorName } from '../common/errors';
import type { Disposable } from '../common/events';
import { Logger, silentLogger } from '../common/log';
import { ConnectionGuard } from './connectionGuard';
import {
  BindingEntry,
  CredentialSource,
  HOST,
  MAX_HEADERS_READ,
  Refusal,
  RefusalCode,
  SourceTimeout,
  checkRequest,
  credentialsBody,
  digest,
  hasBody,
  responseHeaders,
  sanitizeLabel,
  sanitizeMethod,
  wantsProcessFormat,
  withTimeout,
} from './credentialRequests';
import type { RoleCredentialsSecret } from '../common/model';
import { RefusalLog } from './refusalLog';
import { CredentialServerLimits, DEFAULT_LIMITS, MAX_LIFETIME_MS } from './serverLimits';

export type { CredentialSource };

export interface CredentialBinding extends Disposable {
  /** `http://127.0.0.1:<port>/<random path segment>`: the value of AWS_CONTAINER_CREDENTIALS_FULL_URI. */
  readonly url: string;
  /** 256-bit random, base64url: the value of AWS_CONTAINER_AUTHORIZATION_TOKEN. Secret. */
  readonly token: string;
  /** Names the binding in log lines (e.g. "active role" or "terminal Sandbox/Admin"). Not secret. */
  readonly label: string;
}

export { DEFAULT_LIMITS };
export type { CredentialServerLimits };

export interface CredentialServerOptions {
  log?: Logger;
  /** 0 or absent: a free port chosen by the system. */
  port?: number;
  /** Tried first (the port of this window's last endpoint); when taken, a free port instead. */
  preferredPort?: number;
  clock?: Clock;
  limits?: Partial<CredentialServerLimits>;
}

const COMPONENT = '[credentialServer]';
const GENERIC_UNAVAILABLE =
  "AWS credentials are not available right now. If you are signed out, run 'AWS Identity Center: Sign In' in VS Code; " +
  "otherwise see 'AWS Identity Center: Show Log' for details.";
export type { RefusalCode };

export class CredentialServer implements Disposable {
  private readonly bindings = new Map<string, BindingEntry>();
  private readonly guard: ConnectionGuard;
  private readonly refusals: RefusalLog;
  private readonly allowedHosts: ReadonlySet<string>;
  private disposed = false;

  private constructor(
    private readonly server: http.Server,
    readonly port: number,
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly limits: CredentialServerLimits,
  ) {
    this.allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
    this.refusals = new RefusalLog(log, clock, COMPONENT, limits.maxRefusalLogsPerMinute);
    this.guard = new ConnectionGuard(
      limits,
      () => clock.now(),
      (line) => this.logRefusal(line),
    );
    server.on('request', (req, res) => this.handle(req, res));
    server.on('clientError', (err, socket) => this.onClientError(err as NodeJS.ErrnoException, socket as Socket));
    server.on('connection', (socket: Socket) => this.guard.admit(socket));
    server.on('drop', () => this.logRefusal(`connection dropped: more than ${server.maxConnections} sockets`));
  }

  static async start(options: CredentialServerOptions = {}): Promise<CredentialServer> {
    const limits: CredentialServerLimits = { ...DEFAULT_LIMITS, ...options.limits };
    const log = options.log ?? silentLogger;
    const server = http.createServer({
      maxHeaderSize: limits.maxHeaderSize,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
      // Node's defaults; spelled out so nobody relaxes them here. Duplicates are refused anyway.
      insecureHTTPParser: false,
      joinDuplicateHeaders: false,
    });
    // Enough to see that there were too many (refused 431 in credentialRequests.ts).
    server.maxHeadersCount = MAX_HEADERS_READ;
    // The guard bounds connections; this is a backstop on file descriptors, counting closing sockets too.
    server.maxConnections = 2 * limits.maxSockets;
    // Sockets with no traffic either way are destroyed (Node does so when 'timeout' has no listener).
    server.timeout = limits.idleTimeoutMs;
    server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
    const listen = (port: number): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        const onError = (e: Error): void => reject(e);
        server.once('error', onError);
        // Only the IPv4 loopback address: never 0.0.0.0, ::, or a LAN address.
        server.listen({ host: HOST, port, exclusive: true }, () => {
          server.off('error', onError);
          resolve();
        });
      });
    const preferred = options.preferredPort;
    if (preferred && Number.isInteger(preferred) && preferred > 0 && preferred < 65536) {
      try {
        await listen(preferred);
      } catch (e) {
        log.info(`${COMPONENT} port ${preferred} is taken (${errorName(e)}); listening on another`);
        await listen(options.port ?? 0);
      }
    } else {
      await listen(options.port ?? 0);
    }
    server.unref();
    // After listening, errors such as EMFILE on accept must not crash the extension host.
    server.on('error', (e: NodeJS.ErrnoException) => log.error(`${COMPONENT} server error (${e.code ?? e.name})`));
    const address = server.address() as AddressInfo;
    if (address.address !== HOST) {
      server.close();
      throw new Error(`The credential endpoint bound ${address.address} instead of ${HOST}.`);
    }
    const instance = new CredentialServer(server, address.port, log, options.clock ?? systemClock, limits);
    instance.log.info(`${COMPONENT} listening on ${HOST}:${address.port}`);
    return instance;
  }

  /** Address actually bound (for tests and diagnostics). */
  address(): AddressInfo {
    return this.server.address() as AddressInfo;
  }

  /** Number of live bindings. */
  get bindingCount(): number {
    return this.bindings.size;
  }

  /** `identity`: the caller's path and token (the same again after a reload: endpointIdentity.ts); else random. */
  bind(label: string, source: CredentialSource, identity?: { path: string; token: string }): CredentialBinding {
    if (this.disposed) throw new Error('The credential endpoint has been stopped.');
    const path = identity?.path ?? crypto.randomBytes(24).toString('base64url');
    const token = identity?.token ?? crypto.randomBytes(32).toString('base64url');
    if (this.bindings.has(path)) throw new Error('The credential endpoint already has a binding at that path.');
    const safeLabel = sanitizeLabel(label);
    const entry: BindingEntry = { label: safeLabel, tokenDigest: digest(token), source, revoked: false };
    this.bindings.set(path, entry);
    this.log.info(`${COMPONENT} bound ${safeLabel}`);
    return {
      url: `http://${HOST}:${this.port}/${path}`,
      token,
      label: safeLabel,
      dispose: () => {
        if (entry.revoked) return;
        entry.revoked = true;
        this.bindings.delete(path);
        this.log.info(`${COMPONENT} revoked ${safeLabel}`);
      },
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const entry of this.bindings.values()) entry.revoked = true;
    this.bindings.clear();
    this.server.close();
    this.server.closeAllConnections();
    this.guard.dispose();
    this.refusals.flush();
    this.log.info(`${COMPONENT} stopped`);
  }

  // ---------------------------------------------------------------------------------------------

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    // Never buffer a body: nothing here reads one. A request that announces one is answered and
    // its connection closed, so the unread bytes are not parsed as a next request.
    if (hasBody(req)) res.setHeader('Connection', 'close');
    const refusal = checkRequest(req, this.port, this.allowedHosts, this.bindings);
    if (refusal instanceof Refusal) {
      // Not authenticated: nothing this client sends next on the connection is worth waiting for.
      res.setHeader('Connection', 'close');
      return this.refuse(res, refusal);
    }
    this.guard.authorised(req.socket, res);
    this.serve(res, refusal, wantsProcessFormat(req.url)).catch((e) => {
      this.log.error(`${COMPONENT} failed answering ${refusal.label} (${errorName(e)})`);
      if (res.headersSent) return void res.destroy();
      this.refuse(res, new Refusal(503, 'CredentialsUnavailable', GENERIC_UNAVAILABLE, 'internal error', refusal.label));
    });
  }

  private async serve(res: http.ServerResponse, entry: BindingEntry, processFormat: boolean): Promise<void> {
    let creds: RoleCredentialsSecret;
    try {
      creds = await withTimeout(entry.source(), this.limits.sourceTimeoutMs);
    } catch (e) {
      const message =
        e instanceof IdcError
          ? e.message
          : e instanceof SourceTimeout
            ? `Timed out getting AWS credentials for ${entry.label}. Try again in a moment.`
            : GENERIC_UNAVAILABLE;
      return this.refuse(res, new Refusal(503, 'CredentialsUnavailable', message, `credential source failed (${errorName(e)})`, entry.label));
    }
    if (entry.revoked) return this.refuse(res, new Refusal(404, 'NotFound', 'Not found.', 'binding revoked while fetching', entry.label));
    const now = this.clock.now();
    // A Date cannot hold 1e16 (rfc3339 would throw); far-future or non-numbers mean a broken source.
    if (typeof creds.expiration !== 'number' || Number.isNaN(creds.expiration) || creds.expiration - now > MAX_LIFETIME_MS) {
      return this.refuse(
        res,
        new Refusal(503, 'CredentialsUnavailable', GENERIC_UNAVAILABLE, 'credential source returned an expiration out of range', entry.label),
      );
    }
    if (!(creds.expiration > now)) {
      return this.refuse(
        res,
        new Refusal(
          503,
          'CredentialsUnavailable',
          `The AWS credentials for ${entry.label} have expired and could not be refreshed. See 'AWS Identity Center: Show Log' in VS Code.`,
          'credential source returned expired credentials',
          entry.label,
        ),
      );
    }
    const body = credentialsBody(creds, processFormat);
    if (res.destroyed) return;
    res.writeHead(200, responseHeaders(body));
    res.end(body);
    this.log.trace(`${COMPONENT} served ${entry.label} (${creds.accountId}/${creds.roleName}, ${Math.round((creds.expiration - now) / 1000)}s left)`);
  }

  private refuse(res: http.ServerResponse, refusal: Refusal): void {
    this.logRefusal(`refused ${refusal.status} ${refusal.code}: ${refusal.reason}${refusal.label ? ` (binding ${refusal.label})` : ''}`);
    if (res.destroyed || res.headersSent) return;
    const body = JSON.stringify({ Code: refusal.code, Message: refusal.message });
    const headers = responseHeaders(body);
    if (refusal.status === 405) headers['Allow'] = 'GET';
    res.writeHead(refusal.status, headers);
    res.end(body);
  }

  private onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
    const [status, code, message]: [number, RefusalCode, string] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'RequestHeaderFieldsTooLarge', 'Request headers are too large.']
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'RequestTimeout', 'The request took too long to arrive.']
          : [400, 'BadRequest', 'Bad request.'];
    if (err.code !== 'ECONNRESET' && !this.disposed)
      this.logRefusal(`refused ${status} ${code}: malformed or slow request (${sanitizeMethod(err.code ?? 'error')})`);
    const pending = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !pending?.headersSent) {
      const body = JSON.stringify({ Code: code, Message: message });
      socket.end(
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json\r\nCache-Control: no-store\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      // end() half-closes; do not wait on a client that never reads.
      setTimeout(() => socket.destroy(), 1_000).unref();
    } else {
      socket.destroy();
    }
  }

  private logRefusal(line: string): void {
    this.refusals.line(line);
  }
}
