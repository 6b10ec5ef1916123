// One scenario in a Node process of its own (started by run.ts with --expose-gc), so heap and event
// loop belong to that scenario alone. Prints one line: RESULT_PREFIX + JSON ScenarioResult.
//   node --expose-gc out/bench/scenario.js '<ScenarioInput JSON>'
import * as fs from 'fs';
import { AccountCatalog, type CachedListing } from '../src/core/accounts/catalog';
import { IdentityCenter } from '../src/core/aws/identityCenter';
import { EmulatorControl } from '../test/emulator/client';
import { runBaseline } from './baselines';
import { sampleHeap } from './heap';
import { RESULT_PREFIX, type ScenarioInput, type ScenarioResult } from './types';

const START_URL = 'https://emulator.awsapps.com/start';
// The tree's root order (src/vscode/accounts/accountOrders.ts), which needs `vscode` and so can't be imported here.
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Accounts whose role names match the emulator's seed, compared after the clock stopped. */
async function correct(url: string, rolesOf: (accountId: string) => string[] | undefined): Promise<number> {
  const seed = await new EmulatorControl(url).accounts();
  return seed.filter((a) => rolesOf(a.accountId)?.slice().sort().join() === [...a.roles].sort().join()).length;
}

/**
 * Every listing starts the way it does in the extension: a sign-in (the emulator approves at once)
 * in the same process, so the SDK is loaded and warm and its time is not part of the listing's.
 */
async function signIn(url: string): Promise<{ ic: IdentityCenter; accessToken: string }> {
  const ic = await IdentityCenter.create({ region: 'us-east-1', endpoints: { oidc: url, portal: url } });
  const reg = await ic.registerClient('bench');
  const auth = await ic.startDeviceAuthorization(reg, START_URL);
  return { ic, accessToken: (await ic.createTokenWithDeviceCode(reg, auth.deviceCode)).accessToken };
}

async function ours(input: ScenarioInput): Promise<ScenarioResult> {
  const { ic, accessToken } = await signIn(input.url);
  const catalog = new AccountCatalog({ client: async () => ic, accessToken: async () => accessToken });
  let firstPageMs: number | undefined;
  const heap = sampleHeap();
  const t0 = performance.now();
  catalog.onDidChange(() => {
    if (firstPageMs === undefined && catalog.accounts.length > 0) firstPageMs = performance.now() - t0;
  });
  await catalog.refresh();
  await catalog.whenIdle();
  const allRolesMs = performance.now() - t0;
  const { peakGrowthBytes, retainedBytes } = heap.stop();

  const loaded = (id: string) => {
    const s = catalog.roles(id);
    return s.kind === 'loaded' ? s.roles.map((r) => r.roleName) : undefined;
  };
  const failedAccounts = catalog.accounts.filter((a) => catalog.roles(a.accountId).kind !== 'loaded').length;
  fs.writeFileSync(input.snapshotPath, JSON.stringify(catalog.snapshot(START_URL)));
  const result: ScenarioResult = {
    firstPageMs,
    allRolesMs,
    heapGrowthBytes: peakGrowthBytes,
    userErrors: catalog.stats.userVisibleErrors + failedAccounts,
    correctAccounts: await correct(input.url, loaded),
    notes: {
      retainedHeapBytes: retainedBytes,
      clientCalls: catalog.stats.calls,
      clientThrottled: catalog.stats.throttled,
      statsFirstPageAt: catalog.stats.firstPageAt,
      statsAllRolesAt: catalog.stats.allRolesAt,
    },
  };
  catalog.dispose();
  ic.dispose();
  return result;
}

/** Warm start: the cached listing (as stored between sessions) → catalog → the tree's sorted root. */
async function warm(input: ScenarioInput): Promise<ScenarioResult> {
  const heap = sampleHeap();
  const t0 = performance.now();
  const listing = JSON.parse(fs.readFileSync(input.snapshotPath, 'utf8')) as CachedListing;
  const catalog = new AccountCatalog({ client: () => Promise.reject(new Error('offline')), accessToken: async () => '' });
  let shownMs: number | undefined;
  catalog.onDidChange(() => {
    const root = catalog.accounts.sort((a, b) => collator.compare(a.accountName, b.accountName) || a.accountId.localeCompare(b.accountId));
    if (shownMs === undefined && root.length > 0) shownMs = performance.now() - t0;
  });
  catalog.restore(listing);
  const { peakGrowthBytes } = heap.stop();
  const loaded = (id: string) => {
    const s = catalog.roles(id);
    return s.kind === 'loaded' ? s.roles.map((r) => r.roleName) : undefined;
  };
  const result: ScenarioResult = {
    firstPageMs: shownMs,
    allRolesMs: shownMs,
    heapGrowthBytes: peakGrowthBytes,
    userErrors: 0,
    correctAccounts: await correct(input.url, loaded),
    notes: { cacheBytes: fs.statSync(input.snapshotPath).size },
  };
  catalog.dispose();
  return result;
}

async function baseline(input: ScenarioInput, mode: 'sequential' | 'promiseAll'): Promise<ScenarioResult> {
  const { ic, accessToken } = await signIn(input.url);
  ic.dispose(); // the baselines list with a plain SSOClient of their own
  const heap = sampleHeap();
  try {
    const r = await runBaseline(mode, input.url, accessToken);
    const { peakGrowthBytes } = heap.stop();
    return {
      firstPageMs: r.firstPageMs,
      allRolesMs: r.allRolesMs,
      heapGrowthBytes: peakGrowthBytes,
      userErrors: Object.values(r.errors).reduce((a, b) => a + b, 0),
      correctAccounts: await correct(input.url, (id) => r.roles.get(id)),
      notes: { errors: r.errors },
    };
  } catch (e) {
    heap.stop();
    // ListAccounts itself failed: the user sees an error and no accounts at all.
    return { userErrors: input.accounts, correctAccounts: 0, notes: { listingFailed: (e as Error)?.name ?? String(e) } };
  }
}

/** Cost of the lazy SDK chunk when it is first needed (fresh process, cold require). */
async function sdkLoad(input: ScenarioInput): Promise<ScenarioResult> {
  const t0 = performance.now();
  // A synchronous require of a path known only at run time is what this scenario measures.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(input.sdkPath!);
  return { userErrors: 0, correctAccounts: 0, notes: { requireMs: performance.now() - t0 } };
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2]) as ScenarioInput;
  const result =
    input.kind === 'ours'
      ? await ours(input)
      : input.kind === 'warm'
        ? await warm(input)
        : input.kind === 'sdkLoad'
          ? await sdkLoad(input)
          : await baseline(input, input.kind);
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
