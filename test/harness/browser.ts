// Headless Debian Chromium driven by playwright-core (never `playwright install`: no downloads here).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, type BrowserContext } from 'playwright-core';
import { isolatedEnv } from './codeServer';

export interface Browser {
  context: BrowserContext;
  profileDir: string;
  close(): Promise<void>;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox', // root in a container
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  // Chromium ≥ 14x blocks WebSockets to 127.0.0.1 from documents it considers "public" (e.g. fulfilled by page.route).
  '--disable-features=LocalNetworkAccessChecks',
];

/** Debian's Chromium unless CHROME_PATH names another; installed on first use (as root) like code-server. */
function chromiumPath(): string {
  const wanted = process.env.CHROME_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(wanted) && !process.env.CHROME_PATH) {
    const r = spawnSync('bash', [path.resolve(__dirname, '../../../scripts/system-packages.sh'), 'browser'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('Chromium is missing and could not be installed (see above), or set CHROME_PATH');
  }
  return wanted;
}

export async function launchBrowser(opts: { headless?: boolean; width?: number; height?: number } = {}): Promise<Browser> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'awsidc-chromium-'));
  const profileDir = path.join(dir, 'profile');
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath(),
    headless: opts.headless ?? process.env.HEADED !== '1',
    args: CHROMIUM_ARGS,
    viewport: { width: opts.width ?? 1400, height: opts.height ?? 900 },
    env: isolatedEnv(path.join(dir, 'home')) as Record<string, string>, // Debian's wrapper writes ~/.config/chromium
  });
  let closed = false;
  return {
    context,
    profileDir,
    async close() {
      if (closed) return;
      closed = true;
      for (const p of context.pages()) await p.close({ runBeforeUnload: false }).catch(() => {});
      await context.close().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
