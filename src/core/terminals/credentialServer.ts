// The loopback credential endpoint for integrated terminals: the ECS container-credentials
// contract (`AWS_CONTAINER_CREDENTIALS_FULL_URI` + `AWS_CONTAINER_AUTHORIZATION_TOKEN`) served on
// 127.0.0.1 only, so SDKs and the AWS CLI in a terminal fetch (and re-fetch) role credentials by
// themselves. Node built-ins only. Every binding has its own random path and its own token.
//
// Each refusal has its own status and a JSON {Code, Message} body that never repeats anything the
// client sent: the request checks are in credentialRequests.ts, then the source (503) here.
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Clock, systemClock } from '../common/clock';
import { IdcError, errorName } from '../common/errors';
import { rfc3339 } from '../common/format';
import type { Disposable } from '../common/events';
import { Logger, silentLogger } from '../common/log';
import {
  BindingEntry,
  CredentialSource,
  HOST,
  Refusal,
  RefusalCode,
  SourceTimeout,
  checkRequest,
  digest,
  hasBody,
  responseHeaders,
  sanitizeLabel,
  sanitizeMethod,
  withTimeout,
} from './credentialRequests';
import type { RoleCredentialsSecret } from '../common/model';

export type { CredentialSource };

export interface CredentialBinding extends Disposable {
  /** `http://127.0.0.1:<port>/<random path segment>`: the value of AWS_CONTAINER_CREDENTIALS_FULL_URI. */
  readonly url: string;
  /** 256-bit random, base64url: the value of AWS_CONTAINER_AUTHORIZATION_TOKEN. Secret. */
  readonly token: string;
  /** Names the binding in log lines (e.g. "active role" or "terminal Sandbox/Admin"). Not secret. */
  readonly label: string;
}

/** Protective limits; the defaults suit a handful of terminals on one machine. */
export interface CredentialServerLimits {
  /** Time allowed to send the request line and headers (slowloris defence). */
  headersTimeoutMs: number;
  /** Time allowed to send the whole request. */
  requestTimeoutMs: number;
  /** Idle time after a response before a kept-alive connection is closed. */
  keepAliveTimeoutMs: number;
  /** Idle time on a socket (no bytes either way) before it is closed; keep it above sourceTimeoutMs. */
  idleTimeoutMs: number;
  /** How often Node checks the headers/request timeouts. */
  checkIntervalMs: number;
  /** Largest request head accepted; larger answers 431. */
  maxHeaderSize: number;
  /** Concurrent connections; more are dropped at once. */
  maxConnections: number;
  /** Longest wait for the credential source before answering 503. */
  sourceTimeoutMs: number;
  /** Refusal log lines per minute; the rest are counted and summarised. */
  maxRefusalLogsPerMinute: number;
}

export const DEFAULT_LIMITS: Readonly<CredentialServerLimits> = Object.freeze({
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 5_000,
  keepAliveTimeoutMs: 2_000,
  idleTimeoutMs: 15_000,
  checkIntervalMs: 500,
  maxHeaderSize: 8 * 1024,
  maxConnections: 64,
  sourceTimeoutMs: 10_000,
  maxRefusalLogsPerMinute: 60,
});

export interface CredentialServerOptions {
  log?: Logger;
  /** 0 or absent: a free port chosen by the system. */
  port?: number;
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
  private readonly sockets = new Set<Socket>();
  private readonly allowedHosts: ReadonlySet<string>;
  private disposed = false;
  private refusalWindowStart = 0;
  private refusalLogged = 0;
  private refusalSuppressed = 0;

  private constructor(
    private readonly server: http.Server,
    readonly port: number,
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly limits: CredentialServerLimits,
  ) {
    this.allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
    server.on('request', (req, res) => this.handle(req, res));
    server.on('clientError', (err, socket) => this.onClientError(err as NodeJS.ErrnoException, socket as Socket));
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('drop', () => this.logRefusal(`connection dropped: more than ${limits.maxConnections} open connections`));
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
      // Node's default; spelled out so nobody relaxes it here.
      insecureHTTPParser: false,
    });
    server.maxConnections = limits.maxConnections;
    // Sockets with no traffic either way are destroyed (Node does so when 'timeout' has no listener).
    server.timeout = limits.idleTimeoutMs;
    server.maxRequestsPerSocket = 100;
    await new Promise<void>((resolve, reject) => {
      const onError = (e: Error): void => reject(e);
      server.once('error', onError);
      // Only the IPv4 loopback address: never 0.0.0.0, ::, or a LAN address.
      server.listen({ host: HOST, port: options.port ?? 0, exclusive: true }, () => {
        server.off('error', onError);
        resolve();
      });
    });
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

  bind(label: string, source: CredentialSource): CredentialBinding {
    if (this.disposed) throw new Error('The credential endpoint has been stopped.');
    const path = crypto.randomBytes(24).toString('base64url');
    const token = crypto.randomBytes(32).toString('base64url');
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
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.flushSuppressed();
    this.log.info(`${COMPONENT} stopped`);
  }

  // ---------------------------------------------------------------------------------------------

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    // Never buffer a body: nothing here reads one. A request that announces one is answered and
    // its connection closed, so the unread bytes are not parsed as a next request.
    if (hasBody(req)) res.setHeader('Connection', 'close');
    const refusal = checkRequest(req, this.port, this.allowedHosts, this.bindings);
    if (refusal instanceof Refusal) return this.refuse(res, refusal);
    this.serve(res, refusal).catch((e) => {
      this.log.error(`${COMPONENT} failed answering ${refusal.label} (${errorName(e)})`);
      res.destroy();
    });
  }

  private async serve(res: http.ServerResponse, entry: BindingEntry): Promise<void> {
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
    const body = JSON.stringify({
      AccessKeyId: creds.accessKeyId,
      SecretAccessKey: creds.secretAccessKey,
      Token: creds.sessionToken,
      Expiration: rfc3339(creds.expiration),
      AccountId: creds.accountId,
    });
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

  /** One line per refusal, bounded per minute so a flood cannot flood the log as well. */
  private logRefusal(line: string): void {
    const now = this.clock.now();
    if (now - this.refusalWindowStart >= 60_000) {
      this.flushSuppressed();
      this.refusalWindowStart = now;
      this.refusalLogged = 0;
    }
    if (this.refusalLogged >= this.limits.maxRefusalLogsPerMinute) {
      this.refusalSuppressed++;
      return;
    }
    this.refusalLogged++;
    this.log.warn(`${COMPONENT} ${line}`);
  }

  private flushSuppressed(): void {
    if (this.refusalSuppressed > 0) {
      this.log.warn(`${COMPONENT} ${this.refusalSuppressed} more refusals in the last minute were not logged`);
      this.refusalSuppressed = 0;
    }
  }
}
