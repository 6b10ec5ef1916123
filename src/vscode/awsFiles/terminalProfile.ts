// The terminal profile ([profile awsidc-terminal] in the AWS config file) terminals select with
// AWS_PROFILE, so a [default] key or profile cannot sign instead of the active role. Written when
// terminals first get credentials (endpoint or env mode); the first time that changes the user's file, the
// user is told once what was added, where, and why. Removed by the uninstall hook (src/uninstall.ts).
import * as vscode from 'vscode';
import { awsConfigPath } from '../../core/awsFiles/awsConfigRead';
import { defaultScriptDir, ensureTerminalProfile, TERMINAL_PROFILE, terminalProfileSupported } from '../../core/awsFiles/terminalProfile';
import type { Logger } from '../../core/common/log';

const NOTICE_SHOWN = 'awsIdc.terminalProfileNoticeShown';

export class TerminalProfileSetup implements vscode.Disposable {
  private ensuring: Promise<string | undefined> | undefined;
  // Each new terminal selects the profile: if something rewrote the config file without our
  // section since (an editor, a dotfiles sync, `aws configure`), it is put back before the terminal's
  // first command, or every CLI there would fail with "config profile could not be found".
  private readonly onOpen = vscode.window.onDidOpenTerminal(() => this.current && void this.recheck());
  /** The profile terminals select, once it is in place; undefined before (or when it could not be written). */
  current: string | undefined;
  private warned = false;

  constructor(
    private readonly globalState: vscode.Memento,
    private readonly log: Logger,
  ) {}

  /** Makes sure the profile exists; resolves to its name, or undefined when the file could not be safely edited. */
  ensure(): Promise<string | undefined> {
    // The credential_process script is POSIX sh: on Windows it would make every CLI fail, so terminals there keep the endpoint alone.
    if (!terminalProfileSupported()) return Promise.resolve(undefined);
    this.ensuring ??= this.settle(this.write());
    return this.ensuring;
  }

  /** Writes the section again if it went missing (only reads the file when it is there). */
  private recheck(): void {
    const before = this.ensuring ?? Promise.resolve(undefined);
    this.ensuring = this.settle(before.then(() => this.write()));
  }

  private settle(writing: Promise<string | undefined>): Promise<string | undefined> {
    const settled: Promise<string | undefined> = writing.then((profile) => {
      // A failure is retried on the next update (the user may have fixed the file).
      if (!profile && this.ensuring === settled) this.ensuring = undefined;
      this.current = profile;
      return profile;
    });
    return settled;
  }

  dispose(): void {
    this.onOpen.dispose();
  }

  private async write(): Promise<string | undefined> {
    const configFile = awsConfigPath();
    try {
      const { configChanged } = await ensureTerminalProfile({ configFile, scriptDir: defaultScriptDir(), log: this.log });
      // The notice is about the user's file: a script update alone says nothing.
      if (configChanged && !this.globalState.get<boolean>(NOTICE_SHOWN)) {
        await this.globalState.update(NOTICE_SHOWN, true);
        const message = vscode.l10n.t({
          message:
            'So that terminals sign as the role the status bar shows, even with a [default] key or profile on this machine, [profile {0}] was added to {1} and terminals select it with AWS_PROFILE. It holds nothing secret: its credential_process asks VS Code for the active role\'s short-lived credentials. "--profile" on a command still chooses another profile, and uninstalling the extension removes it.',
          args: [TERMINAL_PROFILE, configFile],
          comment: [
            '{0}: a profile name (awsidc-terminal); {1}: the AWS config file path. [profile …], [default], AWS_PROFILE, credential_process and --profile stay as they are.',
          ],
        });
        this.log.info(`[terminalProfile] ${message}`);
        void vscode.window.showInformationMessage(message);
      }
      return TERMINAL_PROFILE;
    } catch (e) {
      // The error names the file and what is wrong with it; it holds no secret.
      this.log.warn(`[terminalProfile] terminals do not select [profile ${TERMINAL_PROFILE}]: ${(e as Error).message}`);
      if (!this.warned) {
        this.warned = true;
        void vscode.window.showWarningMessage(
          vscode.l10n.t({
            message:
              '[profile {0}] could not be added to the AWS config file ({1}), so a [default] key or profile there may sign in terminals instead of the active role.',
            args: [TERMINAL_PROFILE, (e as Error).message],
            comment: ['{0}: a profile name; {1}: why the file could not be edited. [profile …] and [default] stay as they are.'],
          }),
        );
      }
      return undefined;
    }
  }
}
