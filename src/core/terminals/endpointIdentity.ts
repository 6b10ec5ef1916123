// What a window remembers about its credential endpoint so terminals that survive a reload (the pty
// host keeps their shells, and with them AWS_CONTAINER_CREDENTIALS_FULL_URI) find it again: the
// port, which terminals got it, and a window id and epoch. No secret is kept in that record: the
// path and token of the active-role binding are derived from a random key that lives only in the
// editor's secret storage (HMAC-SHA256 of window id and epoch), so the same URL and token come back
// after a reload, and a new epoch (sign-out, or the port lost to someone else) makes new ones.
import * as crypto from 'node:crypto';

export interface RememberedTerminal {
  /** The shell's process id: a revived terminal keeps it. */
  pid: number;
  /** Its name when it opened (the log says which terminals; the current name is shown). */
  name: string;
  /** 'active': follows the active-role binding; 'bound': a terminal bound to one role (its binding does not survive). */
  kind: 'active' | 'bound';
}

export interface RememberedEndpoint {
  port: number;
  windowId: string;
  epoch: number;
  terminals: RememberedTerminal[];
}

/** More are forgotten oldest first: the record stays small. */
export const MAX_REMEMBERED_TERMINALS = 64;

export function newWindowId(): string {
  return crypto.randomBytes(12).toString('base64url');
}

export function newEndpointKey(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** The record as stored, or undefined when anything in it is not what we wrote. */
export function parseRemembered(raw: unknown): RememberedEndpoint | undefined {
  const r = raw as Partial<RememberedEndpoint> | undefined;
  if (!r || typeof r !== 'object') return undefined;
  if (!Number.isInteger(r.port) || r.port! < 1 || r.port! > 65535) return undefined;
  if (typeof r.windowId !== 'string' || !/^[\w-]{8,64}$/.test(r.windowId)) return undefined;
  if (!Number.isInteger(r.epoch) || r.epoch! < 0) return undefined;
  const terminals = (Array.isArray(r.terminals) ? r.terminals : [])
    .filter(
      (t): t is RememberedTerminal => !!t && Number.isInteger(t.pid) && t.pid > 0 && typeof t.name === 'string' && (t.kind === 'active' || t.kind === 'bound'),
    )
    .slice(-MAX_REMEMBERED_TERMINALS)
    .map((t) => ({ pid: t.pid, name: t.name.slice(0, 120), kind: t.kind }));
  return { port: r.port!, windowId: r.windowId, epoch: r.epoch!, terminals };
}

/** The active-role binding's path and token for this window and epoch; undefined without a usable key. */
export function deriveIdentity(key: string | undefined, windowId: string, epoch: number): { path: string; token: string } | undefined {
  if (!key || key.length < 40) return undefined;
  const mac = (what: string) => crypto.createHmac('sha256', key).update(`${what}\n${windowId}\n${epoch}`).digest();
  return { path: mac('path').subarray(0, 24).toString('base64url'), token: mac('token').toString('base64url') };
}

/**
 * Which revived terminals must be restarted: all of ours when the old port was lost (their URL now
 * points at a port that may be someone else's), else those bound to one role (their binding is gone).
 */
export function terminalsToTell(remembered: readonly RememberedTerminal[], revivedPids: ReadonlySet<number>, portKept: boolean): RememberedTerminal[] {
  return remembered.filter((t) => revivedPids.has(t.pid) && (!portKept || t.kind === 'bound'));
}
