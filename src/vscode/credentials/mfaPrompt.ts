// Asks for an MFA code when a chained role needs fresh credentials. Codes are one-time and not kept.
import * as vscode from 'vscode';
import { MFA_CODE } from '../../core/credentials/assumeRole';
import type { ChainedRoleDefinition } from '../../core/credentials/chainedRoles';

export async function askMfaCode(def: ChainedRoleDefinition, problem?: string): Promise<string | undefined> {
  const code = await vscode.window.showInputBox({
    title: vscode.l10n.t({
      message: 'MFA code for {0}',
      args: [def.name],
      comment: ['{0} is the name the user gave a chained role in the awsIdc.chainedRoles setting.'],
    }),
    prompt:
      problem ??
      vscode.l10n.t({
        message: 'Enter the 6-digit code from {0} to assume {1}.',
        // Core asks for a code only for a role that names its device (assumeRole.ts).
        args: [def.mfaSerial!, def.roleArn],
        comment: ['{0} is the MFA device ARN or serial number, {1} the ARN of the IAM role to assume.'],
      }),
    placeHolder: '123456',
    ignoreFocusOut: true,
    validateInput: (v) => (MFA_CODE.test(v.trim()) ? undefined : vscode.l10n.t('The code is 6 digits.')),
  });
  return code?.trim() || undefined;
}
