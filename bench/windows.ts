// Several VS Code windows listing one organisation: each "window" is a process of its own
// (test/support/listingWindow.ts) running the real catalog, against the one emulator and its one
// token bucket. Baseline: today's behaviour before the shared listing (every window lists
// everything at 20 calls/s, a throttled role switch fails after the SDK's own 3 attempts). Ours:
// the shared listing (one window lists at 19.2 calls/s, the others follow), role switches that
// take a slot ahead of the background and retry throttling.
// `scale` > 1 is the fast mode: the bucket's rate × scale, the latency ÷ scale, every delay ÷ scale,
// burst unchanged, so every ratio (calls, time ÷ lower bound, tokens left for a switch) is the same.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BACKGROUND_RATE_PER_SEC } from '../src/core/accounts/catalog';
import type { Emulator } from '../test/emulator/server';
import { WINDOW_RESULT, type WindowInput, type WindowResult } from '../test/support/listingWindow';

const START_URL = 'https://emulator.awsapps.com/start';
const SCRIPT = path.join(__dirname, '../test/support/listingWindow.js');
export const RATE = 20;
export const BURST = 20;
const SWITCHES = 20;

export type Mode = 'baseline' | 'ours';

export interface WindowsRow {
  mode: Mode;
  accounts: number;
  windows: number;
  /** ListAccounts + ListAccountRoles, as the emulator logged them (retries included). */
  listingCalls: number;
  /** Every 429 the emulator sent (listing and switches). */
  throttled: number;
  /** The last window to know every role, from the first window's start. */
  allRolesMs?: number;
  boundMs: number;
  userErrors: number;
  switchMs: number[];
  switchFailures: string[];
  /** Peak heap growth of the first window (the lister, in ours). */
  heapGrowthBytes?: number;
}

export interface SecondStart {
  accounts: number;
  listAccountRoles: number;
  allCalls: number;
  shownMs?: number;
}

export interface WindowsSettings {
  scale: number;
  latencyMs: number;
  sizes: number[];
  windows: number[];
  progress: (m: string) => void;
}

export const boundMs = (accounts: number, scale: number): number => ((Math.ceil(accounts / 100) + accounts) / (RATE * scale)) * 1000;

function runWindow(input: WindowInput): Promise<WindowResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', SCRIPT, JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(WINDOW_RESULT));
      if (line) resolve(JSON.parse(line.slice(WINDOW_RESULT.length)) as WindowResult);
      else reject(new Error(`window exited with ${code}:\n${err}`));
    });
  });
}

async function runWindows(em: Emulator, s: WindowsSettings, mode: Mode, accounts: number, n: number, root: string): Promise<WindowsRow> {
  em.configure({ throttle: { ratePerSec: RATE * s.scale, burst: BURST } }); // a fresh, full bucket
  em.clearCalls();
  const bound = boundMs(accounts, s.scale);
  const base = {
    url: em.url,
    startUrl: START_URL,
    root: mode === 'ours' ? root : undefined,
    accounts,
    ratePerSec: (mode === 'ours' ? BACKGROUND_RATE_PER_SEC : RATE) * s.scale,
    baseline: mode === 'baseline',
  };
  const runs: Promise<WindowResult>[] = [];
  for (let i = 0; i < n; i++) {
    // Windows opened a moment apart; the last one opened is where the user switches roles.
    if (i > 0) await new Promise((r) => setTimeout(r, 2_000 / s.scale));
    const switches = i === n - 1 ? { count: SWITCHES, everyMs: bound / (SWITCHES * 1.5), startMs: 1_000 / s.scale } : undefined;
    runs.push(runWindow({ ...base, switches, heap: i === 0 }));
  }
  const results = await Promise.all(runs);
  const calls = em.calls();
  // From the first window's start of listing (after its sign-in) to the last window knowing every role.
  const t0 = Math.min(...results.map((r) => r.startedAt));
  const times = results.map((r) => (r.allRolesAt === undefined ? undefined : r.allRolesAt - t0));
  return {
    mode,
    accounts,
    windows: n,
    listingCalls: calls.filter((c) => c.operation === 'ListAccounts' || c.operation === 'ListAccountRoles').length,
    throttled: calls.filter((c) => c.status === 429).length,
    allRolesMs: times.every((t) => t !== undefined) ? Math.max(...(times as number[])) : undefined,
    boundMs: bound,
    userErrors: results.reduce((sum, r) => sum + r.userErrors + r.switchFailures.length + (accounts - r.loaded), 0),
    switchMs: results.flatMap((r) => r.switchMs),
    switchFailures: results.flatMap((r) => r.switchFailures),
    heapGrowthBytes: results[0].heapGrowthBytes,
  };
}

/** A window opened after the listing, within the freshness window: what does it call? */
async function secondStart(em: Emulator, s: WindowsSettings, accounts: number, root: string): Promise<SecondStart> {
  em.clearCalls();
  const r = await runWindow({ url: em.url, startUrl: START_URL, root, accounts, ratePerSec: BACKGROUND_RATE_PER_SEC * s.scale });
  const calls = em.calls();
  return {
    accounts,
    listAccountRoles: calls.filter((c) => c.operation === 'ListAccountRoles').length,
    allCalls: calls.filter((c) => c.operation === 'ListAccounts' || c.operation === 'ListAccountRoles' || c.operation === 'GetRoleCredentials').length,
    shownMs: r.allRolesAt === undefined ? undefined : r.allRolesAt - r.startedAt,
  };
}

export async function windowsSection(em: Emulator, s: WindowsSettings): Promise<{ rows: WindowsRow[]; second: SecondStart[] }> {
  em.configure({ latencyMs: s.latencyMs / s.scale });
  const rows: WindowsRow[] = [];
  const second: SecondStart[] = [];
  for (const accounts of s.sizes) {
    em.configure({ accounts });
    for (const mode of ['baseline', 'ours'] as const) {
      for (const n of s.windows) {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'awsidc-bench-windows-'));
        s.progress(`${accounts} accounts, ${n} window(s), ${mode}…`);
        const row = await runWindows(em, s, mode, accounts, n, root);
        const p = (q: number) => quantile(row.switchMs, q);
        s.progress(`  switches: ${row.switchMs.map((x) => x.toFixed(0)).join(' ')}`);
        s.progress(
          `  ${row.listingCalls} calls, all roles ${row.allRolesMs?.toFixed(0)} ms (${((row.allRolesMs ?? NaN) / row.boundMs).toFixed(3)}×), ${row.throttled} 429s, ${row.userErrors} user errors; switches p50 ${p(0.5)?.toFixed(0)} p99 ${p(0.99)?.toFixed(0)} ms, ${row.switchFailures.length} failed`,
        );
        rows.push(row);
        if (mode === 'ours' && n === 1) {
          const again = await secondStart(em, s, accounts, root);
          s.progress(`  second start: ${again.listAccountRoles} ListAccountRoles, ${again.allCalls} portal calls`);
          second.push(again);
        }
        fs.rmSync(root, { recursive: true, force: true });
      }
    }
  }
  return { rows, second };
}

/** Nearest-rank quantile; undefined for no values. */
export function quantile(values: number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}
