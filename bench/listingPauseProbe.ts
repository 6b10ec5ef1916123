// Runs inside the real extension host as extensionTestsPath (see listingPause.ts): signs in to the
// emulator (it approves at once) with the Accounts view open, and measures the extension host's
// event loop (perf_hooks.monitorEventLoopDelay) while the accounts arrive, the tree redraws and
// the role listing runs for a while. Writes JSON to $AWSIDC_BENCH_OUT: the numbers, and the
// longest stalls with when they happened (ms after Sign In, accounts listed by then) so a pause can
// be placed. With $AWSIDC_PAUSE_PROFILE it also writes a V8 CPU profile of the same span there
// (open it in Chrome DevTools or VS Code; the profiler adds a little to every pause).
import * as fs from 'fs';
import { Session } from 'inspector';
import { monitorEventLoopDelay } from 'perf_hooks';
import * as vscode from 'vscode';
import type { AccountCatalog } from '../src/core/accounts/catalog';
import type { PauseStall } from './windowsReport';

const EXTENSION_ID = 'awsidc.aws-identity-center-sessions';
/** A timer that fires this much later than asked marks a stall worth placing. */
const STALL_MS = 20;

function post(session: Session, method: string, params?: object): Promise<unknown> {
  return new Promise((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))));
}

async function startProfile(): Promise<(() => Promise<void>) | undefined> {
  const file = process.env.AWSIDC_PAUSE_PROFILE;
  if (!file) return undefined;
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.setSamplingInterval', { interval: 500 });
  await post(session, 'Profiler.start');
  return async () => {
    const { profile } = (await post(session, 'Profiler.stop')) as { profile: unknown };
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

/** Every late timer beyond STALL_MS, with when it happened and how many accounts were listed. */
function watchStalls(t0: number, listed: () => number): { stop(): PauseStall[] } {
  const stalls: PauseStall[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - 5;
    if (late > STALL_MS) stalls.push({ atMs: Math.round(last - t0), ms: Math.round(late), accounts: listed() });
    last = now;
  }, 5);
  return {
    stop: () => {
      clearInterval(timer);
      return stalls.sort((a, b) => b.ms - a.ms).slice(0, 12);
    },
  };
}

export async function run(): Promise<void> {
  const accounts = Number(process.env.AWSIDC_PAUSE_ACCOUNTS);
  const rolesMs = Number(process.env.AWSIDC_PAUSE_ROLES_MS);
  const ext = vscode.extensions.getExtension<{ catalog: AccountCatalog }>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} not found`);
  const { catalog } = await ext.activate();
  await vscode.commands.executeCommand('workbench.view.extension.awsIdc');
  await new Promise((r) => setTimeout(r, 1_000));
  const stopProfile = await startProfile();
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const t0 = performance.now();
  const stalls = watchStalls(t0, () => catalog.accounts.length);
  if ((await vscode.commands.executeCommand('awsIdc.signIn')) !== true) throw new Error('sign-in failed');
  const deadline = Date.now() + 120_000;
  while (!(catalog.listingComplete && catalog.accounts.length >= accounts) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const listedMs = performance.now() - t0;
  // Roles keep arriving at the portal's pace (10,000 accounts: ~9 min); a while of it is observed.
  await new Promise((r) => setTimeout(r, rolesMs));
  histogram.disable();
  const longest = stalls.stop();
  await stopProfile?.();
  fs.writeFileSync(
    process.env.AWSIDC_BENCH_OUT!,
    JSON.stringify({
      accounts: catalog.accounts.length,
      rolesKnown: catalog.accounts.filter((a) => catalog.roles(a.accountId).kind === 'loaded').length,
      listedMs,
      observedMs: performance.now() - t0,
      maxMs: histogram.max / 1e6,
      p99Ms: histogram.percentile(99) / 1e6,
      stalls: longest,
    }),
  );
}
