// Show Terminal Identity: runs a visible, harmless command in a terminal through shell integration
// and reports which identity its AWS tools resolve and why. Without shell integration it says how
// to run the same command by hand.
import * as vscode from 'vscode';
import type { ActiveRole } from '../../core/accounts/activeRole';
import type { Logger } from '../../core/common/log';
import { IDENTITY_COMMAND, isRoleSession, parseIdentity, type TerminalIdentity } from '../../core/terminals/identityProbe';
import { overrideLabel } from '../../core/terminals/peerOverrides';

const WAIT_FOR_INTEGRATION_MS = 4000;
const RUN_TIMEOUT_MS = 45_000;

export interface TerminalIdentityOptions {
  active: ActiveRole;
  terminalProfile: () => string | undefined;
  log: Logger;
}

/** The command's handler; resolves to what it found (for tests), undefined when nothing ran. */
export async function showTerminalIdentity(o: TerminalIdentityOptions, given?: unknown): Promise<TerminalIdentity | undefined> {
  const terminal = given instanceof Object && vscode.window.terminals.includes(given as vscode.Terminal) ? (given as vscode.Terminal) : await pickTerminal();
  if (!terminal) return undefined;
  // The check is POSIX sh: another shell (fish, PowerShell, cmd) gets the by-hand instructions.
  const integration = posixShell(terminal) ? (terminal.shellIntegration ?? (await integrationOf(terminal))) : undefined;
  if (!integration) {
    const copy = vscode.l10n.t('Copy Command');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t({
        message:
          'Terminal "{0}" has no shell integration or does not run a POSIX shell, so the check cannot run there by itself. Copy the command and run it there (in sh, bash or zsh): it prints which credential variables are set (names only), the identity the AWS CLI resolves, and where its credentials come from.',
        args: [terminal.name],
        comment: ['{0}: a terminal name'],
      }),
      copy,
    );
    if (choice === copy) await vscode.env.clipboard.writeText(IDENTITY_COMMAND);
    return undefined;
  }
  terminal.show(true);
  const execution = integration.executeCommand(IDENTITY_COMMAND);
  const output = await readAll(execution);
  const identity = parseIdentity(output, o.terminalProfile());
  o.log.info(
    `[identity] terminal "${terminal.name}": ${identity.arn ?? 'no identity'}; source ${identity.source ?? 'unknown'}; set: ${identity.set.join(', ') || 'none'}${identity.override ? `; ${overrideLabel(identity.override)} wins` : ''}`,
  );
  // A quick pick, not awaited: the summary stays readable (and copyable line by line) while the terminal shows the raw output.
  void vscode.window.showQuickPick(
    describe(identity, o.active).map((label) => ({ label })),
    {
      title: vscode.l10n.t({
        message: 'AWS identity of terminal "{0}"',
        args: [terminal.name],
        comment: ['Title of the Show Terminal Identity list; {0}: a terminal name'],
      }),
    },
  );
  return identity;
}

function posixShell(terminal: vscode.Terminal): boolean {
  const options = terminal.creationOptions as vscode.TerminalOptions;
  const shell = options.shellPath ?? vscode.env.shell;
  // A bound terminal starts in /bin/sh and then execs the user's shell.
  const name = (options.shellPath === '/bin/sh' && options.env?.AWSIDC_SHELL ? options.env.AWSIDC_SHELL : shell) ?? '';
  return /(^|[\\/])(ba|z|k|da)?sh$/.test(name);
}

async function pickTerminal(): Promise<vscode.Terminal | undefined> {
  if (vscode.window.activeTerminal) return vscode.window.activeTerminal;
  const all = vscode.window.terminals;
  if (all.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a terminal first, then run Show Terminal Identity again.'));
    return undefined;
  }
  if (all.length === 1) return all[0];
  const pick = await vscode.window.showQuickPick(
    all.map((t) => ({ label: t.name, terminal: t })),
    { title: vscode.l10n.t('Show the AWS identity of which terminal?') },
  );
  return pick?.terminal;
}

/** A terminal just opened gets shell integration a moment after it starts. */
function integrationOf(terminal: vscode.Terminal): Promise<vscode.TerminalShellIntegration | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(undefined), WAIT_FOR_INTEGRATION_MS);
    const sub = vscode.window.onDidChangeTerminalShellIntegration((e) => e.terminal === terminal && done(e.shellIntegration));
    const done = (value: vscode.TerminalShellIntegration | undefined): void => {
      clearTimeout(timer);
      sub.dispose();
      resolve(value);
    };
  });
}

async function readAll(execution: vscode.TerminalShellExecution): Promise<string> {
  let text = '';
  const reading = (async () => {
    for await (const data of execution.read()) text += data;
  })();
  await Promise.race([reading, new Promise((r) => setTimeout(r, RUN_TIMEOUT_MS))]);
  return text;
}

function describe(id: TerminalIdentity, active: ActiveRole): string[] {
  const role = active.current;
  const lines: string[] = [];
  if (id.arn) {
    lines.push(vscode.l10n.t({ message: 'AWS tools here sign as {0}.', args: [id.arn], comment: ['{0}: an ARN'] }));
    if (role)
      lines.push(
        isRoleSession(id.arn, role)
          ? vscode.l10n.t({
              message: 'That is the active role, {0}.',
              args: [`${role.accountName}/${role.roleName}`],
              comment: ['{0}: account name/role name'],
            })
          : vscode.l10n.t({
              message: 'That is NOT the active role, {0}.',
              args: [`${role.accountName}/${role.roleName}`],
              comment: ['{0}: account name/role name'],
            }),
      );
  } else if (!id.cli) {
    lines.push(vscode.l10n.t('The AWS CLI is not installed in this terminal, so only its variables were checked.'));
  } else {
    lines.push(vscode.l10n.t({ message: 'The AWS CLI found no identity: {0}', args: [id.error ?? '?'], comment: ["{0}: the AWS CLI's error message"] }));
  }
  if (id.source)
    lines.push(
      vscode.l10n.t({
        message: 'The AWS CLI names the source of its credentials: {0}.',
        args: [id.source],
        comment: ['{0}: e.g. env, container-role, custom-process'],
      }),
    );
  lines.push(
    id.override
      ? vscode.l10n.t({
          message: '{0} wins over the active role in this terminal.',
          args: [overrideLabel(id.override)],
          comment: ['{0}: a variable, e.g. AWS_PROFILE=legacy'],
        })
      : vscode.l10n.t('No variable in this terminal wins over the active role.'),
  );
  lines.push(
    vscode.l10n.t({
      message: 'Credential variables set: {0}.',
      args: [id.set.length ? id.set.map((n) => (n === 'AWS_PROFILE' && id.profile ? `AWS_PROFILE=${id.profile}` : n)).join(', ') : '-'],
      comment: ['{0}: variable names'],
    }),
  );
  return lines;
}
