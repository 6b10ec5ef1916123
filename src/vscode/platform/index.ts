// The editor platform every capability stands on: the log, the command runner, the secret store, and
// VS Code's network settings and language handed to core before anything calls AWS.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { setEndpointNotice } from '../../core/aws/endpointGuard';
import { DisposableStore, setUnexpectedErrorHandler } from '../../core/common/events';
import type { Logger } from '../../core/common/log';
import type { WindowSecrets } from '../../core/signIn/windowSecrets';
import { Commands } from './commandIds';
import { commandRunner, type RegisterCommand } from './commandRunner';
import { createLog } from './log';
import { followNetworkSettings } from './networkSettings';
import { windowSecretsFrom } from './secretStore';

export interface PlatformOptions {
  context: vscode.ExtensionContext;
}

export interface Platform extends vscode.Disposable {
  context: vscode.ExtensionContext;
  log: Logger;
  /** Registers a command behind the one failure path (a message that names the command). */
  command: RegisterCommand;
  /** Guarded: a window with a stale copy of the secrets never writes it over another's sign-in. */
  secrets: WindowSecrets;
}

export function registerPlatform({ context }: PlatformOptions): Platform {
  // Core words its messages with @vscode/l10n: hand it the editor's bundle before anything is built (none in English).
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const store = new DisposableStore();
  const { channel, logger: log } = createLog();
  store.add(channel);
  // A throwing listener or disposable is logged; the others still run.
  setUnexpectedErrorHandler((e, where) => log.error(`[events] ${where}: ${e instanceof Error ? e.name : 'error'}`));
  // Before anything can call AWS: every call follows VS Code's proxy settings (and their changes).
  store.add(followNetworkSettings());
  // Tokens sent to a host that is not AWS (AWS_ENDPOINT_URL*, endpoint_url): said once per host.
  setEndpointNotice((message) => {
    log.warn(`[network] ${message}`);
    void vscode.window.showWarningMessage(message);
  });
  const secrets = store.add(windowSecretsFrom(context, log));
  const command = commandRunner(log);
  store.add(command(Commands.showLog, () => channel.show(true)));
  return { context, log, command, secrets, dispose: () => store.dispose() };
}
