// Hands VS Code's proxy settings (http.proxy, http.noProxy, http.proxyStrictSSL,
// http.proxyAuthorization, http.systemCertificates) to core as plain data, now and on every change.
// They decide where tokens travel, so only user (global) values count: a cloned repository's
// .vscode/settings.json must never route a sign-in through its own proxy.
import * as vscode from 'vscode';
import { setNetworkSettings, type NetworkSettings } from '../../core/aws/network';

function userValue<T>(key: string): T | undefined {
  const inspected = vscode.workspace.getConfiguration('http').inspect<T>(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

export function readNetworkSettings(): NetworkSettings {
  const proxy = userValue<unknown>('proxy');
  const noProxy = userValue<unknown>('noProxy');
  const auth = userValue<unknown>('proxyAuthorization');
  return {
    proxy: typeof proxy === 'string' ? proxy.trim() : '',
    noProxy: Array.isArray(noProxy) ? noProxy.filter((v): v is string => typeof v === 'string') : [],
    strictSSL: userValue<unknown>('proxyStrictSSL') !== false,
    proxyAuthorization: typeof auth === 'string' ? auth : '',
    systemCertificates: userValue<unknown>('systemCertificates') !== false,
  };
}

/** Applies the settings now and whenever an http.* setting changes; dispose to stop following. */
export function followNetworkSettings(): vscode.Disposable {
  // Read at the first AWS call, not at activation (reading configuration costs milliseconds there).
  let read: NetworkSettings | undefined;
  setNetworkSettings(() => (read ??= readNetworkSettings()));
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('http')) read = undefined;
  });
}
