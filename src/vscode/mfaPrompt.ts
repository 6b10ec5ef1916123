// Asks for an MFA code when a chained role needs fresh credentials. Codes are one-time and not kept.
import * as vscode from 'vscode';
import { MFA_CODE } from '../core/credentials/assumeRole';
import type { ChainedRoleDefinition } from '../core/credentials/chainedRoles';

export async function askMfaCode(def: ChainedRoleDefinition, problem?: string): Promise<string | undefined> {
  const code = await vscode.window.showInputBox({
    title: vscode.l10n.t('MFA code for {0}', def.name),
    prompt: problem ?? vscode.l10n.t('Enter the 6-digit code from {0} to assume {1}.', def.mfaSerial ?? 'your MFA device', def.roleArn),
    placeHolder: '123456',
    ignoreFocusOut: true,
    validateInput: (v) => (MFA_CODE.test(v.trim()) ? undefined : vscode.l10n.t('The code is 6 digits.')),
  });
  return code?.trim() || undefined;
}
