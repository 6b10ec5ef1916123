// Runs the mocha suites of test/vscode inside a REAL VS Code extension host (code-server +
// headless Chromium), the offline stand-in for @vscode/test-electron. Exit code: 0 passed,
// 1 failures, 2 timeout (TEST_TIMEOUT seconds, default 1500) or harness error, 3 an issued secret found
// in a file (the canary; never rerun by scripts/vscode-suites.sh).
// Env: AWSIDC_VSCODE (which VS Code, e.g. 1.100; default the newest), TEST_TIMEOUT, VERBOSE=1
// (print every workbench log line), CHROME_PATH, HEADED=1, CODE_SERVER_LOG=trace (the server's log level,
// in vscode-logs/ of a failed run). Artifacts: test-results/vscode-<version>/.
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import { Emulator } from '../emulator/server';
import { filesContaining, scannableSecrets } from './canary';
import { harnessRun } from './teardown';
import { launchBrowser } from './browser';
import { Bridge, type WindowHost } from './bridge';
import { REPO_ROOT, type CodeServer, logFilesUnder, startCodeServer, tail, workbenchUrl } from './codeServer';
import { resultsDir } from './teardown';
import { selectedVersion } from './vscodeVersions';

const TIMEOUT_MS = Number(process.env.TEST_TIMEOUT || 1500) * 1000;
const VERBOSE = process.env.VERBOSE === '1';
const VERSION = selectedVersion();
const RESULTS = resultsDir(VERSION);
const SHOTS = path.join(RESULTS, 'screenshots');
const RESULTS_JSON = path.join(RESULTS, 'vscode-results.json');
const TESTS_INDEX = path.join(REPO_ROOT, 'out', 'test', 'vscode', 'index.js');

// Workbench chatter that says nothing about our extension (offline gallery, connection setup).
const NOISE =
  /ENOTFOUND|open-vsx|^\[AgentHost[\]:]|^\[AccountPolicyGate\]|^\[reconnection-grace-time\]|^\[ChatModelSelection\]|^Resolv(ing|ed) connection token|^Creating a socket|^Updating additional builtin|^\[Service Worker\]|^ChatSessionStore/;

const run = harnessRun('vscode', RESULTS);
const cleanup = (failed: boolean): Promise<void> => run.stop(failed);

async function main(): Promise<number> {
  const t0 = Date.now();
  const secs = () => ((Date.now() - t0) / 1000).toFixed(1);
  if (!fs.existsSync(TESTS_INDEX)) throw new Error(`${TESTS_INDEX} missing: run npm run compile`);
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) throw new Error('dist/extension.js missing: run npm run build');
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const f of fs.readdirSync(SHOTS)) if (f.startsWith('vscode-')) fs.rmSync(path.join(SHOTS, f)); // stale timeout shots
  fs.rmSync(RESULTS_JSON, { force: true });
  fs.rmSync(path.join(RESULTS, 'vscode-logs'), { recursive: true, force: true });

  const emulator = (run.parts.emulator = await Emulator.start({ port: 0, accounts: 25, interval: 1 }));
  const browser = (run.parts.browser = await launchBrowser());
  const page = await browser.context.newPage();
  // Other windows (test/vscode/windows.test.ts): more pages on the same server, each with its own
  // extension host running the development extension (no test payload: only window 0 runs mocha).
  const windows: WindowHost = {
    open: async (folder, onLog, restricted) => {
      const dir = folder ?? fs.mkdtempSync(path.join(cs.runDir, 'window-'));
      fs.mkdirSync(dir, { recursive: true });
      // Restricted Mode needs workspace trust on, which is per server: a second one, started on first use.
      const server = restricted ? await restrictedServer(restricted.settings) : cs;
      const p = await browser.context.newPage();
      await p.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => onLog(util.format(...(Array.isArray(args) ? args : [args]))));
      await p.exposeFunction('codeAutomationExit', () => undefined);
      await p.goto(workbenchUrl(server, { extensionPath: REPO_ROOT }, dir));
      return p;
    },
    logFiles: (): string[] => [cs, run.parts.restrictedCs].flatMap((server) => (server ? logFilesUnder(path.join(server.userDataDir, 'logs')) : [])),
  };
  const restrictedServer = async (settings: Record<string, unknown> = {}): Promise<CodeServer> =>
    (run.parts.restrictedCs ??= await startCodeServer({
      name: 'awsidc-vscode-restricted',
      version: VERSION,
      devMode: true,
      workspaceTrust: true,
      reconnectionGraceSeconds: 5,
      settings,
      // Signs in like the test window: /authorize on 127.0.0.2, which code-server does not rewrite (see below).
      env: { ...emulator.env, AWS_ENDPOINT_URL_SSO_OIDC: browserOidc, AWSIDC_EMULATOR_URL: emulator.url, AWSIDC_HARNESS_URL: harnessUrl },
      moreTrustedDomains: ['http://127.0.0.2:*'],
    }));
  const bridge = (run.parts.bridge = new Bridge(browser.context, () => page, SHOTS, windows));
  const harnessUrl = await bridge.listen();
  const browserOidc = await emulator.listenAlso('127.0.0.2');
  const cs: CodeServer = (run.parts.cs = await startCodeServer({
    name: 'awsidc-vscode-tests',
    version: VERSION,
    devMode: true,
    reconnectionGraceSeconds: 5, // a closed window's extension host ends soon (windows.test.ts hands work over)
    // /authorize is opened in the browser on the OIDC endpoint: on 127.0.0.2, which code-server does not rewrite (emulator.listenAlso).
    env: {
      ...emulator.env,
      AWS_ENDPOINT_URL_SSO_OIDC: browserOidc,
      AWSIDC_EMULATOR_URL: emulator.url,
      AWSIDC_TEST_RESULTS: RESULTS_JSON,
      AWSIDC_HARNESS_URL: harnessUrl,
    },
    moreTrustedDomains: ['http://127.0.0.2:*'],
  }));
  console.log(
    `[harness] VS Code ${VERSION.vscode}: emulator ${emulator.url}, code-server ${VERSION.codeServer} ${cs.url} (pid ${cs.pid}), bridge ${harnessUrl} — ${secs()} s`,
  );

  let exitCode: number | undefined;
  // The workbench calls these in extension-development mode: every log line of the window and the
  // extension host (so mocha's reporter), and the code run() settled with.
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
    const line = util.format(...(Array.isArray(args) ? args : [args]));
    if (!VERBOSE && NOISE.test(line)) return;
    (type === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => {
    exitCode = code;
  });
  page.on('pageerror', (e) => VERBOSE && console.error('[page error]', e));

  await page.goto(workbenchUrl(cs, { extensionPath: REPO_ROOT, testsPath: TESTS_INDEX }));
  const deadline = Date.now() + TIMEOUT_MS;
  while (exitCode === undefined && Date.now() < deadline) {
    if (!cs.alive()) throw new Error(`code-server died:\n${tail(cs.logPath)}`);
    await page.waitForTimeout(200);
  }
  if (exitCode === undefined) {
    const shot = await bridge.screenshot('vscode-timeout').catch((e) => String(e));
    console.error(`[harness] TIMEOUT after ${TIMEOUT_MS / 1000} s (TEST_TIMEOUT); screenshot ${shot}\n${tail(cs.logPath, 20)}`);
    return 2;
  }
  await page.waitForTimeout(300); // let the last log lines arrive
  await bridge.screenshot('vscode-final').catch(() => {});
  const summary = readSummary();
  console.log(`[harness] VS Code ${VERSION.vscode}: extension tests exited with ${exitCode}${summary} in ${secs()} s`);
  // The suites used env mode, bound terminals and the endpoint: nothing secret may be on disk.
  const secrets = scannableSecrets(emulator.issuedSecrets());
  const servers = [cs, run.parts.restrictedCs].flatMap((server) => (server ? [server.runDir, server.home, server.userDataDir, server.extensionsDir] : []));
  // The browser's history holds the authorization codes of the redirects it followed, as any browser does.
  const browserSecrets = scannableSecrets(emulator.issuedSecrets(), emulator.browserUrlSecrets());
  const hits = [...filesContaining(servers, secrets), ...filesContaining([browser.profileDir], browserSecrets)];
  console.log(`[harness] canary: ${secrets.length} issued secrets, ${hits.length} files containing one${hits.length ? `:\n${hits.join('\n')}` : ''}`);
  return hits.length ? 3 : exitCode;
}

/**
 * Top-level suites, slowest first, hooks included (window opens, sign-ins): where the run's time went.
 * The CPU column is the whole machine's busy CPU-seconds meanwhile: a suite's own cost only when
 * nothing else runs beside it (one VS Code version alone).
 */
function printSuiteTimes(suites: { title: string; ms?: number; cpuSeconds?: number }[]): void {
  const top = suites.filter((s) => s.ms !== undefined && !suites.some((o) => o !== s && s.title.startsWith(`${o.title} `)));
  if (!top.length) return;
  const cpu = (s: { cpuSeconds?: number }) => (s.cpuSeconds === undefined ? '' : `${s.cpuSeconds.toFixed(1).padStart(6)} CPU-s  `);
  const rows = top.sort((a, b) => b.ms! - a.ms!).map((s) => `  ${(s.ms! / 1000).toFixed(1).padStart(6)} s  ${cpu(s)}${s.title}`);
  console.log(`[harness] time per suite (wall, machine CPU):\n${rows.join('\n')}`);
}

function readSummary(): string {
  try {
    const r = JSON.parse(fs.readFileSync(RESULTS_JSON, 'utf8'));
    printSuiteTimes(r.suites ?? []);
    // Last, so the end of a failed run's log (all a CI summary may show) names what failed.
    for (const t of r.tests ?? []) if (t.state === 'failed') console.log(`[harness] failed: ${t.title} — ${String(t.error).split('\n')[0]}`);
    return ` (${r.passes} passing, ${r.failures} failing, ${r.pending} pending)`;
  } catch {
    return '';
  }
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => void cleanup(true).finally(() => process.exit(130)));
}

void main()
  .catch((e) => {
    console.error('[harness] error:', e);
    return 2;
  })
  .then(async (code) => {
    await cleanup(code !== 0);
    process.exit(code);
  });
