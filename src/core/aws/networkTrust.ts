// Which certificate authorities AWS calls trust. A custom agent's `ca` replaces Node's defaults, so
// the list is Node's own roots plus every place a user may have put a company CA: the operating
// system's store (as VS Code's http.systemCertificates), NODE_EXTRA_CA_CERTS, and AWS_CA_BUNDLE or
// `ca_bundle` of the profile in ~/.aws/config (as the AWS CLI reads them).
import { readFileSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';

/** Where distributions keep the system bundle (Debian/Ubuntu, Fedora/RHEL, openSUSE, Alpine/macOS). */
const SYSTEM_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/ca-bundle.pem', '/etc/ssl/cert.pem'];

export interface TrustSources {
  systemCertificates: boolean;
  env: NodeJS.ProcessEnv;
  /** `ca_bundle` of the profile the AWS CLI would use (AWS_CA_BUNDLE wins over it). */
  configCaBundle?: string;
}

export interface Trust {
  /** Undefined: Node's defaults (nothing to add). */
  ca?: string[];
  /** Changes when any source file changes; keys the agents built from it. */
  key: string;
  /** Files named by a variable or ca_bundle that could not be read (paths only, for messages). */
  unreadable: string[];
}

const fileCache = new Map<string, { stamp: string; text: string }>();

function readPem(file: string): { text?: string; stamp: string } {
  try {
    const st = statSync(file);
    if (!st.isFile()) return { stamp: `${file}:notfile` };
    const stamp = `${file}:${st.size}:${st.mtimeMs}`;
    const cached = fileCache.get(file);
    if (cached?.stamp === stamp) return { text: cached.text, stamp };
    const text = readFileSync(file, 'utf8');
    fileCache.set(file, { stamp, text });
    return { text, stamp };
  } catch {
    return { stamp: `${file}:missing` };
  }
}

function expandHome(file: string): string {
  return file.startsWith('~/') ? path.join(os.homedir(), file.slice(2)) : file;
}

function systemStore(): { certs: string[]; stamp: string } {
  // Node 22.15+ (a newer VS Code) reads the real store on every platform.
  const getCa = (tls as { getCACertificates?: (type: string) => string[] }).getCACertificates;
  if (typeof getCa === 'function') {
    try {
      return { certs: getCa('system'), stamp: 'system:tls' };
    } catch {
      // Fall through to the files.
    }
  }
  for (const file of SYSTEM_BUNDLES) {
    const { text, stamp } = readPem(file);
    if (text) return { certs: [text], stamp };
  }
  return { certs: [], stamp: 'system:none' };
}

export function resolveTrust(sources: TrustSources): Trust {
  const extra: string[] = [];
  const stamps: string[] = [];
  const unreadable: string[] = [];
  if (sources.systemCertificates) {
    const system = systemStore();
    extra.push(...system.certs);
    stamps.push(system.stamp);
  }
  const named = [sources.env.NODE_EXTRA_CA_CERTS, sources.env.AWS_CA_BUNDLE?.trim() || sources.configCaBundle]
    .map((f) => f?.trim())
    .filter((f): f is string => !!f);
  for (const file of named) {
    const { text, stamp } = readPem(expandHome(file));
    stamps.push(stamp);
    if (text) extra.push(text);
    else unreadable.push(file);
  }
  if (!extra.length) return { key: stamps.join('|'), unreadable };
  return { ca: [...tls.rootCertificates, ...extra], key: stamps.join('|'), unreadable };
}
