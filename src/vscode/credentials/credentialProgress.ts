// A role's credentials usually arrive in one round trip. When the portal is busy (throttling:
// its budget is shared with every window's background listing) the fetch retries with backoff
// (core/aws/portal.ts); after half a second the status bar says so, until it ends either way.
import * as vscode from 'vscode';
import type { RoleRef } from '../../core/common/model';

const SHOW_AFTER_MS = 500;

export function withCredentialProgress<T>(fetch: (role: RoleRef) => Promise<T>): (role: RoleRef) => Promise<T> {
  return (role) => {
    const pending = fetch(role);
    const timer = setTimeout(() => {
      void vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Window,
          title: vscode.l10n.t({
            message: 'Getting credentials for {0} in {1}…',
            args: [role.roleName, role.accountId],
            comment: ['{0}: an IAM role name; {1}: a 12-digit AWS account id. Shown while IAM Identity Center is slow to answer.'],
          }),
        },
        () => pending.catch(() => undefined),
      );
    }, SHOW_AFTER_MS);
    return pending.finally(() => clearTimeout(timer));
  };
}
