// Turns measurements into the table, the PASS/MISS list and the extension-cost lines.
// Everything printed is markdown, so a run can be pasted into docs/benchmarks.md as is.

export interface Row {
  scenario: string;
  accounts: number;
  firstPageMs?: number;
  allRolesMs?: number;
  calls?: number;
  throttled?: number;
  userErrors?: number;
  heapGrowthBytes?: number;
  /** allRolesMs ÷ the lower bound's; undefined where it means nothing (warm start, the bound itself). */
  vsLowerBound?: number;
  /** Accounts whose roles match the seed; less than `accounts` means an incomplete tree. */
  correctAccounts?: number;
  notes?: Record<string, unknown>;
}

export interface ActivationCost {
  /** activate() wall time reported by the extension itself, one per fresh VS Code. */
  runsMs: number[];
  medianMs: number;
  /** VS Code's own "Activation: N ms" (code loading + activate call) from Running Extensions. */
  vscodeRunsMs: (number | undefined)[];
  vscodeMedianMs?: number;
  /** The same number for an extension that does nothing: VS Code's own floor on this machine. */
  emptyExtensionVscodeRunsMs: (number | undefined)[];
  emptyExtensionVscodeMedianMs?: number;
  /** dist/awsSdk.js was in require.cache right after activation (it must not be). */
  sdkLoadedAtActivation: boolean;
  activatedBy: string[];
}

export interface ExtensionCost {
  extensionJsBytes?: number;
  awsSdkJsBytes?: number;
  vsixBytes?: number;
  /** Cold require of dist/awsSdk.js in a fresh process: what the lazy load saves activate(). */
  sdkRequireMs?: number;
  activation?: ActivationCost;
  activationError?: string;
}

export type Verdict = 'PASS' | 'MISS' | 'SKIP';
export interface Target {
  label: string;
  measured: string;
  verdict: Verdict;
  limitedBy?: string;
}

export const KB = 1000; // sizes in decimal kB: the stricter reading of "600 KB"

const ms = (v?: number): string => (v === undefined ? '—' : v < 1000 ? `${v.toFixed(v < 10 ? 1 : 0)} ms` : `${(v / 1000).toFixed(1)} s`);
const mb = (b?: number): string => (b === undefined ? '—' : `${(b / 1024 / 1024).toFixed(1)} MB`);
const kb = (b?: number): string => (b === undefined ? '—' : `${(b / KB).toFixed(1)} kB`);
const num = (v?: number): string => (v === undefined ? '—' : v.toLocaleString('en-US'));

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function scenarioTable(rows: Row[]): string {
  const head = ['scenario', 'accounts', 'first page', 'all roles', 'calls', '429s', 'user errors', 'heap growth', 'vs lower bound'];
  const lines = rows.map((r) => {
    const incomplete = r.correctAccounts !== undefined && r.correctAccounts < r.accounts;
    return [
      r.scenario,
      num(r.accounts),
      ms(r.firstPageMs),
      ms(r.allRolesMs) + (incomplete ? ` (${num(r.accounts - r.correctAccounts!)} accounts missing)` : ''),
      num(r.calls),
      num(r.throttled),
      num(r.userErrors),
      mb(r.heapGrowthBytes),
      r.vsLowerBound === undefined ? '—' : `${r.vsLowerBound.toFixed(2)}×${incomplete ? ' (incomplete)' : ''}`,
    ];
  });
  return markdown(head, lines);
}

export function targetTable(targets: Target[]): string {
  return markdown(
    ['target', 'measured', 'result'],
    targets.map((t) => [t.label, t.measured + (t.limitedBy ? ` — ${t.limitedBy}` : ''), t.verdict]),
  );
}

export function costTable(c: ExtensionCost): string {
  const a = c.activation;
  const rows = [
    ['dist/extension.js', kb(c.extensionJsBytes)],
    ['dist/awsSdk.js (loaded on first AWS call)', kb(c.awsSdkJsBytes)],
    ['.vsix', kb(c.vsixBytes)],
    ['require(dist/awsSdk.js), cold, fresh process', ms(c.sdkRequireMs)],
    [
      "activate(), median of runs (extension's own timer)",
      a ? `${a.medianMs.toFixed(2)} ms (runs: ${a.runsMs.map((v) => v.toFixed(2)).join(', ')})` : (c.activationError ?? 'skipped'),
    ],
    [
      'VS Code "Activation" (code load + activate call), median',
      a?.vscodeMedianMs !== undefined ? `${a.vscodeMedianMs} ms (runs: ${a.vscodeRunsMs.map((v) => v ?? '?').join(', ')})` : '—',
    ],
    [
      "  same, for an empty extension (VS Code's floor), median",
      a?.emptyExtensionVscodeMedianMs !== undefined
        ? `${a.emptyExtensionVscodeMedianMs} ms (runs: ${a.emptyExtensionVscodeRunsMs.map((v) => v ?? '?').join(', ')})`
        : '—',
    ],
    ['AWS SDK loaded during activation', a ? (a.sdkLoadedAtActivation ? 'yes' : 'no') : '—'],
  ];
  return markdown(['extension cost', 'measured'], rows);
}

export function markdown(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export const fmt = { ms, mb, kb };
