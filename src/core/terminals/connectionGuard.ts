// Who may hold a connection to the loopback credential endpoint. Any local process can connect
// without the token, so connection slots are never first come, first served: a connection that is
// serving a token-bearing request is never closed to make room; everything else can be.
//
// - At `maxConnections` unauthenticated connections, a new connection closes the oldest one older
//   than `graceMs` (idle, dribbling, refused). Younger ones are spared: in a burst they are the
//   burst's own connections, whose request has not been read yet. Kept-alive connections whose
//   token-bearing requests are answered do not count here: closing them while their client reuses
//   them resets the client's next request (measured: the JS SDK reuses them), so they are left to
//   keepAliveTimeout.
// - At `maxSockets` connections in all, the oldest unauthenticated one goes whatever its age, then
//   the least recently used idle kept-alive one; only when every connection is serving a
//   token-bearing request is the new one refused.
// Unauthenticated connections do not last anyway: Node's headersTimeout cuts one that has not sent
// a whole request head, and every refusal before the token is accepted closes its connection.
import * as http from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionGuardLimits {
  maxConnections: number;
  maxSockets: number;
  graceMs: number;
}

export class ConnectionGuard {
  /** Connections that have not presented a valid token, oldest first, with when they connected. */
  private readonly unauthenticated = new Map<Socket, number>();
  /** Kept-alive connections whose token-bearing requests are answered, least recently used first. */
  private readonly idle = new Set<Socket>();
  /** Connections serving token-bearing requests, with how many (pipelined) are in flight. */
  private readonly serving = new Map<Socket, number>();

  constructor(
    private readonly limits: ConnectionGuardLimits,
    private readonly now: () => number,
    private readonly onClosed: (reason: string) => void,
  ) {}

  get size(): number {
    return this.unauthenticated.size + this.idle.size + this.serving.size;
  }

  /** A new connection: makes room for it, or closes it when every slot is serving a token-bearing request. */
  admit(socket: Socket): void {
    socket.once('close', () => this.forget(socket));
    if (this.unauthenticated.size >= this.limits.maxConnections) {
      const victim = this.oldestUnauthenticated(this.now() - this.limits.graceMs);
      if (victim) this.close(victim, `more than ${this.limits.maxConnections} unauthenticated connections`);
    }
    if (this.size >= this.limits.maxSockets) {
      const victim = this.oldestUnauthenticated(Infinity) ?? this.oldestIdle();
      if (!victim) {
        socket.destroy();
        this.onClosed(`connection dropped: ${this.limits.maxSockets} connections are serving credentials`);
        return;
      }
      this.close(victim, `more than ${this.limits.maxSockets} open connections`);
    }
    this.unauthenticated.set(socket, this.now());
  }

  /** A request on `socket` presented a valid token: the connection is kept until it is answered. */
  authorised(socket: Socket, res: http.ServerResponse): void {
    this.unauthenticated.delete(socket);
    this.idle.delete(socket);
    this.serving.set(socket, (this.serving.get(socket) ?? 0) + 1);
    res.once('close', () => {
      const left = (this.serving.get(socket) ?? 1) - 1;
      if (left > 0) return void this.serving.set(socket, left);
      this.serving.delete(socket);
      if (!socket.destroyed) this.idle.add(socket);
    });
  }

  dispose(): void {
    for (const socket of [...this.unauthenticated.keys(), ...this.idle, ...this.serving.keys()]) socket.destroy();
    this.unauthenticated.clear();
    this.idle.clear();
    this.serving.clear();
  }

  private oldestUnauthenticated(connectedBy: number): Socket | undefined {
    const first = this.unauthenticated.entries().next();
    return !first.done && first.value[1] <= connectedBy ? first.value[0] : undefined;
  }

  private oldestIdle(): Socket | undefined {
    const first = this.idle.values().next();
    return first.done ? undefined : first.value;
  }

  private close(socket: Socket, why: string): void {
    const kind = this.unauthenticated.has(socket) ? 'an unauthenticated' : 'an idle kept-alive';
    this.forget(socket);
    socket.destroy();
    this.onClosed(`closed ${kind} connection: ${why}`);
  }

  private forget(socket: Socket): void {
    this.unauthenticated.delete(socket);
    this.idle.delete(socket);
    this.serving.delete(socket);
  }
}
