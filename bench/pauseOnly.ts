// `npm run bench -- --only pause [--runs N] [--against DIR] [--profile DIR]`: only the extension
// host's longest pause while 10,000 accounts arrive (listingPause.ts), N times. --against DIR
// measures another build of the extension too (a folder with dist/extension.js, e.g. main's),
// alternating with ours run by run, so both meet the same machine load: the side-by-side ratio is
// what to trust on a shared machine. --profile DIR writes a CPU profile of each run there.
import * as path from 'path';
import type { Emulator } from '../test/emulator/server';
import { measureListingPause } from './listingPause';
import { fmt, markdown, median } from './report';
import type { PauseResult } from './windowsReport';

export interface PauseOnlyOptions {
  accounts: number;
  rolesMs: number;
  runs: number;
  against?: string;
  profileDir?: string;
  progress: (m: string) => void;
}

const stallsText = (r: PauseResult): string =>
  (r.stalls ?? [])
    .slice(0, 3)
    .map((s) => `${s.ms} ms at ${(s.atMs / 1000).toFixed(1)} s (${s.accounts.toLocaleString('en-US')} accounts)`)
    .join('; ') || '—';

export async function pauseOnly(em: Emulator, o: PauseOnlyOptions): Promise<{ text: string; results: Record<string, PauseResult[]> }> {
  const builds: [string, string | undefined][] = [['ours', undefined], ...(o.against ? ([['against', path.resolve(o.against)]] as [string, string][]) : [])];
  const results: Record<string, PauseResult[]> = Object.fromEntries(builds.map(([name]) => [name, []]));
  for (let run = 1; run <= o.runs; run++) {
    for (const [name, extensionPath] of run % 2 ? builds : [...builds].reverse()) {
      o.progress(`pause run ${run}/${o.runs}, ${name}${extensionPath ? ` (${extensionPath})` : ''}…`);
      const profilePath = o.profileDir ? path.join(path.resolve(o.profileDir), `pause-${name}-${run}.cpuprofile`) : undefined;
      const r = await measureListingPause(em, o.accounts, o.rolesMs, { extensionPath, profilePath }).catch((e: Error): PauseResult => ({
        error: e.message.split('\n')[0],
      }));
      o.progress(`  longest pause ${fmt.ms(r.maxMs)}, p99 ${fmt.ms(r.p99Ms)}; ${r.error ?? stallsText(r)}`);
      results[name].push(r);
    }
  }
  const rows = builds.flatMap(([name]) =>
    results[name].map((r, i) => [name, String(i + 1), fmt.ms(r.maxMs), fmt.ms(r.p99Ms), fmt.ms(r.listedMs), r.error ?? stallsText(r)]),
  );
  const medians = Object.fromEntries(builds.map(([name]) => [name, median(results[name].flatMap((r) => (r.maxMs === undefined ? [] : [r.maxMs])))]));
  const lines = [
    `Extension-host pause while ${o.accounts.toLocaleString('en-US')} accounts arrive (+${o.rolesMs / 1000} s of roles), ${o.runs} run(s) per build:`,
    '',
    markdown(['build', 'run', 'longest pause', 'p99', 'all accounts listed', 'longest stalls (when, accounts listed by then)'], rows),
    '',
    ...builds.map(([name]) => `median longest pause, ${name}: ${fmt.ms(medians[name])} (target < 50 ms: ${medians[name] < 50 ? 'PASS' : 'MISS'})`),
    ...(o.against ? [`ours ÷ against: ${(medians.ours / medians.against).toFixed(2)}×`] : []),
  ];
  return { text: lines.join('\n'), results };
}
