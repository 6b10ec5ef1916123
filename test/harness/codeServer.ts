// Starts a real VS Code (a code-server release of scripts/vscode-versions.json, installed on first
// use) on 127.0.0.1 with throwaway state, for the extension tests, the e2e run, the bench and the demo.
// See /work/shared/vscode-offline-testing.md for why each flag and setting is here.
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

import { ensureCodeServer, selectedVersion, type VsCodeVersion } from './vscodeVersions';

export const REPO_ROOT = path.resolve(__dirname, '../../..'); // out/test/harness → repo root
/** Host of the emulator's verification page (its verificationUri); *.localhost resolves to loopback. */
export const VERIFICATION_HOST = 'device.sso.localhost';

export interface CodeServerOptions {
  /** Which VS Code; default the one $AWSIDC_VSCODE names, else the newest. */
  version?: VsCodeVersion;
  /** The page will carry an extension-development payload (workbenchUrl's `dev`): tests, the bench probe. */
  devMode?: boolean;
  /** Fixed port; 0/undefined picks a free one. */
  port?: number;
  /** Extra settings, merged over the quiet defaults below. */
  settings?: Record<string, unknown>;
  /** Extra environment for the server; it reaches the extension host and terminals. */
  env?: Record<string, string>;
  /** A .vsix (or several, installed in order) to install into the fresh extensions dir before the server starts. */
  vsix?: string | string[];
  /** Folder to open; default an empty folder in the run dir. */
  folder?: string;
  /** Prefix of the run dir under os.tmpdir(). */
  name?: string;
  /**
   * Link-protection trusted domains added to the emulator's verification host and [::1] (where the
   * console sign-in test opens the federation endpoint, so the URL is not rewritten), which are always
   * trusted: openExternal to an untrusted host shows "Do you want code-server to open the external
   * website?", and in extension-test mode VS Code refuses that dialog (openExternal fails).
   */
  moreTrustedDomains?: string[];
  /**
   * How long the server keeps a closed window's extension host for a reconnect (code-server's
   * --reconnection-grace-time, default 3 h; only where the CLI has it, 4.139 not 4.100): tests that close a window set it short.
   */
  reconnectionGraceSeconds?: number;
  /**
   * Workspace trust on (default off: --disable-workspace-trust): folders open in Restricted Mode
   * without the startup question, until trusted (test/vscode/restrictedMode.test.ts).
   */
  workspaceTrust?: boolean;
}

export interface CodeServer {
  version: VsCodeVersion;
  url: string; // http://127.0.0.1:PORT (no trailing slash)
  port: number;
  pid: number; // also the process group id (detached = setsid)
  runDir: string;
  home: string;
  userDataDir: string;
  extensionsDir: string;
  folder: string;
  logPath: string;
  /** False once the server process has exited. */
  alive(): boolean;
  /** Kills the whole process group (server, extension host, pty host, shells). Removes the run dir unless keepFiles. */
  stop(opts?: { keepFiles?: boolean }): Promise<void>;
}

/** Settings that keep the workbench quiet and deterministic. */
export const DEFAULT_SETTINGS: Record<string, unknown> = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'terminal.integrated.gpuAcceleration': 'off', // DOM renderer: terminal text readable from .xterm-rows
  'terminal.integrated.enablePersistentSessions': false,
  'terminal.integrated.shellIntegration.enabled': false,
  'remote.autoForwardPorts': false, // no "application running on port N" toasts
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
  // VS Code ≥ 1.10x opens the Chat view beside the editor in a new profile; keep the pictures about us.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // Guarded roles ask in a modal, which the test window cannot show: off for the suites about other
  // things (the seed has AdministratorAccess roles); test/vscode/guardedRoles.test.ts turns them on.
  'awsIdc.guardedRoles': [],
  // Every code-server window is a web window, where `auto` picks the device code; sign in the way a
  // local window does (issue 26). Suites about the device code set `deviceCode` themselves.
  'awsIdc.signIn.flow': 'authorizationCode',
  'workbench.reduceMotion': 'on',
  'editor.cursorBlinking': 'solid',
  'terminal.integrated.cursorBlinking': false,
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer().once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** Env with HOME/XDG/TMPDIR inside `home`: code-server and Chromium write config there even for --version. */
export function isolatedEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // Drop the caller's AWS identity and any outer VS Code/Electron wiring: tests must be hermetic.
    if (/^(AWS_|VSCODE_|ELECTRON_)/.test(k) || k === 'XDG_RUNTIME_DIR') continue;
    env[k] = v;
  }
  const tmp = path.join(home, 'tmp');
  for (const d of ['.config', '.local/share', '.local/state', '.cache', 'tmp']) fs.mkdirSync(path.join(home, d), { recursive: true });
  Object.assign(env, {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_STATE_HOME: path.join(home, '.local/state'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    TMPDIR: tmp,
  });
  return Object.assign(env, extra);
}

export async function startCodeServer(opts: CodeServerOptions = {}): Promise<CodeServer> {
  const version = opts.version ?? selectedVersion();
  const { entry, nodeBinary } = ensureCodeServer(version);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `${opts.name ?? 'awsidc-cs'}-`));
  const home = path.join(runDir, 'home');
  const userDataDir = path.join(runDir, 'user-data');
  const extensionsDir = path.join(runDir, 'extensions');
  const folder = opts.folder ?? path.join(runDir, 'workspace');
  const logPath = path.join(runDir, 'code-server.log');
  const configPath = path.join(runDir, 'config.yaml');
  for (const d of [userDataDir, extensionsDir, folder]) fs.mkdirSync(d, { recursive: true });
  const userSettings = path.join(userDataDir, 'User', 'settings.json');
  // Suites write this file the way a person edits User settings (test/vscode/settingsScope.test.ts).
  const env = isolatedEnv(home, { AWSIDC_TEST_USER_SETTINGS: userSettings, ...opts.env });

  // User settings only, as a person sets them: the extension must work from there in a remote
  // window too (code-server's window is one), where machine-scoped values would be ignored.
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  const trust = opts.workspaceTrust ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {};
  fs.writeFileSync(userSettings, JSON.stringify({ ...DEFAULT_SETTINGS, ...trust, ...opts.settings }, null, 2));
  fs.writeFileSync(configPath, 'auth: none\ncert: false\n'); // else code-server writes one with a password

  const dirs = ['--config', configPath, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  for (const vsix of [opts.vsix ?? []].flat().filter(Boolean)) {
    const r = spawnSync(nodeBinary, [entry, ...dirs, '--install-extension', path.resolve(vsix)], { env, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`installing ${vsix} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  }

  const port = opts.port || (await freePort());
  const logFd = fs.openSync(logPath, 'a');
  // detached → setsid(): the server and everything it spawns share one process group we can kill.
  const child: ChildProcess = spawn(
    nodeBinary,
    [
      entry,
      ...dirs,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      ...(process.env.CODE_SERVER_LOG ? ['--log', process.env.CODE_SERVER_LOG] : []), // e.g. trace: file watcher events, file actions
      ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--ignore-last-opened',
      ...(opts.devMode ? (version.devModeArgs ?? []) : []),
      ...(opts.reconnectionGraceSeconds && supportsOption(entry, 'reconnection-grace-time')
        ? ['--reconnection-grace-time', String(opts.reconnectionGraceSeconds)]
        : []),
      ...[`http://${VERIFICATION_HOST}:*`, 'http://[::1]:*', ...(opts.moreTrustedDomains ?? [])].flatMap((d) => ['--link-protection-trusted-domains', d]),
      folder,
    ],
    { env, detached: true, stdio: ['ignore', logFd, logFd] },
  );
  fs.closeSync(logFd);
  const pid = child.pid!;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const killGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      /* gone */
    }
  };
  const onExit = () => killGroup('SIGKILL'); // last resort if the runner dies without calling stop()
  process.once('exit', onExit);

  const url = `http://127.0.0.1:${port}`;
  const stop = async ({ keepFiles = false } = {}) => {
    process.removeListener('exit', onExit);
    killGroup('SIGTERM');
    for (let i = 0; i < 50 && groupAlive(pid); i++) await sleep(100);
    killGroup('SIGKILL');
    for (let i = 0; i < 20 && groupAlive(pid); i++) await sleep(50);
    if (!keepFiles) fs.rmSync(runDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) {
      const log = tail(logPath);
      await stop({ keepFiles: true });
      throw new Error(`code-server exited early:\n${log}`);
    }
    if (await healthy(url)) break;
    if (Date.now() > deadline) {
      const log = tail(logPath);
      await stop({ keepFiles: true });
      throw new Error(`code-server not healthy after 30 s:\n${log}`);
    }
    await sleep(100);
  }
  return { version, url, port, pid, runDir, home, userDataDir, extensionsDir, folder, logPath, alive: () => !exited, stop };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/** Whether this code-server's CLI knows `--<name>` (4.139 has --reconnection-grace-time, 4.100 does not). */
export function supportsOption(entry: string, name: string): boolean {
  try {
    return fs.readFileSync(path.join(path.dirname(entry), 'cli.js'), 'utf8').includes(`"${name}"`);
  } catch {
    return false;
  }
}

/** Every log file under `dir` (recursively), e.g. the server's logs/<session>/exthost<N>/… */
export function logFilesUnder(dir: string): string[] {
  try {
    return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.log')).map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

export function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Workbench URL. With `dev`, the payload makes the workbench start the extension host with
 * extensionDevelopmentPath/extensionTestsPath (code-server's CLI rejects those flags); the URI
 * authority is the server's host:port.
 */
export function workbenchUrl(cs: CodeServer, dev?: { extensionPath: string; testsPath?: string }, folder = cs.folder): string {
  let u = `${cs.url}/?folder=${encodeURIComponent(folder)}`;
  if (dev) {
    const remote = (p: string) => `vscode-remote://${new URL(cs.url).host}${path.resolve(p)}`;
    const payload: [string, string][] = [
      ['extensionDevelopmentPath', remote(dev.extensionPath)],
      ['skipWelcome', 'true'],
    ];
    if (dev.testsPath) payload.push(['extensionTestsPath', remote(dev.testsPath)]);
    u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  }
  return u;
}
