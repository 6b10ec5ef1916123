// How a terminal bound to one role starts (Open Terminal as Role), apart from the environment
// collection every other terminal gets (terminalEnv.ts).
import * as vscode from 'vscode';
import type { CredentialBinding } from '../../core/terminals/credentialServer';
import { BOUND_SHELL_SCRIPT, endpointVariables, regionVariables } from '../../core/terminals/terminalEnv';

/**
 * How a bound terminal starts. VS Code applies the global collection (the active role) to every
 * terminal, remote ones even with strictEnv, so on POSIX a tiny /bin/sh step re-binds the role
 * after the collection is applied, then execs the user's shell. Windows falls back to strictEnv.
 */
export function boundTerminalLaunch(
  binding: CredentialBinding,
  region: string,
  profile: string | undefined,
): Pick<vscode.TerminalOptions, 'env' | 'strictEnv' | 'shellPath' | 'shellArgs'> {
  if (process.platform !== 'win32') {
    return {
      shellPath: '/bin/sh',
      shellArgs: ['-c', BOUND_SHELL_SCRIPT],
      env: {
        AWSIDC_BOUND_URI: binding.url,
        AWSIDC_BOUND_TOKEN: binding.token,
        ...(profile ? { AWSIDC_BOUND_PROFILE: profile } : {}),
        AWSIDC_SHELL: vscode.env.shell || process.env.SHELL || '/bin/sh',
        ...regionVariables(region),
      },
    };
  }
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('VSCODE_') && !k.startsWith('ELECTRON_')) env[k] = v;
  for (const [k, v] of Object.entries(endpointVariables(binding, region, process.env, { profile })))
    if (v === '') delete env[k];
    else env[k] = v;
  return { env, strictEnv: true };
}
