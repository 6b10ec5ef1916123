// Runs inside the real extension host as extensionTestsPath (see activation.ts): waits for the
// extension's own startup activation, reads the activate() time it measured, checks the AWS SDK
// chunk was not loaded, opens Running Extensions (VS Code's own numbers) and writes JSON to
// $AWSIDC_BENCH_OUT. $AWSIDC_BENCH_EXTENSION picks another extension (the empty reference).
import * as fs from 'fs';
import * as vscode from 'vscode';

const EXTENSION_ID = process.env.AWSIDC_BENCH_EXTENSION || 'awsidc.aws-identity-center-sessions';

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension<{ activationMs?: number } | undefined>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} not found`);
  // onStartupFinished normally activates it; only if that never comes does the probe do it.
  for (let i = 0; i < 200 && !ext.isActive; i++) await new Promise((r) => setTimeout(r, 50));
  const activatedBy = ext.isActive ? 'onStartupFinished' : 'probe';
  const api = await ext.activate();
  const sdkLoaded = Object.keys(require.cache).some((p) => /[\\/]dist[\\/]awsSdk\.js$/.test(p));
  await vscode.commands.executeCommand('workbench.action.showRuntimeExtensions');
  fs.writeFileSync(process.env.AWSIDC_BENCH_OUT!, JSON.stringify({ activationMs: api?.activationMs, sdkLoaded, activatedBy }));
  // Give the runner time to read the Running Extensions editor before the run ends.
  await new Promise((r) => setTimeout(r, 3_000));
}
