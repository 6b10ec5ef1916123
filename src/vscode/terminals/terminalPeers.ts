// Detects, from what really happens, a terminal whose AWS commands do not use the active role: an
// AWS command (shell integration's command events) during which the endpoint served nothing, and
// a variable in that command's environment (Linux /proc) that wins over ours, set by a shell
// start-up file or direnv after VS Code gave the terminal its variables. The user is told where.
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/events';
import type { Logger } from '../../core/common/log';
import { awsCommandOf } from '../../core/terminals/peerCommands';
import {
  originOf,
  overrideLabel,
  overrideTooltipLine,
  overrideWarning,
  startupFiles,
  winningOverride,
  type ObservedEnvironment,
} from '../../core/terminals/peerOverrides';
import { commandEnvironment } from '../../core/terminals/processEnv';
import { Commands } from '../platform/commandIds';
import { settings } from '../platform/settings';

/** How long after a command ends a late credential fetch still counts (a CLI fetches at its end too). */
const GRACE_MS = 750;
const MAX_STARTUP_FILE_BYTES = 1 << 20;

export interface TerminalPeersOptions {
  /** When terminals' credentials were last served (TerminalEnvironment.lastServedAt). */
  lastServedAt: () => number;
  /** Whether new terminals get the active role now (signed in, a role active). */
  active: () => boolean;
  /** The profile terminals select with AWS_PROFILE, once they do. */
  terminalProfile: () => string | undefined;
  log: Logger;
}

export class TerminalPeers implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** The tooltip lines changed. */
  readonly onDidChange = this.changed.event;
  private readonly notes = new Map<vscode.Terminal, string>();
  private readonly warned = new Set<string>();
  private readonly running = new Map<
    vscode.TerminalShellExecution,
    { terminal: vscode.Terminal; started: number; env: Promise<ObservedEnvironment | undefined> }
  >();
  private readonly disposables = new DisposableStore(this.changed);

  constructor(private readonly o: TerminalPeersOptions) {
    this.disposables.add(
      vscode.window.onDidStartTerminalShellExecution((e) => this.started(e)),
      vscode.window.onDidEndTerminalShellExecution((e) => void this.ended(e)),
      vscode.window.onDidCloseTerminal((t) => {
        for (const [execution, run] of this.running) if (run.terminal === t) this.running.delete(execution);
        if (this.notes.delete(t)) this.changed.fire();
      }),
    );
  }

  /** One tooltip line per terminal whose AWS commands use something else. */
  tooltipLines(): string[] {
    return [...this.notes.values()];
  }

  private started(e: vscode.TerminalShellExecutionStartEvent): void {
    if (settings.terminalMode() !== 'endpoint' || !this.o.active()) return;
    const command = awsCommandOf(e.execution.commandLine.value);
    if (!command || command.ownCredentials) return;
    const started = Date.now();
    // Read while the command runs: its process is gone once it ends.
    const env = Promise.resolve(e.terminal.processId).then(
      (pid) => (pid && process.platform === 'linux' ? commandEnvironment(pid, command.tool) : undefined),
      () => undefined,
    );
    this.running.set(e.execution, { terminal: e.terminal, started, env });
  }

  private async ended(e: vscode.TerminalShellExecutionEndEvent): Promise<void> {
    const run = this.running.get(e.execution);
    if (!run) return;
    this.running.delete(e.execution);
    await new Promise((r) => setTimeout(r, GRACE_MS));
    const name = e.terminal.name;
    if (this.o.lastServedAt() >= run.started) {
      // It reached the endpoint: whatever was noted for this terminal no longer holds.
      if (this.notes.delete(e.terminal)) this.changed.fire();
      return;
    }
    const env = await run.env;
    const override = env && winningOverride(env, this.o.terminalProfile());
    if (!override) {
      this.o.log.info(`[peers] an AWS command in terminal "${name}" did not reach the endpoint; no overriding variable seen in its environment`);
      return;
    }
    const home = os.homedir();
    const cwd = e.execution.cwd?.scheme === 'file' ? e.execution.cwd.fsPath : undefined;
    const files = await Promise.all(startupFiles(home, cwd).map(async (file) => ({ file, text: await smallText(file) })));
    const origin = originOf(files, override.variable);
    this.notes.set(e.terminal, overrideTooltipLine(name, override, origin, home));
    this.changed.fire();
    this.o.log.warn(
      `[peers] terminal "${name}": an AWS command did not reach the endpoint; ${overrideLabel(override)} wins${origin ? ` (set in ${origin.file}:${origin.line})` : ''}`,
    );
    const key = `${name}\0${overrideLabel(override)}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    const show = vscode.l10n.t('Show Terminal Identity');
    const choice = await vscode.window.showWarningMessage(overrideWarning(name, override, origin, home), show);
    if (choice === show) void vscode.commands.executeCommand(Commands.terminalIdentity, e.terminal);
  }

  dispose(): void {
    this.disposables.dispose();
  }
}

/**
 * A start-up file's text, or '' for anything but a small regular file: a cloned repository's
 * .envrc may be a FIFO (a read would never end), a device or a huge file.
 */
async function smallText(file: string): Promise<string> {
  try {
    const handle = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    try {
      const stat = await handle.stat();
      if (!stat.isFile() || stat.size > MAX_STARTUP_FILE_BYTES) return '';
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}
