// Test entry for a real VS Code extension host (extensionTestsPath). Same contract for the
// code-server harness (test/harness/runVscodeTests.ts) and @vscode/test-electron: run() resolves
// when every test passed. With AWSIDC_TEST_RESULTS set, a JSON summary is written there too.
import * as fs from 'fs';
import * as path from 'path';
import type MochaType from 'mocha';

// mocha 12's main entry is ESM; lib/mocha.cjs is its CommonJS build, which every extension host
// (incl. Electron's Node without require(esm)) can load.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Mocha: typeof MochaType = require('mocha/lib/mocha.cjs');

/**
 * Busy CPU-seconds of the whole machine so far (Linux /proc/stat; undefined elsewhere). On a machine
 * running one VS Code version alone, a suite's share is what its windows, hosts and peers cost.
 */
function machineBusyCpuSeconds(): number | undefined {
  try {
    const [, ...ticks] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    // user, nice, system, (idle, iowait,) irq, softirq: work done here, not steal (time a hypervisor withheld).
    const [user, nice, system, , , irq, softirq] = ticks;
    return (user + nice + system + (irq ?? 0) + (softirq ?? 0)) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

function testFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? testFiles(p) : e.name.endsWith('.test.js') ? [p] : [];
    })
    .sort();
}

/**
 * With AWSIDC_SUITE_ORDER=rotated the files run from the middle of the list on (then the first half),
 * activation first: a check that suites do not lean on the ones before them. npm test does not use
 * it: after a suite that opened a second window, a Sign In here can find this window's copy of the
 * secrets stale and reload the window (CONTRIBUTING.md), which restarts the run.
 */
function suiteOrder(files: string[]): string[] {
  if (process.env.AWSIDC_SUITE_ORDER !== 'rotated') return files;
  const [first, ...rest] = files;
  const half = Math.floor(rest.length / 2);
  return [first, ...rest.slice(half), ...rest.slice(0, half)];
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    timeout: 60_000,
    color: false,
    reporter: 'spec',
    grep: process.env.MOCHA_GREP || undefined,
    bail: !!process.env.MOCHA_BAIL,
  });
  for (const f of suiteOrder(testFiles(__dirname))) mocha.addFile(f);
  const results: { title: string; suite?: string; state: string; duration?: number; error?: string }[] = [];
  // Each suite's wall time with its hooks (window opens, sign-ins): where a run's time goes.
  const suites: { title: string; startedAt: number; ms?: number; cpuAtStart?: number; cpuSeconds?: number }[] = [];

  return new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const file = process.env.AWSIDC_TEST_RESULTS;
        if (file) {
          const count = (s: string) => results.filter((r) => r.state === s).length;
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, JSON.stringify({ passes: count('passed'), failures, pending: count('pending'), tests: results, suites }, null, 2));
        }
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else resolve();
      });
      runner.on('suite', (s) => s.title && suites.push({ title: s.fullTitle(), startedAt: Date.now(), cpuAtStart: machineBusyCpuSeconds() }));
      runner.on('suite end', (s) => {
        const open = suites.find((x) => x.title === s.fullTitle() && x.ms === undefined);
        if (!open) return;
        open.ms = Date.now() - open.startedAt;
        const cpu = machineBusyCpuSeconds();
        if (cpu !== undefined && open.cpuAtStart !== undefined) open.cpuSeconds = Math.round((cpu - open.cpuAtStart) * 10) / 10;
        delete open.cpuAtStart;
      });
      runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', duration: t.duration }));
      // suite: the top-level suite, which a rerun of the failed suites selects (test/harness/failedSuites.ts).
      runner.on('fail', (t, err) => results.push({ title: t.fullTitle(), suite: t.titlePath()[0], state: 'failed', error: String(err?.stack ?? err) }));
      runner.on('pending', (t) => results.push({ title: t.fullTitle(), state: 'pending' }));
    } catch (e) {
      reject(e); // e.g. a test file that throws while loading
    }
  });
}
