import * as vscode from 'vscode';
import type { SecretStore } from '../core/common/stores';

/** context.secrets as core's SecretStore: encrypted, and shared by every window (onDidChange). */
export function secretStoreFrom(secrets: vscode.SecretStorage): SecretStore {
  return {
    get: (key) => Promise.resolve(secrets.get(key)),
    store: (key, value) => Promise.resolve(secrets.store(key, value)),
    delete: (key) => Promise.resolve(secrets.delete(key)),
    onDidChange: (listener) => secrets.onDidChange((e) => listener({ key: e.key })),
  };
}
