// End-to-end: the packaged .vsix in a fresh code-server, driven through headless Chromium like a
// person would. Steps run in order and print TAP-like `ok N - name` / `not ok N - name`; after the
// first failure the rest are skipped (they build on each other). Exit code 1 if any step failed,
// 2 on a harness error or the TEST_TIMEOUT (seconds, default 600) deadline.
// Add a step: push { name, run } to STEPS; throw (or let a Playwright wait time out) to fail it.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { Emulator } from '../emulator/server';
import { harnessRun } from '../harness/teardown';
import { launchBrowser } from '../harness/browser';
import { Bridge } from '../harness/bridge';
import { FLOW_STEPS } from './flow';
import { REPO_ROOT, startCodeServer, workbenchUrl, type CodeServer } from '../harness/codeServer';
import { resultsDir } from '../harness/teardown';
import { selectedVersion } from '../harness/vscodeVersions';

const VSIX = path.join(REPO_ROOT, 'dist', 'aws-identity-center-sessions.vsix');
/** $AWSIDC_VSCODE picks the VS Code (default the newest); artifacts go to test-results/vscode-<version>/. */
const VERSION = selectedVersion();
const RESULTS = resultsDir(VERSION);
const SHOTS = path.join(RESULTS, 'screenshots');
/** A second extension (test/fixtures/auth-consumer) that asks for our session through vscode.authentication. */
const CONSUMER_SRC = path.join(REPO_ROOT, 'test', 'fixtures', 'auth-consumer');
const CONSUMER_OUT = path.join(RESULTS, 'e2e-consumer');
const STEP_TIMEOUT_MS = 30_000;
const TIMEOUT_MS = Number(process.env.TEST_TIMEOUT || 600) * 1000;
export const START_URL = 'https://emulator.awsapps.com/start';
export const REGION = 'us-east-1';

/**
 * profileDir: the browser's profile (e.g. to scan what Chromium stored). consumerResult: where the
 * auth-consumer fixture writes its secret-free JSON result ($AWSIDC_CONSUMER_RESULT).
 */
export interface Ctx {
  page: Page;
  cs: CodeServer;
  emulator: Emulator;
  bridge: Bridge;
  profileDir: string;
  consumerResult: string;
}
export interface Step {
  name: string;
  timeoutMs?: number;
  run(ctx: Ctx): Promise<void>;
}

// Selectors of the VS Code 1.100 workbench.
const ACTIVITY_ITEM = '.activitybar .action-item:has(a.action-label[aria-label^="AWS Identity Center"])';
const SIDEBAR = '#workbench\\.parts\\.sidebar';

export const STEPS: Step[] = [
  {
    name: 'workbench loads',
    async run({ page, cs }) {
      await page.goto(workbenchUrl(cs));
      await page.locator('.monaco-workbench').waitFor();
    },
  },
  {
    name: 'activity bar shows "AWS Identity Center"',
    run: async ({ page }) => page.locator(ACTIVITY_ITEM).waitFor(),
  },
  {
    name: 'clicking it opens the Accounts view',
    async run({ page }) {
      const item = page.locator(ACTIVITY_ITEM);
      // Clicking an already active item would hide the sidebar.
      if ((await item.getAttribute('class'))?.includes('checked') !== true) await item.locator('a.action-label').click();
      await page.mouse.move(700, 650); // away from the item: no hover tooltip in the screenshots
      await page.locator(`${SIDEBAR} .composite.title`, { hasText: /AWS Identity Center/i }).waitFor();
      await page
        .locator(`${SIDEBAR} .pane-header`, { hasText: /Accounts/i })
        .or(page.locator(`${SIDEBAR} .composite.title`, { hasText: /Accounts/i }))
        .first()
        .waitFor();
    },
  },
  {
    name: 'signed out: the view offers Sign In',
    async run({ page }) {
      const welcome = page.locator(`${SIDEBAR} .welcome-view-content`);
      await welcome.getByText('Sign in to AWS IAM Identity Center').waitFor();
      await welcome.getByRole('button', { name: 'Sign In' }).waitFor();
    },
  },
  {
    name: 'screenshot e2e-01-signed-out',
    async run({ bridge }) {
      const file = await bridge.screenshot('e2e-01-signed-out');
      if (fs.statSync(file).size < 10_000) throw new Error(`${file} looks empty`);
    },
  },
  ...FLOW_STEPS,
];

const run = harnessRun('e2e', RESULTS);
const cleanup = (failed: boolean): Promise<void> => run.stop(failed);

/** Packages the auth-consumer fixture with the repo's vsce into test-results/e2e-consumer/ (fresh each run). */
function packageConsumer(): string {
  fs.rmSync(CONSUMER_OUT, { recursive: true, force: true });
  fs.mkdirSync(CONSUMER_OUT, { recursive: true });
  const vsix = path.join(CONSUMER_OUT, 'auth-consumer.vsix');
  const vsce = path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], {
    cwd: CONSUMER_SRC,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0 || !fs.existsSync(vsix)) throw new Error(`packaging ${CONSUMER_SRC} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return vsix;
}

async function main(): Promise<number> {
  const t0 = Date.now();
  if (!fs.existsSync(VSIX)) throw new Error(`${VSIX} missing: run npm run package`);
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const f of fs.readdirSync(SHOTS)) if (f.startsWith('e2e-')) fs.rmSync(path.join(SHOTS, f));
  fs.rmSync(path.join(RESULTS, 'e2e-logs'), { recursive: true, force: true });

  const consumerVsix = packageConsumer();
  const consumerResult = path.join(CONSUMER_OUT, 'result.json');

  const emulator = (run.parts.emulator = await Emulator.start({ port: 0, accounts: 25, interval: 1 }));
  // /authorize opens in the browser on the OIDC endpoint: on 127.0.0.2, which code-server's openExternal does not rewrite (as runVscodeTests.ts).
  const browserOidc = await emulator.listenAlso('127.0.0.2');
  const cs = (run.parts.cs = await startCodeServer({
    name: 'awsidc-e2e',
    version: VERSION,
    vsix: [VSIX, consumerVsix],
    settings: { 'awsIdc.startUrl': START_URL, 'awsIdc.region': REGION },
    env: { ...emulator.env, AWS_ENDPOINT_URL_SSO_OIDC: browserOidc, AWSIDC_EMULATOR_URL: emulator.url, AWSIDC_CONSUMER_RESULT: consumerResult },
    moreTrustedDomains: ['http://127.0.0.2:*'],
  }));
  const browser = (run.parts.browser = await launchBrowser({ width: 1400, height: 900 }));
  const page = await browser.context.newPage();
  const bridge = (run.parts.bridge = new Bridge(browser.context, () => page, SHOTS));
  const ctx: Ctx = { page, cs, emulator, bridge, profileDir: browser.profileDir, consumerResult };
  console.log(
    `# VS Code ${VERSION.vscode}: emulator ${emulator.url}, code-server ${VERSION.codeServer} ${cs.url} (vsix + auth-consumer installed) — ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );

  console.log(`1..${STEPS.length}`);
  let failed = 0;
  let passed = 0;
  for (const [i, step] of STEPS.entries()) {
    const n = i + 1;
    if (failed) {
      console.log(`ok ${n} - ${step.name} # SKIP after an earlier failure`);
      continue;
    }
    const s0 = Date.now();
    const timeout = step.timeoutMs ?? STEP_TIMEOUT_MS;
    page.setDefaultTimeout(timeout); // Playwright's own error names the selector; the race below is a backstop
    try {
      await withTimeout(step.run(ctx), timeout + 5_000, step.name);
      passed++;
      console.log(`ok ${n} - ${step.name} (${((Date.now() - s0) / 1000).toFixed(1)} s)`);
    } catch (e) {
      failed++;
      console.log(`not ok ${n} - ${step.name}`);
      const msg = String(e instanceof Error ? e.message : e).replace(/\x1b\[[0-9;]*m/g, ''); // Playwright colours its call log
      console.log(
        msg
          .split('\n')
          .map((l) => `  # ${l}`)
          .join('\n'),
      );
      const shot = await bridge.screenshot(`e2e-failed-${String(n).padStart(2, '0')}`).catch(() => undefined);
      if (shot) console.log(`  # screenshot ${path.relative(REPO_ROOT, shot)}`);
    }
  }
  console.log(`# ${passed}/${STEPS.length} steps passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return failed ? 1 : 0;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

if (require.main === module) {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void cleanup(true).finally(() => process.exit(130)));
  const deadline = setTimeout(() => {
    console.error(`# TIMEOUT after ${TIMEOUT_MS / 1000} s (TEST_TIMEOUT)`);
    void cleanup(true).finally(() => process.exit(2));
  }, TIMEOUT_MS);
  void main()
    .catch((e) => {
      console.error('# harness error:', e);
      return 2;
    })
    .then(async (code) => {
      clearTimeout(deadline);
      await cleanup(code !== 0);
      process.exit(code);
    });
}
