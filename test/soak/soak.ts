// Soak: terminals calling AWS every second for minutes while role credentials expire and are
// refreshed underneath them. The emulator issues short-lived role credentials; a CredentialBroker
// keeps the role fresh ahead of expiry; a CredentialServer binding serves it; separate processes
// (the JS SDK v3 default chain, and botocore when Python has it) call STS GetCallerIdentity every
// second with only the container variables set. At the end the emulator's call log is read:
// every call must be signed with an unexpired key and succeed.
//
//   node out/test/soak/soak.js --minutes 10 --cred-ttl 120
//   node out/test/soak/soak.js --quick            (= --minutes 1.5 --cred-ttl 40, for CI)
// Options: --refresh-before S (default cred-ttl/4), --interval-ms N (default 1000),
//          --clients js,botocore (default both; botocore is skipped if Python lacks it), --json
// Exit status: 0 pass, 1 fail (expired-key calls, errors, or too few calls), 2 setup failure.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CredentialServer } from '../../src/core/terminals/credentialServer';
import { RoleCredentialsSecret, roleKey } from '../../src/core/common/model';
import { Emulator } from '../emulator/server';
import type { ClientSummary } from './soakClient';
import { brokerFor, isolatedEnv, signIn } from './emulatorSession';

export interface SoakOptions {
  minutes: number;
  credTtlSec: number;
  refreshBeforeSec: number;
  intervalMs: number;
  clients: string[];
  json: boolean;
}

export interface ClientReport extends ClientSummary {
  /** GetCallerIdentity calls the emulator attributed to this client (by user agent). */
  emulatorCalls: number;
  expiredKeyCalls: number;
  failedCalls: number;
  distinctKeys: number;
  /** Smallest lifetime left on a key at the moment the emulator saw a call signed with it. */
  minKeyLifeLeftSec: number | null;
}

export interface SoakReport {
  options: SoakOptions;
  role: string;
  durationSec: number;
  totalCalls: number;
  expiredKeyCalls: number;
  errors: number;
  distinctAccessKeys: number;
  brokerRefreshes: number;
  endpointFetches: number;
  endpointRefusals: number;
  /** Smallest lifetime left on credentials at the moment the endpoint served them. */
  minServedLifeLeftSec: number | null;
  secretsInServerLog: number;
  clients: ClientReport[];
  skipped: string[];
  pass: boolean;
  failures: string[];
}

const PYTHON_CANDIDATES = ['/root/.pyenv/versions/3.11.7/bin/python3', 'python3'];

const BOTOCORE_CLIENT = `
import json, sys, time
import botocore.session
seconds, interval = float(sys.argv[1]), float(sys.argv[2]) / 1000.0
client = botocore.session.get_session().create_client('sts', region_name='us-east-1')
s = {'client': 'botocore', 'calls': 0, 'ok': 0, 'errors': 0, 'errorSamples': [], 'arns': [], 'maxLatencyMs': 0}
arns = set()
end = time.time() + seconds
while time.time() < end:
    t = time.time()
    s['calls'] += 1
    try:
        arns.add(client.get_caller_identity()['Arn'])
        s['ok'] += 1
    except Exception as e:
        s['errors'] += 1
        if len(s['errorSamples']) < 5:
            s['errorSamples'].append(type(e).__name__ + ': ' + str(e)[:200])
    took = time.time() - t
    s['maxLatencyMs'] = max(s['maxLatencyMs'], int(took * 1000))
    time.sleep(max(interval - took, 0))
s['arns'] = sorted(arns)
print('SOAK_CLIENT ' + json.dumps(s), flush=True)
`;

export function parseArgs(argv: string[]): SoakOptions {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (name: string, fallback: number): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const v = Number(raw);
    if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} needs a positive number`);
    return v;
  };
  const quick = argv.includes('--quick');
  const minutes = num('--minutes', quick ? 1.5 : 10);
  const credTtlSec = num('--cred-ttl', quick ? 40 : 120);
  return {
    minutes,
    credTtlSec,
    refreshBeforeSec: num('--refresh-before', credTtlSec / 4),
    intervalMs: num('--interval-ms', 1000),
    clients: (get('--clients') ?? 'js,botocore')
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean),
    json: argv.includes('--json'),
  };
}

function findPython(): string | undefined {
  for (const candidate of PYTHON_CANDIDATES) {
    if (candidate.includes('/') && !fs.existsSync(candidate)) continue;
    const probe = spawnSync(candidate, ['-c', 'import botocore'], { stdio: 'ignore' });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

interface Child {
  name: string;
  done: Promise<{ summary?: ClientSummary; code: number | null; stderr: string }>;
}

function startChild(name: string, file: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const done = new Promise<{ summary?: ClientSummary; code: number | null; stderr: string }>((resolve) => {
    child.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('SOAK_CLIENT '));
      resolve({ summary: line ? (JSON.parse(line.slice('SOAK_CLIENT '.length)) as ClientSummary) : undefined, code, stderr });
    });
    child.on('error', (e) => resolve({ code: -1, stderr: e.message }));
  });
  return { name, done };
}

/** Which client made a call, from its user agent. */
function clientOf(userAgent: string | undefined): string {
  if (!userAgent) return 'unknown';
  if (/aws-sdk-js/i.test(userAgent)) return 'js-sdk-v3';
  if (/botocore/i.test(userAgent)) return 'botocore';
  return 'unknown';
}

export async function runSoak(options: SoakOptions, progress: (line: string) => void = () => undefined): Promise<SoakReport> {
  const failures: string[] = [];
  const skipped: string[] = [];
  const emStartedAt = Date.now();
  const em = await Emulator.start({
    accounts: 3,
    roleCredentialTtlSec: options.credTtlSec,
    autoApprove: true,
    accessTokenTtlSec: Math.max(3600, options.minutes * 60 * 2),
  });
  const serverLog: string[] = [];
  let endpointFetches = 0;
  let endpointRefusals = 0;
  let minServedLife = Infinity;
  const session = await signIn(em);
  const role = session.roles[0];
  const broker = brokerFor(session, options.refreshBeforeSec * 1000, {
    trace: () => undefined,
    info: (m) => void serverLog.push(m),
    warn: (m) => void serverLog.push(m),
    error: (m) => void serverLog.push(m),
  });
  const expiries = new Map<string, number>();
  let brokerRefreshes = 0;
  broker.onDidRefresh((c) => {
    brokerRefreshes++;
    expiries.set(c.accessKeyId, c.expiration);
    progress(`broker fetched ${c.accessKeyId.slice(0, 8)}… for ${roleKey(c)}, ${Math.round((c.expiration - Date.now()) / 1000)} s left`);
  });
  const server = await CredentialServer.start({
    log: {
      trace: (m) => {
        endpointFetches++;
        serverLog.push(m);
      },
      info: (m) => void serverLog.push(m),
      warn: (m) => {
        endpointRefusals++;
        serverLog.push(m);
      },
      error: (m) => {
        endpointRefusals++;
        serverLog.push(m);
      },
    },
  });
  const source = async (): Promise<RoleCredentialsSecret> => {
    const c = await broker.get(role);
    minServedLife = Math.min(minServedLife, c.expiration - Date.now());
    return c;
  };
  const binding = server.bind('soak terminal', source);
  const keep = broker.keepFresh(role);
  await broker.get(role);

  const iso = isolatedEnv({
    AWS_CONTAINER_CREDENTIALS_FULL_URI: binding.url,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: binding.token,
    AWS_ENDPOINT_URL_STS: em.url,
    // Quiet the SDK's Node-version notice in the child's stderr.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  const seconds = options.minutes * 60;
  const children: Child[] = [];
  const started = Date.now();
  try {
    if (options.clients.includes('js')) {
      children.push(
        startChild(
          'js-sdk-v3',
          process.execPath,
          [path.join(__dirname, 'soakClient.js'), '--seconds', String(seconds), '--interval-ms', String(options.intervalMs)],
          iso.env,
        ),
      );
    }
    if (options.clients.includes('botocore')) {
      const python = findPython();
      if (python) {
        children.push(startChild('botocore', python, ['-c', BOTOCORE_CLIENT, String(seconds), String(options.intervalMs)], iso.env));
      } else {
        skipped.push('botocore: no Python with botocore found');
      }
    }
    if (children.length === 0) throw new Error('no soak client could be started');
    progress(
      `${children.map((c) => c.name).join(' + ')} calling STS every ${options.intervalMs} ms for ${options.minutes} min; ` +
        `credentials live ${options.credTtlSec} s, refreshed ${options.refreshBeforeSec} s before expiry`,
    );
    const ticker = setInterval(() => {
      const calls = em.calls({ operation: 'GetCallerIdentity' });
      progress(
        `${Math.round((Date.now() - started) / 1000)} s: ${calls.length} calls, ${calls.filter((c) => c.expiredKey).length} expired-key, ` +
          `${calls.filter((c) => c.status !== 200).length} failed, ${brokerRefreshes} broker fetches, ${endpointFetches} endpoint fetches`,
      );
    }, 15_000);
    const results = await Promise.all(children.map((c) => c.done));
    clearInterval(ticker);

    const calls = em.calls({ operation: 'GetCallerIdentity' });
    const clients: ClientReport[] = [];
    results.forEach((r, i) => {
      const name = children[i].name;
      if (!r.summary) {
        failures.push(`${name} exited ${r.code} without a summary: ${r.stderr.trim().slice(-500)}`);
        return;
      }
      if (r.code !== 0) failures.push(`${name} exited ${r.code}`);
      const mine = calls.filter((c) => clientOf(c.userAgent) === name);
      let minLife = Infinity;
      for (const c of mine) {
        const exp = c.accessKeyId ? expiries.get(c.accessKeyId) : undefined;
        if (exp !== undefined) minLife = Math.min(minLife, exp - (emStartedAt + c.t));
      }
      const report: ClientReport = {
        ...r.summary,
        emulatorCalls: mine.length,
        expiredKeyCalls: mine.filter((c) => c.expiredKey).length,
        failedCalls: mine.filter((c) => c.status !== 200).length,
        distinctKeys: new Set(mine.map((c) => c.accessKeyId)).size,
        minKeyLifeLeftSec: Number.isFinite(minLife) ? Math.round(minLife / 100) / 10 : null,
      };
      clients.push(report);
      const expectedCalls = Math.floor(((seconds * 1000) / options.intervalMs) * 0.8);
      if (report.calls < expectedCalls) failures.push(`${name} made only ${report.calls} calls (expected ≥ ${expectedCalls})`);
      if (report.errors > 0) failures.push(`${name} saw ${report.errors} errors: ${report.errorSamples.join(' | ')}`);
      if (report.emulatorCalls !== report.calls) failures.push(`${name} made ${report.calls} calls but the emulator saw ${report.emulatorCalls}`);
      if (report.arns.length !== 1 || !report.arns[0].startsWith(`arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/`)) {
        failures.push(`${name} saw unexpected identities: ${report.arns.join(', ')}`);
      }
    });

    const expiredKeyCalls = calls.filter((c) => c.expiredKey).length;
    const errors = calls.filter((c) => c.status !== 200).length + clients.reduce((n, c) => n + c.errors, 0);
    const distinct = new Set(calls.map((c) => c.accessKeyId)).size;
    if (expiredKeyCalls > 0) failures.push(`${expiredKeyCalls} calls were signed with an expired key`);
    if (calls.some((c) => c.status !== 200)) failures.push(`${calls.filter((c) => c.status !== 200).length} STS calls failed at the emulator`);
    const cycles = Math.floor(seconds / Math.max(options.credTtlSec - options.refreshBeforeSec, 1));
    if (cycles >= 2 && distinct < cycles) failures.push(`only ${distinct} distinct keys over ${cycles} refresh cycles: credentials were not rotated`);
    if (endpointRefusals > 0) failures.push(`the endpoint refused ${endpointRefusals} requests`);
    const secrets = em.issuedSecrets();
    const secretsInServerLog = serverLog.filter((l) => secrets.some((s) => l.includes(s)) || l.includes(binding.token)).length;
    if (secretsInServerLog > 0) failures.push(`${secretsInServerLog} log lines hold a secret`);

    return {
      options,
      role: roleKey(role),
      durationSec: Math.round((Date.now() - started) / 1000),
      totalCalls: calls.length,
      expiredKeyCalls,
      errors,
      distinctAccessKeys: distinct,
      brokerRefreshes,
      endpointFetches,
      endpointRefusals,
      minServedLifeLeftSec: Number.isFinite(minServedLife) ? Math.round(minServedLife / 100) / 10 : null,
      secretsInServerLog,
      clients,
      skipped,
      pass: failures.length === 0,
      failures,
    };
  } finally {
    keep.dispose();
    binding.dispose();
    server.dispose();
    broker.dispose();
    session.dispose();
    iso.cleanup();
    await em.stop();
  }
}

function printReport(r: SoakReport): void {
  const lines = [
    `soak ${r.pass ? 'PASSED' : 'FAILED'}: ${r.durationSec} s, role ${r.role}, credentials ${r.options.credTtlSec} s, refresh ${r.options.refreshBeforeSec} s ahead`,
    `  total GetCallerIdentity calls: ${r.totalCalls}`,
    `  calls signed with an expired key: ${r.expiredKeyCalls}`,
    `  errors: ${r.errors}`,
    `  distinct access keys used: ${r.distinctAccessKeys}`,
    `  broker fetches: ${r.brokerRefreshes}; endpoint fetches: ${r.endpointFetches}; endpoint refusals: ${r.endpointRefusals}`,
    `  least lifetime left when served: ${r.minServedLifeLeftSec} s`,
    ...r.clients.map(
      (c) =>
        `  ${c.client}: ${c.calls} calls (${c.ok} ok, ${c.errors} errors), emulator saw ${c.emulatorCalls}, ` +
        `${c.expiredKeyCalls} expired-key, ${c.distinctKeys} keys, least key life left at call ${c.minKeyLifeLeftSec} s, max latency ${c.maxLatencyMs} ms`,
    ),
    ...r.skipped.map((s) => `  skipped ${s}`),
    ...r.failures.map((f) => `  FAIL: ${f}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (require.main === module) {
  // The SDK's notice about future Node versions is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let options: SoakOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  const started = Date.now();
  const progress = options.json
    ? () => undefined
    : (line: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
  runSoak(options, progress).then(
    (report) => {
      if (options.json) process.stdout.write(`SOAK_REPORT ${JSON.stringify(report)}\n`);
      else printReport(report);
      process.exit(report.pass ? 0 : 1);
    },
    (e: unknown) => {
      process.stderr.write(`soak setup failed: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(2);
    },
  );
}
