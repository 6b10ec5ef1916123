// The targets of the issue, judged from the measured rows. Each miss says what limits it.
import { fmt, KB, type ExtensionCost, type Row, type Target, type Verdict } from './report';

export interface TargetInput {
  ours: Row[]; // one per account count, ascending
  warm: Row[];
  lowerBounds: Row[];
  latencyMs: number;
  cost: ExtensionCost;
  activationSkipped: boolean;
}

const verdict = (ok: boolean | undefined): Verdict => (ok === undefined ? 'SKIP' : ok ? 'PASS' : 'MISS');

export function judge(t: TargetInput): Target[] {
  const big = t.ours.at(-1)!;
  const bound = t.lowerBounds.at(-1)!;
  const warmBig = t.warm.at(-1)!;
  const firstPageLimit = 2 * t.latencyMs + 50;
  const worstFirstPage = Math.max(...t.ours.map((r) => r.firstPageMs ?? Infinity));
  const out: Target[] = [];

  const rolesOk = big.vsLowerBound !== undefined && big.vsLowerBound <= 1.1 && big.userErrors === 0 && big.correctAccounts === big.accounts;
  out.push({
    label: `all roles ≤ 1.1× lower bound (${fmt.ms(1.1 * bound.allRolesMs!)}) on ${big.accounts.toLocaleString('en-US')} accounts, 0 user errors`,
    measured: `${fmt.ms(big.allRolesMs)} = ${big.vsLowerBound?.toFixed(2)}×, ${big.userErrors} user errors, ${big.throttled} 429s`,
    verdict: verdict(rolesOk),
    limitedBy: rolesOk ? undefined : 'see the 429s and calls columns: extra calls or back-off pauses cost 50 ms each at 20 calls/s',
  });
  out.push({
    label: `first page ≤ 2 round trips + 50 ms (${firstPageLimit} ms), every size`,
    measured: t.ours.map((r) => `${fmt.ms(r.firstPageMs)} at ${r.accounts.toLocaleString('en-US')}`).join(', '),
    verdict: verdict(worstFirstPage <= firstPageLimit),
  });
  out.push({
    label: `warm start from the cached listing < 100 ms (${warmBig.accounts.toLocaleString('en-US')} accounts)`,
    measured: fmt.ms(warmBig.firstPageMs),
    verdict: verdict((warmBig.firstPageMs ?? Infinity) < 100),
  });
  out.push({
    label: `heap growth < 30 MB (${big.accounts.toLocaleString('en-US')} accounts)`,
    measured: fmt.mb(big.heapGrowthBytes),
    verdict: verdict((big.heapGrowthBytes ?? Infinity) < 30 * 1024 * 1024),
  });
  const a = t.cost.activation;
  out.push({
    label: 'activate() < 15 ms (median, real extension host)',
    measured: a ? `${a.medianMs.toFixed(2)} ms` : (t.cost.activationError ?? 'skipped (--quick)'),
    verdict: t.activationSkipped ? 'SKIP' : verdict(a ? a.medianMs < 15 && !a.sdkLoadedAtActivation : false),
  });
  out.push({
    label: 'dist/extension.js < 600 kB',
    measured: fmt.kb(t.cost.extensionJsBytes),
    verdict: verdict(t.cost.extensionJsBytes === undefined ? false : t.cost.extensionJsBytes < 600 * KB),
  });
  out.push({
    label: '.vsix < 300 kB',
    measured: fmt.kb(t.cost.vsixBytes),
    verdict: verdict(t.cost.vsixBytes === undefined ? false : t.cost.vsixBytes < 300 * KB),
  });
  return out;
}
