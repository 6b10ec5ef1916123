// Stops what a harness run started, in order, keeping the logs CI uploads from test-results/.
import * as fs from 'fs';
import * as path from 'path';
import type { Emulator } from '../emulator/server';
import type { Bridge } from './bridge';
import type { Browser } from './browser';
import { REPO_ROOT, type CodeServer } from './codeServer';
import type { VsCodeVersion } from './vscodeVersions';

/** test-results/vscode-<version>/: each VS Code's screenshots, logs and results side by side. */
export const resultsDir = (version: VsCodeVersion): string => path.join(REPO_ROOT, 'test-results', `vscode-${version.vscode}`);

export interface RunParts {
  browser?: Browser;
  cs?: CodeServer;
  /** The server of Restricted Mode windows (workspace trust on), started on first use. */
  restrictedCs?: CodeServer;
  emulator?: Emulator;
  bridge?: Bridge;
}

/** `prefix` names the artifacts: <results>/<prefix>-code-server.log and <prefix>-logs/ on failure. */
export async function teardownRun(parts: RunParts, failed: boolean, prefix: string, results: string): Promise<void> {
  fs.mkdirSync(results, { recursive: true });
  await parts.browser?.close().catch(() => {});
  await parts.bridge?.close().catch(() => {});
  if (parts.cs) {
    if (failed) fs.cpSync(path.join(parts.cs.userDataDir, 'logs'), path.join(results, `${prefix}-logs`), { recursive: true, force: true });
    fs.copyFileSync(parts.cs.logPath, path.join(results, `${prefix}-code-server.log`));
    await parts.cs.stop();
  }
  if (parts.restrictedCs) {
    fs.copyFileSync(parts.restrictedCs.logPath, path.join(results, `${prefix}-restricted-code-server.log`));
    await parts.restrictedCs.stop();
  }
  await parts.emulator?.stop().catch(() => {});
}

/**
 * What a run has started so far, and one stop() for every exit path (done, failed, timed out,
 * interrupted): it takes the parts first, so a second call stops nothing twice.
 */
export function harnessRun(prefix: string, results: string): { parts: RunParts; stop(failed: boolean): Promise<void> } {
  let parts: RunParts = {};
  return {
    get parts() {
      return parts;
    },
    async stop(failed) {
      const taken = parts;
      parts = {};
      await teardownRun(taken, failed, prefix, results);
    },
  };
}
