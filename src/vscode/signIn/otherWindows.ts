// Sign-ins made in another window. Where the host shares secrets between windows they arrive by
// themselves (onDidChange). Where it keeps a copy per window (VS Code for the Web, code-server),
// this window cannot read the other window's sign-in until it reloads: it offers that one click
// when the other window signed in or out, and Sign In here reloads instead of starting a second
// device authorization.
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/events';
import type { Logger } from '../../core/common/log';
import { SECRET_KEYS } from '../../core/common/storageKeys';
import type { Portals } from '../../core/signIn/portals';
import type { SecretsSignal, WindowSecrets } from '../../core/signIn/windowSecrets';

export class OtherWindows implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private offered: number | undefined;
  /** Messages shown, for tests. */
  readonly shown: string[] = [];

  constructor(
    private readonly secrets: WindowSecrets,
    private readonly portals: Portals,
    private readonly log: Logger,
  ) {
    this.disposables.add(secrets.onDidChangeStale((s) => void this.offer(s)));
  }

  /**
   * Called by Sign In before a device flow: true when the sign-in of another window was taken
   * instead (read again now, or the window reloads to read it).
   */
  async adoptInstead(startUrl?: string): Promise<boolean> {
    const stale = await this.secrets.check();
    if (!stale) {
      // Shared secrets whose change was not broadcast: a sign-in that is already there is taken.
      const before = this.portals.signedIn.length;
      await this.portals.reload();
      return this.portals.signedIn.length > before && (!startUrl || this.portals.isSignedIn(startUrl));
    }
    this.log.info('[signIn] another window changed the sign-in; reloading this window to use it instead of a new device authorization');
    void vscode.commands.executeCommand('workbench.action.reloadWindow'); // ends this extension host
    return true;
  }

  private async offer(signal: SecretsSignal): Promise<void> {
    // Only sign-ins and sign-outs are worth a message; a token refreshed elsewhere is not.
    if (signal.signIn === undefined || this.offered === signal.generation) return;
    // The portal whose token changed (its key ends with the portal id); any portal for an older key.
    const prefix = `${SECRET_KEYS.token}:`;
    const key = signal.signInKey ?? signal.key;
    const portal = key.startsWith(prefix) ? key.slice(prefix.length) : undefined;
    const here = portal ? this.portals.session(portal)?.state.kind === 'signedIn' : this.portals.summary === 'signedIn';
    if (here === !!signal.signIn) return;
    this.offered = signal.generation;
    const message = signal.signIn
      ? vscode.l10n.t({
          message: 'You signed in to {0} in another window. Reload this window to use that sign-in here.',
          args: [signal.signIn.startUrl],
          comment: ['{0} is the AWS access portal URL'],
        })
      : vscode.l10n.t('You signed out in another window. Reload this window to follow.');
    this.shown.push(message);
    const reload = vscode.l10n.t('Reload Window');
    if ((await vscode.window.showInformationMessage(message, reload)) === reload) await vscode.commands.executeCommand('workbench.action.reloadWindow');
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
