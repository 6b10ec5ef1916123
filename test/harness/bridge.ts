// Harness-side bridge: lets tests that run INSIDE the extension host ask for browser actions the
// extension host cannot do itself (approve the sign-in page that openExternal opened, screenshots,
// keyboard input into a quick pick). Tests reach it over HTTP at $AWSIDC_HARNESS_URL through
// test/harness/bridgeClient.ts. The e2e runner uses the same class in-process.
//
// Routes (JSON in, JSON out, 127.0.0.1 only):
//   GET  /verification            → { mode, visits: [{ url, action, result?, error?, at }] }
//   POST /verification {mode}     → mode for verification pages opened from now on: "allow" (default) | "deny" | "ignore"
//   POST /verification {click}    → click "allow" | "deny" on the newest open verification page now
//   POST /screenshot {name}       → { path } of test-results/screenshots/<name>.png (workbench page)
//   POST /keys {waitFor?, text?, keys?} → waits for a selector, types text, then presses keys in order.
//        keys entries: Playwright key names ("Enter", "ArrowDown", "Control+Shift+P"),
//        {"text": "..."} to type, {"wait": ms} to pause.
//   GET  /pages                   → other pages openExternal opened: [{ origin, path, text }] (no query strings: they may carry tokens)
//   POST /click {selector, optional?} → clicks the first match in the workbench (optional: only if visible now)
//   POST /text {text, timeoutMs?} → waits until the workbench shows the text; { found: boolean }
//   POST /texts {selector}        → { texts } the text of every match in the workbench now (e.g. ".statusbar-item")
//   POST /windows {folder?, restricted?: {settings?}} → opens another REAL window (restricted: on a second
//        server with workspace trust on, so the folder opens in Restricted Mode; settings: that server's User settings)
//        Otherwise a second page on the same code-server (its own
//        extension host running the development extension, no tests); { window: index }. Window 0 runs the tests.
//   GET  /windows                 → { windows: [{ window, open, url }] }
//   POST /windows/close {window}  → closes that window's page (its extension host ends after the grace time)
//   POST /windows/log {window}    → { lines, files } that window's extension host wrote (its log files + console lines);
//        window 0's only once another window has been opened (its log dir is the one there before)
// Every route that acts on the workbench (screenshot, keys, click, text, verification click) takes an
// optional `window` index (default 0). Verification visits record which window opened them.
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import type { BrowserContext, Page } from 'playwright-core';
import { VERIFICATION_HOST } from './codeServer';

export type VerificationMode = 'allow' | 'deny' | 'ignore';
export interface VerificationVisit {
  url: string;
  action: VerificationMode;
  at: string;
  result?: string;
  error?: string;
  /** The window whose openExternal opened the page (index as in /windows), when known. */
  window?: number;
}
export type KeyStep = string | { text: string } | { wait: number };
export interface KeysRequest {
  waitFor?: string;
  text?: string;
  keys?: KeyStep[];
  timeoutMs?: number;
  /** Which window (default 0, the one running the tests). */
  window?: number;
}
export interface OpenedPage {
  origin: string;
  path: string;
  text: string;
  at: string;
}
/** The JSON body of a request (sent by bridgeClient.ts): each route reads only its own fields. */
/** A window in Restricted Mode and the User settings of its server. */
export interface RestrictedWindow {
  settings?: Record<string, unknown>;
}
type RouteInput = KeysRequest & {
  mode?: VerificationMode;
  click?: 'allow' | 'deny';
  name?: string;
  selector?: string;
  optional?: boolean;
  folder?: string;
  restricted?: RestrictedWindow;
};

/** How the runner opens another window and where its extension host logs (see runVscodeTests.ts). */
export interface WindowHost {
  /** `restricted`: on a second server with workspace trust on, so the folder opens in Restricted Mode. */
  open(folder: string | undefined, onLog: (line: string) => void, restricted?: RestrictedWindow): Promise<Page>;
  /** Log files the server's extension hosts write; a new window's are the ones that appear after it opens. */
  logFiles(): string[];
}

interface ExtraWindow {
  page: Page;
  open: boolean;
  lines: string[];
  /** Its extension hosts' log dirs (…/exthost<N>/): a reload of the window starts a new one. */
  hostDirs: Set<string>;
}

/** The …/exthost<N> directory a log file belongs to, if any. */
function hostDirOf(file: string): string | undefined {
  const m = /^(.*[\\/]exthost\d+)[\\/]/.exec(file);
  return m?.[1];
}

export class Bridge {
  mode: VerificationMode = 'allow';
  readonly visits: VerificationVisit[] = [];
  readonly pages: OpenedPage[] = [];
  private readonly open: Page[] = [];
  private readonly extra: ExtraWindow[] = [];
  private server?: http.Server;

  constructor(
    context: BrowserContext,
    private readonly workbench: () => Page,
    readonly screenshotsDir: string,
    private readonly windows?: WindowHost,
  ) {
    fs.mkdirSync(screenshotsDir, { recursive: true });
    // openExternal in code-server opens a new tab: a 'page' event on the context.
    context.on('page', (p) => void this.onPage(p));
  }

  private async onPage(p: Page): Promise<void> {
    try {
      await p.waitForURL((u) => u.href !== 'about:blank', { timeout: 15_000, waitUntil: 'commit' });
    } catch {
      return; // never navigated
    }
    if (this.isWindow(p)) return;
    if (!new URL(p.url()).hostname.startsWith(VERIFICATION_HOST)) {
      await this.recordOther(p);
      return;
    }
    await p.waitForLoadState('domcontentloaded').catch(() => undefined);
    this.open.push(p);
    p.once('close', () => {
      const i = this.open.indexOf(p);
      if (i >= 0) this.open.splice(i, 1);
    });
    const opener = await p.opener().catch(() => null);
    const from = opener ? this.indexOf(opener) : -1;
    const visit: VerificationVisit = { url: p.url(), action: this.mode, at: new Date().toISOString(), ...(from >= 0 ? { window: from } : {}) };
    this.visits.push(visit);
    if (this.mode !== 'ignore') await this.click(p, this.mode, visit);
  }

  /** Clicks in flight: the extension may finish (a denial polled, a redirect received) before the page they lead to is read. */
  private readonly clicking = new Set<Promise<void>>();

  private click(p: Page, action: 'allow' | 'deny', visit: VerificationVisit): Promise<void> {
    const done = this.clickAndRead(p, action, visit).finally(() => this.clicking.delete(done));
    this.clicking.add(done);
    return done;
  }

  private async clickAndRead(p: Page, action: 'allow' | 'deny', visit: VerificationVisit): Promise<void> {
    try {
      visit.action = action;
      // The form posts (and the consent page redirects): read the page the click leads to, not the one clicked.
      const before = p.mainFrame();
      const navigated = p.waitForEvent('framenavigated', { predicate: (f) => f === before, timeout: 15_000 });
      // A click that fails (a page the browser cannot load, e.g. a host only the proxy knows) must not
      // leave this wait to reject unhandled later: that ends the whole harness.
      navigated.catch(() => undefined);
      await p.click(`#${action}`, { timeout: 10_000 });
      await navigated;
      await p.waitForLoadState('domcontentloaded');
      visit.result = ((await p.textContent('body', { timeout: 5_000 })) ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);
    } catch (e) {
      visit.error = String(e);
    }
  }

  /** The visits once the clicks in flight have read their pages. */
  private async settledVisits(): Promise<VerificationVisit[]> {
    await Promise.all([...this.clicking]);
    return this.visits;
  }

  /** A page that is not the verification page (e.g. the console sign-in): where it went and what it says. */
  private async recordOther(p: Page): Promise<void> {
    try {
      if (p.isClosed() || this.isWindow(p)) return;
      await p.waitForLoadState('domcontentloaded', { timeout: 10_000 });
      if (this.isWindow(p)) return; // a window we opened ourselves (registered once newPage resolved)
      const url = new URL(p.url());
      const text = ((await p.textContent('body', { timeout: 5_000 })) ?? '').replace(/\s+/g, ' ').trim().slice(0, 500);
      this.pages.push({ origin: url.origin, path: url.pathname, text, at: new Date().toISOString() });
    } catch {
      // a page that closed or never loaded is not worth reporting
    }
  }

  /** Window `i` (0: the one running the tests); throws for a closed or unknown one. */
  page(i = 0): Page {
    if (!i) return this.workbench();
    const w = this.extra[i - 1];
    if (!w?.open) throw Object.assign(new Error(`no open window ${i}`), { status: 404 });
    return w.page;
  }

  private isWindow(p: Page): boolean {
    return this.indexOf(p) >= 0 || this.opening > 0;
  }

  private indexOf(p: Page): number {
    if (p === this.workbench()) return 0;
    const i = this.extra.findIndex((w) => w.page === p);
    return i < 0 ? -1 : i + 1;
  }

  private opening = 0;

  /** Opens another window on the same server (see WindowHost); resolves once its workbench is up. */
  async openWindow(folder?: string, restricted?: RestrictedWindow): Promise<number> {
    if (!this.windows) throw new Error('this runner cannot open windows');
    this.claimHostDirs(undefined); // what exists now belongs to the windows already open
    const w: ExtraWindow = { page: undefined as unknown as Page, open: true, lines: [], hostDirs: new Set() };
    this.opening++;
    try {
      w.page = await this.windows.open(folder, (line) => w.lines.push(line), restricted);
    } finally {
      this.opening--;
    }
    this.extra.push(w);
    const index = this.extra.length;
    w.page.once('close', () => (w.open = false));
    await w.page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    // Its extension host's log dir is the one that was not there before it opened.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !w.hostDirs.size) {
      this.claimHostDirs(w);
      if (!w.hostDirs.size) await w.page.waitForTimeout(250);
    }
    return index;
  }

  private readonly claimed = new Set<string>();
  private readonly firstDirs = new Set<string>();

  /** Gives exthost log dirs nobody owns yet to `w` (undefined: to the windows already open). */
  private claimHostDirs(w: ExtraWindow | undefined): void {
    for (const f of this.windows?.logFiles() ?? []) {
      const dir = hostDirOf(f);
      if (!dir || this.claimed.has(dir)) continue;
      this.claimed.add(dir);
      (w?.hostDirs ?? (this.extra.length ? undefined : this.firstDirs))?.add(dir);
    }
  }

  async closeWindow(i: number): Promise<void> {
    const p = this.page(i);
    if (!i) throw new Error('window 0 runs the tests: it cannot be closed');
    await p.close({ runBeforeUnload: true });
  }

  /** What window `i`'s extension host logged: its log files (newest content) and the console lines it forwarded. */
  windowLog(i: number): { lines: string[]; files: string[] } {
    const w = i ? this.extra[i - 1] : undefined;
    if (i && !w) throw Object.assign(new Error(`no window ${i}`), { status: 404 });
    if (w) this.claimHostDirs(w); // after a reload of window i, its new extension host (window 0 never reloads)
    // Window 0's: what existed before the first other window opened.
    const dirs = w ? w.hostDirs : this.firstDirs;
    const files = (this.windows?.logFiles() ?? []).filter((f) => dirs.has(hostDirOf(f) ?? ''));
    const fromFiles = files.flatMap((f) => {
      try {
        return fs.readFileSync(f, 'utf8').split('\n');
      } catch {
        return [];
      }
    });
    return { lines: [...fromFiles, ...(w?.lines ?? [])].filter(Boolean), files };
  }

  async waitForText(text: string, timeoutMs = 10_000, window = 0): Promise<boolean> {
    try {
      await this.page(window).getByText(text, { exact: false }).first().waitFor({ state: 'visible', timeout: timeoutMs });
      return true;
    } catch {
      return false;
    }
  }

  async clickVerification(action: 'allow' | 'deny'): Promise<VerificationVisit> {
    // Verification pages are browser tabs of their own, whichever window opened them: the newest one.
    const p = this.open[this.open.length - 1];
    const visit = [...this.visits].reverse().find((v) => p && v.url === p.url());
    if (!p || !visit) throw new Error('no open verification page');
    await this.click(p, action, visit);
    return visit;
  }

  /** The newest open verification page (the browser tab, not the workbench), e.g. the Allow page before the click. */
  async screenshotVerification(name: string): Promise<string> {
    const p = this.open[this.open.length - 1];
    if (!p) throw new Error('no open verification page');
    const file = path.join(this.screenshotsDir, `${name.replace(/[^\w.-]+/g, '_').replace(/\.png$/, '')}.png`);
    await p.screenshot({ path: file });
    return file;
  }

  async screenshot(name: string, window = 0): Promise<string> {
    const file = path.join(this.screenshotsDir, `${name.replace(/[^\w.-]+/g, '_').replace(/\.png$/, '')}.png`);
    await this.page(window).screenshot({ path: file });
    return file;
  }

  async keys(req: KeysRequest): Promise<void> {
    const page = this.page(req.window);
    const timeout = req.timeoutMs ?? 10_000;
    await page.bringToFront();
    if (req.waitFor) await page.waitForSelector(req.waitFor, { state: 'visible', timeout });
    if (req.text) await page.keyboard.type(req.text, { delay: 10 });
    for (const k of req.keys ?? []) {
      if (typeof k === 'string') await page.keyboard.press(k);
      else if ('text' in k) await page.keyboard.type(k.text, { delay: 10 });
      else await page.waitForTimeout(k.wait);
    }
  }

  /** Serves the routes above on 127.0.0.1; returns the base URL for AWSIDC_HARNESS_URL. */
  async listen(): Promise<string> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', async () => {
        try {
          const input = body ? JSON.parse(body) : {};
          const out = await this.route(`${req.method} ${req.url?.split('?')[0]}`, input);
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out ?? { ok: true }));
        } catch (e) {
          res
            .writeHead((e as { status?: number }).status ?? 500, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: String(e instanceof Error ? e.message : e) }));
        }
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  private async route(route: string, input: RouteInput): Promise<unknown> {
    switch (route) {
      case 'GET /verification':
        return { mode: this.mode, visits: await this.settledVisits() };
      case 'POST /verification':
        if (input.mode) {
          if (!['allow', 'deny', 'ignore'].includes(input.mode)) throw new Error(`bad mode ${input.mode}`);
          this.mode = input.mode;
        }
        if (input.click) return this.clickVerification(input.click);
        return { mode: this.mode, visits: this.visits };
      case 'POST /screenshot':
        return { path: await this.screenshot(String(input.name ?? 'screenshot'), input.window) };
      case 'GET /pages':
        return { pages: this.pages };
      case 'POST /click': {
        const target = this.page(input.window).locator(String(input.selector)).first();
        // optional: click only if it is there now (e.g. a collapsed row that may already be open).
        if (input.optional && !(await target.isVisible())) return { clicked: false };
        await target.click({ timeout: input.timeoutMs ?? 10_000 });
        return { clicked: true };
      }
      case 'POST /text':
        return { found: await this.waitForText(String(input.text), input.timeoutMs, input.window) };
      case 'POST /keys':
        await this.keys(input);
        return { ok: true };
      case 'POST /texts':
        return { texts: await this.page(input.window).locator(String(input.selector)).allTextContents() };
      case 'POST /windows':
        return { window: await this.openWindow(input.folder, input.restricted) };
      case 'GET /windows':
        return { windows: [{ window: 0, open: true }, ...this.extra.map((w, i) => ({ window: i + 1, open: w.open }))] };
      case 'POST /windows/close':
        await this.closeWindow(Number(input.window));
        return { ok: true };
      case 'POST /windows/log':
        return this.windowLog(Number(input.window));
      default:
        throw Object.assign(new Error(`no route ${route}`), { status: 404 });
    }
  }

  async close(): Promise<void> {
    for (const w of this.extra) if (w.open) await w.page.close({ runBeforeUnload: false }).catch(() => {});
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
