import * as vscode from 'vscode';
import type { Logger } from '../../core/common/log';
import type { SecretStore } from '../../core/common/stores';
import { WindowSecrets } from '../../core/signIn/windowSecrets';

/** context.secrets as core's SecretStore: encrypted, and shared by every window (onDidChange). */
export function secretStoreFrom(secrets: vscode.SecretStorage): SecretStore {
  return {
    get: (key) => Promise.resolve(secrets.get(key)),
    store: (key, value) => Promise.resolve(secrets.store(key, value)),
    delete: (key) => Promise.resolve(secrets.delete(key)),
    onDidChange: (listener) => secrets.onDidChange((e) => listener({ key: e.key })),
  };
}

/**
 * The store the session uses: context.secrets, guarded so that a window whose copy of the secrets is
 * out of date (VS Code for the Web keeps one per window) never writes it over another window's sign-in.
 * The non-secret signal file lives in the global storage dir, which every window's extension host shares.
 */
export function windowSecretsFrom(context: vscode.ExtensionContext, log: Logger): WindowSecrets {
  return new WindowSecrets({
    inner: secretStoreFrom(context.secrets),
    file: vscode.Uri.joinPath(context.globalStorageUri, 'secrets-changed.json').fsPath,
    log,
  });
}
