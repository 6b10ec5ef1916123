// The credential endpoint's protective limits and their defaults, each set on purpose: see
// connectionGuard.ts for how the connection bounds are used, credentialServer.ts for the rest.

/** Protective limits; the defaults suit a handful of terminals on one machine. */
export interface CredentialServerLimits {
  /** Time allowed from connecting (or the first byte of a next request) to the end of its head: slow or silent clients are cut. */
  headersTimeoutMs: number;
  /** Time allowed to send the whole request (at least headersTimeoutMs). */
  requestTimeoutMs: number;
  /** Idle time after a response before a kept-alive connection is closed. */
  keepAliveTimeoutMs: number;
  /** Idle time on a socket (no bytes either way) before it is closed; keep it above sourceTimeoutMs. */
  idleTimeoutMs: number;
  /** How often Node checks the headers/request timeouts. */
  checkIntervalMs: number;
  /** Largest request head accepted; larger answers 431. */
  maxHeaderSize: number;
  /** Unauthenticated connections before a new one closes the oldest one past graceMs (connectionGuard.ts). */
  maxConnections: number;
  /** Connections in all; at this many the oldest unauthenticated or idle one is closed for a new one. */
  maxSockets: number;
  /** Unauthenticated connections younger than this are not closed for the maxConnections bound. */
  graceMs: number;
  /** Requests on one kept-alive connection before Node closes it. */
  maxRequestsPerSocket: number;
  /** Longest wait for the credential source before answering 503. */
  sourceTimeoutMs: number;
  /** Refusal log lines per minute; the rest are counted and summarised. */
  maxRefusalLogsPerMinute: number;
}

export const DEFAULT_LIMITS: Readonly<CredentialServerLimits> = Object.freeze({
  // SDKs send a request head in one write and give up after 1 s (JS) or 2 s (botocore).
  headersTimeoutMs: 2_000,
  requestTimeoutMs: 3_000,
  keepAliveTimeoutMs: 2_000,
  idleTimeoutMs: 15_000,
  checkIntervalMs: 250,
  maxHeaderSize: 8 * 1024,
  maxConnections: 64,
  maxSockets: 512,
  graceMs: 1_000,
  maxRequestsPerSocket: 100,
  sourceTimeoutMs: 10_000,
  maxRefusalLogsPerMinute: 60,
});

/** Longest an expiration may lie ahead; STS never hands out more than 36 hours (roles: 12). */
export const MAX_LIFETIME_MS = 36 * 3600_000;
