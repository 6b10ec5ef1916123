// The several-windows table and its targets (issue 17), as markdown like the rest of the report.
import { fmt, markdown, type Target, type Verdict } from './report';
import { quantile, type SecondStart, type WindowsRow } from './windows';

/** One stall of the extension host's event loop: when (ms after Sign In), how long, accounts listed by then. */
export interface PauseStall {
  atMs: number;
  ms: number;
  accounts: number;
}

export interface PauseResult {
  /** Longest event-loop pause of the extension host while the accounts arrived (ms). */
  maxMs?: number;
  p99Ms?: number;
  accounts?: number;
  observedMs?: number;
  /** ms from Sign In until every account was listed. */
  listedMs?: number;
  /** The longest stalls, longest first. */
  stalls?: PauseStall[];
  error?: string;
}

const label = (r: WindowsRow): string => (r.mode === 'ours' ? 'ours (shared listing)' : 'baseline (each window lists)');

export function windowsTable(rows: WindowsRow[]): string {
  const head = [
    'scenario',
    'accounts',
    'windows',
    'listing calls',
    'vs 1 window',
    'all roles',
    'vs lower bound',
    '429s',
    'user errors',
    'switch p50',
    'switch p99',
    'failed switches',
  ];
  const lines = rows.map((r) => {
    const one = rows.find((o) => o.mode === r.mode && o.accounts === r.accounts && o.windows === 1);
    return [
      label(r),
      r.accounts.toLocaleString('en-US'),
      String(r.windows),
      r.listingCalls.toLocaleString('en-US'),
      one ? `${(r.listingCalls / one.listingCalls).toFixed(3)}×` : '—',
      fmt.ms(r.allRolesMs),
      r.allRolesMs === undefined ? 'incomplete' : `${(r.allRolesMs / r.boundMs).toFixed(3)}×`,
      r.throttled.toLocaleString('en-US'),
      r.userErrors.toLocaleString('en-US'),
      fmt.ms(quantile(r.switchMs, 0.5)),
      fmt.ms(quantile(r.switchMs, 0.99)),
      `${r.switchFailures.length} of ${r.switchMs.length + r.switchFailures.length}`,
    ];
  });
  return markdown(head, lines);
}

export function secondStartTable(second: SecondStart[], rows: WindowsRow[]): string {
  const lines = second.map((s) => {
    const baseline = rows.find((r) => r.mode === 'baseline' && r.accounts === s.accounts && r.windows === 1);
    return [
      s.accounts.toLocaleString('en-US'),
      baseline ? `${baseline.listingCalls.toLocaleString('en-US')} (lists everything again: the 1-window row)` : '—',
      `${s.allCalls} (${s.listAccountRoles} ListAccountRoles)`,
      fmt.ms(s.shownMs),
    ];
  });
  return markdown(['accounts', 'baseline: calls at a second start', 'ours: calls at a second start', 'ours: every role shown after'], lines);
}

export function windowsTargets(rows: WindowsRow[], second: SecondStart[], pause: PauseResult, latencyMs: number, scale: number): Target[] {
  const v = (ok: boolean | undefined): Verdict => (ok === undefined ? 'SKIP' : ok ? 'PASS' : 'MISS');
  const ours = rows.filter((r) => r.mode === 'ours');
  const out: Target[] = [];
  const ratios = ours
    .filter((r) => r.windows > 1)
    .map((r) => ({ r, x: r.listingCalls / ours.find((o) => o.accounts === r.accounts && o.windows === 1)!.listingCalls }));
  out.push({
    label: 'N windows make ≤ 1.05× the calls of one',
    measured: ratios.map(({ r, x }) => `${x.toFixed(3)}× (${r.windows} windows, ${r.accounts.toLocaleString('en-US')})`).join(', '),
    verdict: v(ratios.length ? ratios.every(({ x }) => x <= 1.05) : undefined),
  });
  const failed = ours.reduce((n, r) => n + r.switchFailures.length, 0);
  const total = ours.reduce((n, r) => n + r.switchFailures.length + r.switchMs.length, 0);
  out.push({ label: '0 failed role switches', measured: `${failed} of ${total}`, verdict: v(failed === 0) });
  const limit = (latencyMs + 100) / scale;
  const p99 = quantile(
    ours.flatMap((r) => r.switchMs),
    0.99,
  );
  out.push({
    label: `role switch p99 during a listing ≤ 1 round trip + 100 ms (${fmt.ms(limit)}${scale > 1 ? `, ÷${scale} in fast mode` : ''})`,
    measured: `${fmt.ms(p99)} over ${total} switches`,
    verdict: v(p99 === undefined ? undefined : p99 <= limit),
  });
  out.push({
    label: 'second start within the freshness window: 0 ListAccountRoles calls',
    measured: second.map((s) => `${s.listAccountRoles} at ${s.accounts.toLocaleString('en-US')}`).join(', '),
    verdict: v(second.length ? second.every((s) => s.listAccountRoles === 0) : undefined),
  });
  const big = Math.max(...rows.map((r) => r.accounts));
  const bigOurs = ours.filter((r) => r.accounts === big);
  const worst = Math.max(...bigOurs.map((r) => (r.allRolesMs ?? Infinity) / r.boundMs));
  out.push({
    label: `${big.toLocaleString('en-US')} accounts: all roles within 1.05× the lower bound, every window count`,
    measured: bigOurs.map((r) => `${((r.allRolesMs ?? Infinity) / r.boundMs).toFixed(3)}× (${r.windows})`).join(', '),
    verdict: v(bigOurs.length ? worst <= 1.05 : undefined),
  });
  const heap = bigOurs.find((r) => r.windows === 1)?.heapGrowthBytes;
  out.push({
    label: `${big.toLocaleString('en-US')} accounts: heap growth < 60 MB (the listing window)`,
    measured: fmt.mb(heap),
    verdict: v(heap === undefined ? undefined : heap < 60 * 2 ** 20),
  });
  out.push({
    label: `${(pause.accounts ?? big).toLocaleString('en-US')} accounts arriving: longest extension-host pause < 50 ms (real VS Code)`,
    measured:
      pause.maxMs !== undefined ? `${fmt.ms(pause.maxMs)} (p99 ${fmt.ms(pause.p99Ms)}, over ${fmt.ms(pause.observedMs)})` : (pause.error ?? 'not measured'),
    verdict: v(pause.maxMs === undefined ? undefined : pause.maxMs < 50),
  });
  return out;
}
