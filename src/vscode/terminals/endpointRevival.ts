// Terminals outlive the extension host: after a reload the pty host revives their shells with the
// old AWS_CONTAINER_CREDENTIALS_FULL_URI. This window's endpoint therefore takes its last port back
// first and serves the active role at the same path and token (endpointIdentity.ts), so those shells
// keep working. If the port is someone else's now, the token is rotated (it may have reached them),
// and every revived terminal of ours is named to the user so it is restarted: VS Code marks it stale
// too, since the collection changed. The record (port, window id, epoch, terminal pids) is in
// workspaceState (the user's storage, out of any repository's reach); the key only in the secrets.
import * as vscode from 'vscode';
import type { Logger } from '../../core/common/log';
import { SECRET_KEYS, STATE_KEYS } from '../../core/common/storageKeys';
import type { SecretStore } from '../../core/common/stores';
import type { CredentialServer } from '../../core/terminals/credentialServer';
import { sanitizeLabel } from '../../core/terminals/credentialRequests';
import {
  MAX_REMEMBERED_TERMINALS,
  RememberedEndpoint,
  RememberedTerminal,
  deriveIdentity,
  newEndpointKey,
  newWindowId,
  parseRemembered,
  terminalsToTell,
} from '../../core/terminals/endpointIdentity';

export interface EndpointRevivalOptions {
  /** context.workspaceState. */
  state: vscode.Memento;
  /** The guarded secret storage (a stale window's write is refused). */
  secrets: SecretStore;
  log: Logger;
  start: (preferredPort?: number) => Promise<CredentialServer>;
  /** How long after the endpoint starts revived terminals are looked for (they reconnect around activation). */
  settleMs?: number;
}

/** Revived terminals can reattach well after activation (measured: over 2 s in code-server 1.100). */
const LATE_REVIVAL_MS = 60_000;

export interface RevivalHooks {
  /**
   * Pushes the terminal collection again. VS Code compares a revived terminal's environment with the
   * collection only when the collection changes after the terminal reattached; ours may have been
   * set before, so it is pushed again once they are there, and VS Code marks them stale.
   */
  reapplyCollection(): void;
}

export class EndpointRevival implements vscode.Disposable {
  private readonly previous: RememberedEndpoint | undefined;
  private readonly record: RememberedEndpoint;
  private serverPromise: Promise<CredentialServer> | undefined;
  private keyPromise: Promise<string | undefined> | undefined;
  /** Terminals given our endpoint, by object: a relaunch changes the pid, not the object. `stalePid`: told, not yet relaunched. */
  private readonly tracked = new Map<vscode.Terminal, { kind: RememberedTerminal['kind']; stalePid?: number }>();
  private saving: Promise<void> = Promise.resolve();
  private recheck: NodeJS.Timeout | undefined;
  private written = '';
  private readonly disposables: vscode.Disposable[] = [];
  private hooks: RevivalHooks | undefined;

  constructor(private readonly o: EndpointRevivalOptions) {
    this.previous = parseRemembered(o.state.get(STATE_KEYS.endpoint));
    this.record = this.previous ? { ...this.previous, terminals: [] } : { port: 0, windowId: newWindowId(), epoch: 0, terminals: [] };
    this.disposables.push(
      vscode.window.onDidCloseTerminal((t) => {
        if (this.tracked.delete(t)) void this.save();
      }),
      // A relaunch (after the stale marker) gives the same terminal a new shell: its pid is looked up again.
      vscode.window.onDidChangeActiveTerminal(() => this.tracked.size && void this.save()),
    );
  }

  /** The terminal environment, once it exists (it is built with this object). */
  connect(hooks: RevivalHooks): void {
    this.hooks = hooks;
  }

  /** Terminals of the last extension host may be alive: the endpoint should take its port back at once. */
  get hasRevivable(): boolean {
    return !!this.previous?.terminals.length;
  }

  server(): Promise<CredentialServer> {
    this.serverPromise ??= this.startServer();
    this.serverPromise.catch(() => (this.serverPromise = undefined));
    return this.serverPromise;
  }

  /** The active-role binding's path and token: the same after a reload, new after rotate(). */
  async identity(): Promise<{ path: string; token: string } | undefined> {
    return deriveIdentity(await this.key(), this.record.windowId, this.record.epoch);
  }

  /** The active binding was revoked on purpose (sign-out, mode off): its token is never used again. */
  rotate(): void {
    this.record.epoch++;
    void this.save();
  }

  /** A terminal started with our endpoint in its environment; bound ones lose their binding on reload. */
  track(terminal: vscode.Terminal, kind: 'active' | 'bound'): void {
    if (this.tracked.get(terminal)?.kind === 'bound') return;
    this.tracked.set(terminal, { kind });
    void this.save();
  }

  dispose(): void {
    clearTimeout(this.recheck);
    for (const d of this.disposables) d.dispose();
    void this.serverPromise?.then(
      (s) => s.dispose(),
      () => undefined,
    );
  }

  private async startServer(): Promise<CredentialServer> {
    const server = await this.o.start(this.previous?.port);
    const kept = !!this.previous && server.port === this.previous.port;
    // The old token may have been sent to whoever holds the old port now: never accept it again.
    if (this.previous && !kept) this.record.epoch = this.previous.epoch + 1;
    this.record.port = server.port;
    await this.save();
    if (this.previous?.terminals.length) setTimeout(() => this.watchRevived(kept), this.o.settleMs ?? 1_000);
    return server;
  }

  /** Revived terminals now, then those that reattach later (within LATE_REVIVAL_MS), in batches. */
  private watchRevived(kept: boolean): void {
    const pending = new Set<vscode.Terminal>(vscode.window.terminals);
    let timer: NodeJS.Timeout | undefined;
    const flush = (): void => {
      const batch = [...pending];
      pending.clear();
      void this.handleRevived(batch, kept);
    };
    const late = vscode.window.onDidOpenTerminal((t) => {
      pending.add(t);
      clearTimeout(timer);
      timer = setTimeout(flush, 1_000);
    });
    this.disposables.push(late);
    setTimeout(() => late.dispose(), LATE_REVIVAL_MS).unref?.();
    flush();
  }

  private readonly handled = new Set<number>();

  private async handleRevived(terminals: readonly vscode.Terminal[], kept: boolean): Promise<void> {
    const previous = this.previous!.terminals;
    const alive = new Map<number, vscode.Terminal>();
    for (const t of terminals) {
      const pid = await t.processId;
      if (pid && !this.handled.has(pid) && previous.some((p) => p.pid === pid)) alive.set(pid, t);
    }
    if (!alive.size) return;
    for (const pid of alive.keys()) this.handled.add(pid);
    const revived = previous.filter((t) => alive.has(t.pid));
    const tell = terminalsToTell(revived, new Set(alive.keys()), kept);
    // Revived terminals stay remembered for the next reload: those told once they are relaunched.
    for (const t of revived) {
      const terminal = alive.get(t.pid)!;
      if (!this.tracked.has(terminal)) this.tracked.set(terminal, { kind: t.kind, stalePid: tell.includes(t) ? t.pid : undefined });
    }
    await this.save();
    const working = revived.length - tell.length;
    if (kept && working) this.o.log.info(`[terminal] the endpoint took its port back: ${working} revived terminal(s) keep their credentials`);
    if (!tell.length) return;
    const names = tell.map((t) => `"${sanitizeLabel(alive.get(t.pid)?.name ?? t.name)}"`).join(', ');
    this.o.log.warn(
      `[terminal] could not restore the endpoint for ${names} after the reload (${kept ? 'their bindings to one role are gone' : `port ${this.previous!.port} is taken by another program`})`,
    );
    if (!kept) this.hooks?.reapplyCollection();
    void vscode.window.showWarningMessage(revivedMessage(names, tell.length, kept));
  }

  private key(): Promise<string | undefined> {
    this.keyPromise ??= (async () => {
      try {
        const existing = await this.o.secrets.get(SECRET_KEYS.endpointKey);
        if (existing) return existing;
        const key = newEndpointKey();
        await this.o.secrets.store(SECRET_KEYS.endpointKey, key);
        return key;
      } catch (e) {
        // A stale window cannot write the secrets: its terminals get random tokens (not restorable).
        this.o.log.info(`[terminal] no endpoint key (${(e as Error).name}); terminals of this window are not restorable after a reload`);
        return undefined;
      }
    })();
    return this.keyPromise;
  }

  /** Writes the record with the tracked terminals' current pids; one write after another. */
  private save(): Promise<void> {
    this.saving = this.saving
      .then(async () => {
        const terminals: RememberedTerminal[] = [];
        for (const [terminal, t] of this.tracked) {
          const pid = await terminal.processId;
          if (pid && t.stalePid && pid !== t.stalePid) {
            t.stalePid = undefined; // relaunched: it has our current endpoint
            this.o.log.info(`[terminal] "${sanitizeLabel(terminal.name)}" was relaunched: it has the current endpoint`);
          }
          if (pid && pid !== t.stalePid) terminals.push({ pid, name: sanitizeLabel(terminal.name), kind: t.kind });
        }
        this.record.terminals = terminals.slice(-MAX_REMEMBERED_TERMINALS);
        // A relaunch fires no event: while a told terminal is not relaunched yet, look again shortly.
        clearTimeout(this.recheck);
        if ([...this.tracked.values()].some((t) => t.stalePid)) this.recheck = setTimeout(() => void this.save(), 10_000);
        const json = JSON.stringify(this.record);
        if (this.record.port && json !== this.written) await this.o.state.update(STATE_KEYS.endpoint, { ...this.record });
        this.written = json;
      })
      .catch((e) => this.o.log.warn(`[terminal] could not remember the endpoint (${(e as Error).name})`));
    return this.saving;
  }
}

/** What the user is told about revived terminals without credentials, as whole sentences. */
function revivedMessage(names: string, count: number, kept: boolean): string {
  const comment = ['{0}: quoted terminal names, e.g. "bash"; "Terminal: Relaunch Active Terminal" is a VS Code command title'];
  if (kept)
    return count === 1
      ? vscode.l10n.t({
          message:
            'The AWS credentials of the terminal {0} (bound to one role) could not be restored after the window reloaded. Close it and open a new terminal for that role.',
          args: [names],
          comment,
        })
      : vscode.l10n.t({
          message:
            'The AWS credentials of the terminals {0} (each bound to one role) could not be restored after the window reloaded. Close them and open a new terminal for each role.',
          args: [names],
          comment,
        });
  return count === 1
    ? vscode.l10n.t({
        message:
          'The AWS credentials of the terminal {0} could not be restored after the window reloaded: another program now uses its endpoint port. Relaunch it (Terminal: Relaunch Active Terminal) before running AWS commands there.',
        args: [names],
        comment,
      })
    : vscode.l10n.t({
        message:
          'The AWS credentials of the terminals {0} could not be restored after the window reloaded: another program now uses their endpoint port. Relaunch them (Terminal: Relaunch Active Terminal) before running AWS commands there.',
        args: [names],
        comment,
      });
}
