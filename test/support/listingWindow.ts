// One "window" in a process of its own, for the shared-listing tests and the bench: the real
// catalog (and, unless `alone`, the shared listing) against the emulator, optionally switching
// roles (GetRoleCredentials) while the listing runs. Prints WINDOW_RESULT + JSON when done.
//   node out/test/support/listingWindow.js '<WindowInput JSON>'
import { AccountCatalog } from '../../src/core/accounts/catalog';
import { SharedListing } from '../../src/core/accounts/sharedListing';
import { IdentityCenter } from '../../src/core/aws/identityCenter';
import { portalRoleCredentials } from '../../src/core/aws/portal';
import { errorName } from '../../src/core/common/errors';
import { EmulatorControl } from '../emulator/client';

export const WINDOW_RESULT = 'WINDOW_RESULT ';

export interface WindowInput {
  url: string;
  startUrl: string;
  /** Shared listing root; absent: the window lists on its own, as before (the baseline). */
  root?: string;
  /** How many accounts the seed has: "all roles known" means that many accounts, all loaded. */
  accounts: number;
  ratePerSec?: number;
  /** Role switches: how many, how far apart, starting when (ms after start). */
  switches?: { count: number; everyMs: number; startMs: number };
  /** Baseline: no retry of throttled role switches beyond the SDK's own, no slot left free. */
  baseline?: boolean;
  staleMs?: number;
  heartbeatMs?: number;
  pollMs?: number;
  /** Measure heap growth (needs --expose-gc for a clean start). */
  heap?: boolean;
}

export interface WindowResult {
  /** Epoch ms: when this window started listing (signed in, SDK loaded), and when it knew every role. */
  startedAt: number;
  allRolesAt?: number;
  accounts: number;
  loaded: number;
  calls: number;
  throttled: number;
  userErrors: number;
  switchMs: number[];
  switchFailures: string[];
  lister: boolean;
  heapGrowthBytes?: number;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2]) as WindowInput;
  const ic = await IdentityCenter.create({ region: 'us-east-1', endpoints: { oidc: input.url, portal: input.url } });
  const reg = await ic.registerClient('window');
  const auth = await ic.startDeviceAuthorization(reg, input.startUrl);
  const accessToken = (await ic.createTokenWithDeviceCode(reg, auth.deviceCode)).accessToken;
  const seed = await new EmulatorControl(input.url).accounts();
  const access = { client: async () => ic, accessToken: async () => accessToken };
  const catalog = new AccountCatalog({ ...access, ratePerSec: input.ratePerSec });
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBase = process.memoryUsage().heapUsed;
  let heapPeak = heapBase;
  const heapTimer = input.heap ? setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 50) : undefined;

  let allRolesAt: number | undefined;
  // Nothing else may keep a follower's process alive while it waits (the listing's timers are unref'd).
  const keepAlive = setInterval(() => undefined, 1_000);
  let resolveAll: () => void = () => undefined;
  const allKnown = new Promise<void>((r) => (resolveAll = r));
  const check = (): void => {
    if (allRolesAt !== undefined || catalog.accounts.length < input.accounts) return;
    if (catalog.accounts.every((a) => catalog.roles(a.accountId).kind === 'loaded')) {
      allRolesAt = Date.now();
      resolveAll();
    }
  };
  catalog.onDidChange(check);

  const shared = input.root
    ? new SharedListing({ root: input.root, startUrl: input.startUrl, catalog, staleMs: input.staleMs, heartbeatMs: input.heartbeatMs, pollMs: input.pollMs })
    : undefined;
  const startedAt = Date.now();
  const listing = shared ? shared.start() : catalog.refresh();
  process.stdout.write(`WINDOW_STARTED\n`);

  const switchMs: number[] = [];
  const switchFailures: string[] = [];
  let switchCalls = 0;
  const fetch = portalRoleCredentials(access, input.baseline ? { throttleBudgetMs: 0 } : { beforeAttempt: () => catalog.yieldSlot() });
  const switching = (async () => {
    const s = input.switches;
    if (!s) return;
    // Accounts spread over the whole list, so some are ones the listing reaches late.
    const withRoles = seed.filter((a) => a.roles.length > 0);
    await new Promise((r) => setTimeout(r, s.startMs));
    for (let i = 0; i < s.count; i++) {
      const account = withRoles[Math.floor(((i + 0.5) * withRoles.length) / s.count)];
      const started = performance.now();
      try {
        switchCalls++;
        await fetch({ accountId: account.accountId, roleName: account.roles[0] });
        switchMs.push(performance.now() - started);
      } catch (e) {
        switchFailures.push(errorName(e));
      }
      await new Promise((r) => setTimeout(r, s.everyMs));
    }
  })();
  await Promise.all([listing, switching]);
  check();
  await allKnown;
  await catalog.whenIdle();
  clearInterval(keepAlive);
  if (heapTimer) clearInterval(heapTimer);
  const result: WindowResult = {
    startedAt,
    allRolesAt,
    accounts: catalog.accounts.length,
    loaded: catalog.accounts.filter((a) => catalog.roles(a.accountId).kind === 'loaded').length,
    calls: catalog.stats.calls + switchCalls,
    throttled: catalog.stats.throttled,
    userErrors: catalog.stats.userVisibleErrors,
    switchMs,
    switchFailures,
    lister: catalog.stats.calls > 0,
    heapGrowthBytes: input.heap ? heapPeak - heapBase : undefined,
  };
  shared?.dispose();
  catalog.dispose();
  ic.dispose();
  process.stdout.write(`${WINDOW_RESULT}${JSON.stringify(result)}\n`);
}

if (require.main === module) {
  main().then(
    () => setTimeout(() => process.exit(0), 300),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
