// Restricted Mode: a workspace the user has not trusted gets no AWS credentials at all (no terminal
// environment, no bound terminal, no debug or task grant) until trust is granted; then terminals
// get them as usual. The status bar says why (statusBar.ts).
import * as vscode from 'vscode';
import { IdcError } from '../../core/common/errors';

export const isTrusted = (): boolean => vscode.workspace.isTrusted;

export const onDidGrantTrust: vscode.Event<void> = vscode.workspace.onDidGrantWorkspaceTrust;

/** Why nothing gets credentials now, as the status bar's tooltip and a refusal say it. */
export function untrustedReason(): string {
  return vscode.l10n.t(
    'This workspace is in Restricted Mode: its terminals, tasks and debug sessions get no AWS credentials until you trust it (Workspaces: Manage Workspace Trust).',
  );
}

/** Throws the refusal when the workspace is not trusted. */
export function requireTrust(): void {
  if (!isTrusted()) throw new IdcError('denied', untrustedReason());
}
