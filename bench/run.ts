// `npm run bench [-- --json] [-- --quick]`: our listing, two baselines and the lower bound against
// the emulator (50 ms per call, one 20-calls/s token bucket), a warm start, and the extension's own
// cost (sizes, activate() in a real VS Code). One process per scenario keeps heap numbers clean.
// Progress goes to stderr; stdout is the report (or, with --json, one JSON object).
// --latency MS changes the emulator's per-call latency (default 50, the setting) to explore.
// Several windows (bench/windows.ts): 1, 2 and 3 windows at 2,000 and 10,000 accounts, baseline and
// ours, then the extension host's longest pause in a real VS Code while 10,000 accounts arrive.
// At the real rate that part alone takes ~90 min; --fast runs it 4× faster (rate × 4, latency and
// delays ÷ 4, same burst: the same ratios), --windows-only skips the single-window sections.
// --only pause measures just that pause (bench/pauseOnly.ts: --runs N, --against DIR, --profile DIR).
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Emulator } from '../test/emulator/server';
import { measureActivation } from './activation';
import { cloudTrailSection } from './cloudTrail';
import { costTable, scenarioTable, targetTable, type ExtensionCost, type Row } from './report';
import { judge } from './targets';
import { measureListingPause } from './listingPause';
import { pauseOnly } from './pauseOnly';
import { windowsSection, BURST, RATE as WINDOW_RATE } from './windows';
import { secondStartTable, windowsTable, windowsTargets, type PauseResult } from './windowsReport';
import { RESULT_PREFIX, type ScenarioInput, type ScenarioKind, type ScenarioResult } from './types';

const ROOT = path.resolve(__dirname, '../..'); // out/bench → repo root
const RATE = 20;
// The real service publishes no burst size; one second's worth is small, like the real one.
// The same bucket (fresh and full) is used for ours and every baseline.
const THROTTLE = { ratePerSec: RATE, burst: 20 };
const PAGE = 100;
const ACTIVATION_RUNS = 5;

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const quick = argv.includes('--quick');
const LATENCY_MS = argv.includes('--latency') ? Number(argv[argv.indexOf('--latency') + 1]) : 50;
const sizes = quick ? [200] : [200, 2000];
const windowsOnly = argv.includes('--windows-only');
const SCALE = argv.includes('--fast') ? 4 : 1;
const windowSizes = quick ? [200] : [2000, 10000];
const PAUSE_ROLES_MS = 60_000;
const option = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const only = option('--only');
const t0 = Date.now();
const progress = (m: string) => process.stderr.write(`[bench ${((Date.now() - t0) / 1000).toFixed(0)} s] ${m}\n`);

const LABELS: Record<Exclude<ScenarioKind, 'sdkLoad'>, string> = {
  ours: 'ours',
  warm: 'ours, warm start (cached listing)',
  sequential: 'A: sequential loop',
  promiseAll: 'B: Promise.all + SDK retries',
};

function runScenario(input: ScenarioInput): Promise<ScenarioResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', path.join(__dirname, 'scenario.js'), JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-4000);
    }); // the SDK warns about socket capacity in B
    child.on('exit', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line) resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as ScenarioResult);
      else reject(new Error(`scenario ${input.kind} exited with ${code}:\n${stderr}`));
    });
  });
}

async function listingRows(em: Emulator, snapshotPath: string): Promise<{ rows: Row[]; ours: Row[]; warm: Row[]; bounds: Row[] }> {
  const rows: Row[] = [];
  const ours: Row[] = [];
  const warm: Row[] = [];
  const bounds: Row[] = [];
  for (const accounts of sizes) {
    em.configure({ accounts });
    const minCalls = Math.ceil(accounts / PAGE) + accounts; // every seeded account has ≤ 5 roles: one page each
    const bound: Row = {
      scenario: 'lower bound',
      accounts,
      firstPageMs: 2 * LATENCY_MS,
      allRolesMs: (minCalls / RATE) * 1000,
      calls: minCalls,
      throttled: 0,
      userErrors: 0,
    };
    for (const kind of ['ours', 'warm', 'sequential', 'promiseAll'] as const) {
      em.configure({ throttle: THROTTLE }); // a fresh, full bucket for each scenario
      em.clearCalls();
      progress(`${accounts} accounts: ${LABELS[kind]}…`);
      const r = await runScenario({ kind, url: em.url, accounts, snapshotPath });
      const calls = em.calls().filter((c) => c.operation === 'ListAccounts' || c.operation === 'ListAccountRoles');
      const row: Row = {
        scenario: LABELS[kind],
        accounts,
        firstPageMs: r.firstPageMs,
        allRolesMs: r.allRolesMs,
        calls: calls.length,
        throttled: calls.filter((c) => c.status === 429).length,
        userErrors: r.userErrors,
        heapGrowthBytes: r.heapGrowthBytes,
        correctAccounts: r.correctAccounts,
        notes: r.notes,
        vsLowerBound: kind === 'warm' || r.allRolesMs === undefined ? undefined : r.allRolesMs / bound.allRolesMs!,
      };
      progress(
        `  first page ${row.firstPageMs?.toFixed(0)} ms, all roles ${row.allRolesMs?.toFixed(0)} ms, ${row.calls} calls, ${row.throttled} 429s, ${row.userErrors} user errors`,
      );
      rows.push(row);
      if (kind === 'ours') ours.push(row);
      if (kind === 'warm') warm.push(row);
    }
    rows.push(bound);
    bounds.push(bound);
  }
  return { rows, ours, warm, bounds };
}

async function extensionCost(em: Emulator, snapshotPath: string): Promise<ExtensionCost> {
  const size = (p: string) => (fs.existsSync(p) ? fs.statSync(p).size : undefined);
  const sdkPath = path.join(ROOT, 'dist', 'awsSdk.js');
  const cost: ExtensionCost = {
    extensionJsBytes: size(path.join(ROOT, 'dist', 'extension.js')),
    awsSdkJsBytes: size(sdkPath),
    vsixBytes: size(path.join(ROOT, 'dist', 'aws-identity-center-sessions.vsix')),
  };
  if (fs.existsSync(sdkPath)) {
    const r = await runScenario({ kind: 'sdkLoad', url: em.url, accounts: 0, snapshotPath, sdkPath });
    cost.sdkRequireMs = r.notes?.requireMs as number;
  }
  if (!quick) {
    progress(`activate() in a real VS Code, ${ACTIVATION_RUNS} fresh starts…`);
    try {
      cost.activation = await measureActivation(ACTIVATION_RUNS, progress);
    } catch (e) {
      cost.activationError = `not measured: ${(e as Error).message.split('\n')[0]}`;
      progress(cost.activationError);
    }
  }
  return cost;
}

async function main(): Promise<void> {
  const snapshotPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'awsidc-bench-')), 'listing.json');
  const em = await Emulator.start({ accounts: sizes[0], specialCases: false, latencyMs: LATENCY_MS, throttle: THROTTLE, autoApprove: true });
  let report: unknown;
  try {
    if (only === 'pause') {
      const big = windowSizes.at(-1)!;
      const r = await pauseOnly(em, {
        accounts: big,
        rolesMs: PAUSE_ROLES_MS,
        runs: Number(option('--runs') ?? 1),
        against: option('--against'),
        profileDir: option('--profile'),
        progress,
      });
      process.stdout.write(json ? `${JSON.stringify(r.results)}\n` : `${r.text}\n`);
      return;
    }
    if (only) throw new Error(`--only ${only}: only "pause" can run alone`);
    const single = windowsOnly ? undefined : await listingRows(em, snapshotPath);
    const cost = windowsOnly ? undefined : await extensionCost(em, snapshotPath);
    // Issue 28: 200 hand-outs reviewed in CloudTrail under LookupEvents' 2 calls/s per account and region.
    const trail = windowsOnly ? undefined : await cloudTrailSection({ keys: 200, accounts: 4, latencyMs: LATENCY_MS, progress });
    const targets =
      single && cost ? judge({ ours: single.ours, warm: single.warm, lowerBounds: single.bounds, latencyMs: LATENCY_MS, cost, activationSkipped: quick }) : [];
    const windows = await windowsSection(em, { scale: SCALE, latencyMs: LATENCY_MS, sizes: windowSizes, windows: [1, 2, 3], progress });
    let pause: PauseResult = { error: 'skipped (--quick)' };
    if (!quick) {
      const big = windowSizes.at(-1)!;
      progress(`extension host pauses in a real VS Code while ${big} accounts arrive (+${PAUSE_ROLES_MS / 1000} s of roles)…`);
      em.configure({ latencyMs: LATENCY_MS, throttle: THROTTLE });
      pause = await measureListingPause(em, big, PAUSE_ROLES_MS).catch((e: Error) => ({ error: `not measured: ${e.message.split('\n')[0]}` }));
      progress(`  longest pause ${pause.maxMs?.toFixed(1)} ms, p99 ${pause.p99Ms?.toFixed(1)} ms`);
    }
    const wTargets = windowsTargets(windows.rows, windows.second, pause, LATENCY_MS, SCALE);
    const rows = single?.rows ?? [];
    const machine = {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      node: process.version,
      platform: `${os.type()} ${os.release()}`,
      memGiB: Math.round(os.totalmem() / 2 ** 30),
    };
    const settings = { latencyMs: LATENCY_MS, throttle: THROTTLE, pageSize: PAGE, accounts: sizes, rolesPerAccount: '1–5', windowsScale: SCALE, windowSizes };
    report = {
      machine,
      settings,
      scenarios: rows,
      targets,
      extension: cost,
      cloudTrail: trail?.rows,
      windows: windows.rows,
      secondStart: windows.second,
      pause,
      windowsTargets: wTargets,
      runSeconds: Math.round((Date.now() - t0) / 1000),
    };
    if (json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
    } else {
      const scaleNote =
        SCALE > 1
          ? `FAST MODE (--fast): ${WINDOW_RATE * SCALE} calls/s, ${LATENCY_MS / SCALE} ms per call, delays ÷ ${SCALE}, burst ${BURST}: times are ${SCALE}× shorter than at the real rate, ratios the same.`
          : `Real rate: ${WINDOW_RATE} calls/s, ${LATENCY_MS} ms per call, burst ${BURST}.`;
      const lines = [
        `Emulator: ${LATENCY_MS} ms per call, one token bucket of ${RATE} calls/s (burst ${THROTTLE.burst}) shared by all portal calls; pages of ${PAGE}; 1–5 roles per account.`,
        `Machine: ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, ${machine.platform}.`,
        ...(single && cost ? ['', scenarioTable(rows), '', targetTable(targets), '', costTable(cost)] : []),
        ...(trail
          ? [
              '',
              `CloudTrail review: 200 hand-outs over 4 accounts, ${LATENCY_MS} ms per call, LookupEvents limited to 2 calls/s per account and region.`,
              '',
              trail.table,
            ]
          : []),
        '',
        `Several windows — ${scaleNote}`,
        '',
        windowsTable(windows.rows),
        '',
        secondStartTable(windows.second, windows.rows),
        '',
        targetTable(wTargets),
        '',
        `Run time: ${(report as { runSeconds: number }).runSeconds} s.`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
  } finally {
    await em.stop();
    fs.rmSync(path.dirname(snapshotPath), { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error('[bench] failed:', e);
    process.exit(1);
  },
);
