// activate() time inside a real VS Code extension host: N fresh code-server starts (new profile
// each, so every run is a first activation), each running bench/activationProbe as the extension
// test entry. Also reads VS Code's own "Activation: N ms" from the Running Extensions editor, for
// ours and for an empty extension (bench/fixtures/empty-extension): VS Code's floor on this machine.
//   node out/bench/activation.js [runs]   → prints the JSON result
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { launchBrowser, type Browser } from '../test/harness/browser';
import { REPO_ROOT, startCodeServer, tail, workbenchUrl } from '../test/harness/codeServer';
import { oldestVersion, selectedVersion } from '../test/harness/vscodeVersions';
import { median, type ActivationCost } from './report';

const PROBE = path.join(__dirname, 'activationProbe.js');
const EMPTY_EXTENSION = path.join(REPO_ROOT, 'bench', 'fixtures', 'empty-extension');
const RUN_TIMEOUT_MS = 90_000;
/** The oldest supported VS Code by default (where the baselines were taken); $AWSIDC_VSCODE picks another. */
const VERSION = selectedVersion(oldestVersion);

interface Subject {
  path: string;
  id: string;
  row: RegExp;
}
const OURS: Subject = { path: REPO_ROOT, id: 'awsidc.aws-identity-center-sessions', row: /aws-identity-center-sessions|AWS Identity Center Sessions/i };
const EMPTY: Subject = { path: EMPTY_EXTENSION, id: 'awsidc-bench.empty-extension', row: /empty-extension|Bench Empty Extension/i };

interface RunResult {
  activationMs?: number;
  sdkLoaded: boolean;
  activatedBy: string;
  vscodeMs?: number;
}

export async function measureActivation(runs: number, progress: (m: string) => void = () => {}): Promise<ActivationCost> {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) throw new Error('dist/extension.js missing: run npm run build');
  const browser = await launchBrowser();
  const ours: RunResult[] = [];
  const empty: RunResult[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const r = await runOnce(browser, OURS, i + 1);
      if (typeof r.activationMs !== 'number') throw new Error('the extension reported no activationMs (is dist/ built from the current src/extension.ts?)');
      ours.push(r);
      empty.push(await runOnce(browser, EMPTY, i + 1));
      progress(
        `  run ${i + 1}: activate() ${r.activationMs.toFixed(2)} ms; VS Code says ${r.vscodeMs ?? '?'} ms (empty extension: ${empty.at(-1)!.vscodeMs ?? '?'} ms)`,
      );
    }
  } finally {
    await browser.close();
  }
  const known = (rs: RunResult[]) => rs.map((r) => r.vscodeMs).filter((v): v is number => v !== undefined);
  const medianOf = (v: number[]) => (v.length ? median(v) : undefined);
  return {
    runsMs: ours.map((r) => r.activationMs!),
    medianMs: median(ours.map((r) => r.activationMs!)),
    vscodeRunsMs: ours.map((r) => r.vscodeMs),
    vscodeMedianMs: medianOf(known(ours)),
    emptyExtensionVscodeRunsMs: empty.map((r) => r.vscodeMs),
    emptyExtensionVscodeMedianMs: medianOf(known(empty)),
    sdkLoadedAtActivation: ours.some((r) => r.sdkLoaded),
    activatedBy: ours.map((r) => r.activatedBy),
  };
}

/** One fresh code-server with `subject` as the development extension and the probe as its tests. */
async function runOnce(browser: Browser, subject: Subject, n: number): Promise<RunResult> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'awsidc-bench-activation-'));
  const out = path.join(outDir, 'probe.json');
  const cs = await startCodeServer({
    name: 'awsidc-bench-activation',
    version: VERSION,
    devMode: true,
    env: { AWSIDC_BENCH_OUT: out, AWSIDC_BENCH_EXTENSION: subject.id },
  });
  const page = await browser.context.newPage();
  try {
    let exitCode: number | undefined;
    await page.exposeFunction('codeAutomationLog', () => {}); // dev-mode log forwarding; not needed here
    await page.exposeFunction('codeAutomationExit', (code: number) => {
      exitCode = code;
    });
    await page.goto(workbenchUrl(cs, { extensionPath: subject.path, testsPath: PROBE }));
    const deadline = Date.now() + RUN_TIMEOUT_MS;
    while (!fs.existsSync(out)) {
      if (exitCode !== undefined || Date.now() > deadline || !cs.alive()) {
        throw new Error(`activation run ${n} (${subject.id}): no result, probe exit ${exitCode}\n${tail(cs.logPath, 15)}`);
      }
      await page.waitForTimeout(100);
    }
    const probe = JSON.parse(fs.readFileSync(out, 'utf8')) as Omit<RunResult, 'vscodeMs'>;
    return { ...probe, vscodeMs: await vscodeActivationMs(page, subject.row) };
  } finally {
    await page.close({ runBeforeUnload: false }).catch(() => {});
    await cs.stop();
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

/** "Activation: 12ms" / "Startup Activation: 12ms" in the subject's row of Running Extensions. */
async function vscodeActivationMs(page: import('playwright-core').Page, row: RegExp): Promise<number | undefined> {
  const cell = page.locator('.monaco-list-row', { hasText: row }).locator('.activation-time');
  const text = await cell
    .first()
    .textContent({ timeout: 2_500 })
    .catch(() => null);
  const m = /(\d+(?:\.\d+)?)\s*ms/.exec(text ?? '');
  return m ? Number(m[1]) : undefined;
}

if (require.main === module) {
  measureActivation(Number(process.argv[2] ?? 5), (m) => console.error(m))
    .then((r) => {
      console.log(JSON.stringify(r, null, 2));
      process.exit(0);
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
