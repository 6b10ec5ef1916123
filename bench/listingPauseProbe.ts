// Runs inside the real extension host as extensionTestsPath (see listingPause.ts): signs in to the
// emulator (it approves at once) with the Accounts view open, and measures the extension host's
// event loop (perf_hooks.monitorEventLoopDelay) while the accounts arrive, the tree redraws and
// the role listing runs for a while. Writes JSON to $AWSIDC_BENCH_OUT.
import * as fs from 'fs';
import { monitorEventLoopDelay } from 'perf_hooks';
import * as vscode from 'vscode';
import type { AccountCatalog } from '../src/core/accounts/catalog';

const EXTENSION_ID = 'awsidc.aws-identity-center-sessions';

export async function run(): Promise<void> {
  const accounts = Number(process.env.AWSIDC_PAUSE_ACCOUNTS);
  const rolesMs = Number(process.env.AWSIDC_PAUSE_ROLES_MS);
  const ext = vscode.extensions.getExtension<{ catalog: AccountCatalog }>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} not found`);
  const { catalog } = await ext.activate();
  await vscode.commands.executeCommand('workbench.view.extension.awsIdc');
  await new Promise((r) => setTimeout(r, 1_000));
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const t0 = performance.now();
  if ((await vscode.commands.executeCommand('awsIdc.signIn')) !== true) throw new Error('sign-in failed');
  const deadline = Date.now() + 120_000;
  while (!(catalog.listingComplete && catalog.accounts.length >= accounts) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const listedMs = performance.now() - t0;
  // Roles keep arriving at the portal's pace (10,000 accounts: ~9 min); a while of it is observed.
  await new Promise((r) => setTimeout(r, rolesMs));
  histogram.disable();
  fs.writeFileSync(
    process.env.AWSIDC_BENCH_OUT!,
    JSON.stringify({
      accounts: catalog.accounts.length,
      rolesKnown: catalog.accounts.filter((a) => catalog.roles(a.accountId).kind === 'loaded').length,
      listedMs,
      observedMs: performance.now() - t0,
      maxMs: histogram.max / 1e6,
      p99Ms: histogram.percentile(99) / 1e6,
    }),
  );
}
