// Client of the harness bridge (test/harness/bridge.ts) for tests running inside the extension host.
// Only the code-server harness sets AWSIDC_HARNESS_URL; under @vscode/test-electron `available` is
// false and tests that need browser actions should `this.skip()`.
//
//   import { harness } from '../harness/bridgeClient';
//   await harness.setVerification('allow');                       // emulator page gets "Allow" clicked
//   const pick = vscode.commands.executeCommand('awsIdc.switchRole'); // don't await: it waits for the pick
//   await harness.keys({ waitFor: '.quick-input-widget', text: 'Sandbox', keys: ['Enter'] });
//   await pick;
//   await harness.screenshot('switch-role');
//   const w2 = await harness.openWindow();                         // a second real window; keys/click/screenshot take its index
//   await harness.waitForText('AWS: signed out', 20_000, w2);
import type { KeysRequest, OpenedPage, VerificationMode, VerificationVisit } from './bridge';

const base = process.env.AWSIDC_HARNESS_URL;

async function call<T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
  if (!base) throw new Error('AWSIDC_HARNESS_URL not set: not running under the code-server harness');
  const res = await fetch(base + route, {
    method,
    headers: body ? { 'content-type': 'application/json' } : undefined,
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(`harness ${route}: ${json.error ?? res.status}`);
  return json;
}

export const harness = {
  available: !!base,
  /** What to do with verification pages opened from now on (default "allow"). */
  setVerification: (mode: VerificationMode) => call<{ mode: VerificationMode }>('POST', '/verification', { mode }),
  /** Click Allow/Deny on the newest open verification page (after mode "ignore"). */
  clickVerification: (click: 'allow' | 'deny') => call<VerificationVisit>('POST', '/verification', { click }),
  /** Verification pages seen so far, with what was clicked and the page's text afterwards. */
  verification: () => call<{ mode: VerificationMode; visits: VerificationVisit[] }>('GET', '/verification'),
  screenshot: (name: string, window?: number) => call<{ path: string }>('POST', '/screenshot', { name, window }),
  keys: (req: KeysRequest) => call<{ ok: true }>('POST', '/keys', req),
  /** Pages other than the verification page that the editor opened (origin, path and text only). */
  pages: () => call<{ pages: OpenedPage[] }>('GET', '/pages').then((r) => r.pages),
  click: (selector: string, optional = false, window?: number) => call<{ clicked: boolean }>('POST', '/click', { selector, optional, window }),
  /** Waits until the workbench (of `window`, default 0) shows `text`. */
  waitForText: (text: string, timeoutMs?: number, window?: number) =>
    call<{ found: boolean }>('POST', '/text', { text, timeoutMs, window }).then((r) => r.found),
  /** The text of every element matching `selector` in the workbench of `window` now. */
  texts: (selector: string, window?: number) => call<{ texts: string[] }>('POST', '/texts', { selector, window }).then((r) => r.texts),
  /** Opens another real window on the same server (own extension host, the extension loaded, no tests); its index. */
  openWindow: (folder?: string) => call<{ window: number }>('POST', '/windows', { folder }).then((r) => r.window),
  /**
   * Opens `folder` in Restricted Mode: a window of a second server with workspace trust on (its own
   * origin, so its own secrets: it starts signed out); `settings` are that server's User settings.
   */
  openRestrictedWindow: (folder: string, settings: Record<string, unknown>) =>
    call<{ window: number }>('POST', '/windows', { folder, restricted: { settings } }).then((r) => r.window),
  windows: () => call<{ windows: { window: number; open: boolean }[] }>('GET', '/windows').then((r) => r.windows),
  /** Closes window `window` (≥ 1); the server ends its extension host after the reconnection grace time. */
  closeWindow: (window: number) => call<{ ok: true }>('POST', '/windows/close', { window }),
  /** What window `window`'s extension host logged (our output channel and the host's own log files). */
  windowLog: (window: number) => call<{ lines: string[]; files: string[] }>('POST', '/windows/log', { window }).then((r) => r.lines),
  /** The log files windowLog reads for `window` (its extension hosts' exthost<N>/ dirs). */
  windowLogFiles: (window: number) => call<{ lines: string[]; files: string[] }>('POST', '/windows/log', { window }).then((r) => r.files),
};
