// The extension host's longest pause in a real VS Code (code-server) while 10,000 accounts arrive:
// one fresh code-server with our extension in development mode and bench/listingPauseProbe as its
// test entry, signed in to the runner's emulator. The emulator's bucket is the bench's.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { launchBrowser } from '../test/harness/browser';
import { REPO_ROOT, startCodeServer, tail, workbenchUrl } from '../test/harness/codeServer';
import { oldestVersion, selectedVersion } from '../test/harness/vscodeVersions';
import type { Emulator } from '../test/emulator/server';
import type { PauseResult } from './windowsReport';

const PROBE = path.join(__dirname, 'listingPauseProbe.js');

export interface PauseOptions {
  /** Also write a V8 CPU profile of the measured span here (listingPauseProbe.ts). */
  profilePath?: string;
  /** The extension folder to measure (default: this repository); another build compares side by side. */
  extensionPath?: string;
}

export async function measureListingPause(em: Emulator, accounts: number, rolesMs: number, o: PauseOptions = {}): Promise<PauseResult> {
  const extensionPath = o.extensionPath ?? REPO_ROOT;
  if (!fs.existsSync(path.join(extensionPath, 'dist', 'extension.js'))) throw new Error(`${extensionPath}/dist/extension.js missing: run npm run build`);
  em.configure({ accounts, autoApprove: true });
  em.clearCalls();
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'awsidc-bench-pause-'));
  const out = path.join(outDir, 'pause.json');
  const browser = await launchBrowser();
  const cs = await startCodeServer({
    name: 'awsidc-bench-pause',
    version: selectedVersion(oldestVersion),
    devMode: true,
    // The device code, which the emulator approves at once: the pause of the listing is measured, not a browser step.
    settings: { 'awsIdc.startUrl': 'https://emulator.awsapps.com/start', 'awsIdc.region': 'us-east-1', 'awsIdc.signIn.flow': 'deviceCode' },
    env: {
      ...(em.env as unknown as Record<string, string>),
      AWSIDC_BENCH_OUT: out,
      AWSIDC_PAUSE_ACCOUNTS: String(accounts),
      AWSIDC_PAUSE_ROLES_MS: String(rolesMs),
      ...(o.profilePath ? { AWSIDC_PAUSE_PROFILE: o.profilePath } : {}),
    },
  });
  const page = await browser.context.newPage();
  try {
    let exitCode: number | undefined;
    await page.exposeFunction('codeAutomationLog', () => {});
    await page.exposeFunction('codeAutomationExit', (code: number) => {
      exitCode = code;
    });
    await page.goto(workbenchUrl(cs, { extensionPath, testsPath: PROBE }));
    const deadline = Date.now() + rolesMs + 240_000;
    while (!fs.existsSync(out)) {
      if (exitCode !== undefined || Date.now() > deadline || !cs.alive()) throw new Error(`no result, probe exit ${exitCode}\n${tail(cs.logPath, 15)}`);
      await page.waitForTimeout(250);
    }
    return JSON.parse(fs.readFileSync(out, 'utf8')) as PauseResult;
  } finally {
    await page.close({ runBeforeUnload: false }).catch(() => {});
    await cs.stop();
    await browser.close();
    fs.rmSync(outDir, { recursive: true, force: true });
    em.configure({ autoApprove: true });
  }
}
