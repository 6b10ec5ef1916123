// The VS Code releases every test layer runs on (scripts/vscode-versions.json, the one table), and
// the installed code-server of each: installed on first use by scripts/install-code-server.sh, so a
// fresh clone needs no separate install step.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const REPO_ROOT = path.resolve(__dirname, '../../..'); // out/test/harness → repo root

export interface VsCodeVersion {
  /** VS Code release, e.g. 1.139.1. */
  vscode: string;
  /** code-server release that carries it, e.g. 4.139.1. */
  codeServer: string;
  /** 'system' (the machine's Node) or the npm node-linux-<arch> version. */
  node: string;
  nodeMajor: number;
  /** Server flags a built workbench needs before it honours the extension-development payload. */
  devModeArgs?: string[];
}

export interface InstalledCodeServer extends VsCodeVersion {
  nodeBinary: string;
  entry: string;
}

interface Table {
  versions: VsCodeVersion[];
  demo: string;
}
const table = (): Table => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'scripts', 'vscode-versions.json'), 'utf8')) as Table;

export const supportedVersions = (): VsCodeVersion[] => table().versions;
export const oldestVersion = (): VsCodeVersion => supportedVersions()[0];
export const newestVersion = (): VsCodeVersion => supportedVersions().at(-1)!;
export const demoVersion = (): VsCodeVersion => findVersion(table().demo);

/** By VS Code or code-server release, or by VS Code major.minor ("1.100"). */
export function findVersion(wanted: string): VsCodeVersion {
  const hit = supportedVersions().find((v) => v.vscode === wanted || v.codeServer === wanted || v.vscode.startsWith(`${wanted}.`));
  if (!hit)
    throw new Error(
      `VS Code ${wanted} is not a supported test version (${supportedVersions()
        .map((v) => v.vscode)
        .join(', ')})`,
    );
  return hit;
}

/**
 * The version a harness run uses: $AWSIDC_VSCODE (e.g. 1.100 or 1.139.1), else `fallback`.
 * `npm test` sets it once per version.
 */
export function selectedVersion(fallback: () => VsCodeVersion = newestVersion): VsCodeVersion {
  const wanted = process.env.AWSIDC_VSCODE;
  return wanted ? findVersion(wanted) : fallback();
}

const installed = new Map<string, InstalledCodeServer>();

/** Installs the version if needed (a no-op check when cached in .cache/) and returns how to start it. */
export function ensureCodeServer(version: VsCodeVersion): InstalledCodeServer {
  const cached = installed.get(version.codeServer);
  if (cached) return cached;
  const r = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'install-code-server.sh'), version.codeServer], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 15 * 60_000,
  });
  const line = r.stdout?.trim().split('\n').at(-1) ?? '';
  const [vscode, nodeBinary, entry] = line.split(' ');
  if (r.status !== 0 || vscode !== version.vscode || !fs.existsSync(entry ?? '')) {
    throw new Error(`installing code-server ${version.codeServer} failed (exit ${r.status}); run bash scripts/install-code-server.sh ${version.codeServer}`);
  }
  const result = { ...version, nodeBinary, entry };
  installed.set(version.codeServer, result);
  return result;
}
