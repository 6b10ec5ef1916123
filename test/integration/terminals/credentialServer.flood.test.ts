// Hostile local processes and ordinary bursts against the loopback endpoint, with real clients in
// child processes: a process without the token holding idle, dribbling and kept-alive-404
// connections must not lock out the terminals; 200 concurrent fetches from one process (JS SDK
// `fromContainerMetadata`, with and without keep-alive; botocore, 200 threads with a session each)
// must all be served. Credentials come from the emulator through a real CredentialBroker.
import { strict as assert } from 'node:assert';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CredentialBinding, CredentialServer } from '../../../src/core/terminals/credentialServer';
import { CredentialBroker } from '../../../src/core/credentials/broker';
import { RoleRef } from '../../../src/core/common/model';
import { Emulator } from '../../emulator/server';
import { runProcess } from '../../support/processes';
import { EmulatorSession, brokerFor, isolatedEnv, signIn } from '../../soak/emulatorSession';

const PYTHON = '/root/.pyenv/versions/3.11.7/bin/python';
const ROOT = path.resolve(__dirname, '../../../..');

/** N calls of the JS SDK's fromContainerMetadata (1 s timeout, no retry: its defaults) in waves; prints the outcome. */
const JS_BURST = `
const http = require('node:http');
const { fromContainerMetadata } = require(${JSON.stringify(require.resolve('@aws-sdk/credential-providers', { paths: [ROOT] }))});
const [total, waves, keepAlive] = process.argv.slice(1).map(Number);
http.globalAgent = new http.Agent({ keepAlive: keepAlive === 1 });
(async () => {
  const out = { ok: 0, keys: {}, errors: {} };
  for (let w = 0; w < waves; w++) {
    const results = await Promise.allSettled(Array.from({ length: total / waves }, () => fromContainerMetadata()()));
    for (const r of results) {
      if (r.status === 'fulfilled') { out.ok++; out.keys[r.value.accessKeyId] = 1; }
      else { const k = r.reason.code || r.reason.statusCode || r.reason.message; out.errors[k] = (out.errors[k] || 0) + 1; }
    }
  }
  out.keys = Object.keys(out.keys);
  console.log(JSON.stringify(out));
})();`;

/** N threads, each with its own botocore Session, released together on a barrier; prints the outcome. */
const BOTOCORE_BURST = `
import json, sys, threading, botocore.session
n = int(sys.argv[1]); barrier = threading.Barrier(n); lock = threading.Lock()
out = {"ok": 0, "keys": set(), "errors": {}}
def run():
    s = botocore.session.Session()
    barrier.wait()
    try:
        c = s.get_credentials().get_frozen_credentials()
        with lock: out["ok"] += 1; out["keys"].add(c.access_key)
    except Exception as e:
        with lock: out["errors"][type(e).__name__] = out["errors"].get(type(e).__name__, 0) + 1
ts = [threading.Thread(target=run) for _ in range(n)]
[t.start() for t in ts]; [t.join() for t in ts]
out["keys"] = sorted(out["keys"]); print(json.dumps(out))`;

/** A process without the token: holds idle, dribbling and kept-alive-404 connections, reopening each one closed. */
const HOSTILE = `
const net = require('node:net');
const [port, idle, dribble, notFound] = process.argv.slice(1).map(Number);
let open = 0, opened = 0;
function hold(kind) {
  const s = net.connect(port, '127.0.0.1');
  let timer, connected = false;
  s.on('connect', () => {
    connected = true; open++; opened++;
    const host = 'Host: 127.0.0.1:' + port + '\\r\\n';
    if (kind === 'dribble') { s.write('GET / HTTP/1.1\\r\\n' + host + 'X-Slow: '); timer = setInterval(() => s.write('a'), 300); }
    if (kind === '404') { const ask = () => s.write('GET /nope HTTP/1.1\\r\\n' + host + '\\r\\n'); ask(); timer = setInterval(ask, 1000); }
  });
  s.on('data', () => undefined);
  s.on('error', () => undefined);
  s.on('close', () => { clearInterval(timer); if (connected) open--; setTimeout(() => hold(kind), 5); });
}
for (let i = 0; i < idle; i++) hold('idle');
for (let i = 0; i < dribble; i++) hold('dribble');
for (let i = 0; i < notFound; i++) hold('404');
setInterval(() => console.log(JSON.stringify({ open, opened })), 250);`;

interface BurstResult {
  ok: number;
  keys: string[];
  errors: Record<string, number>;
}

describe('flood: hostile local processes and bursts against the endpoint', { timeout: 240_000 }, () => {
  let em: Emulator;
  let session: EmulatorSession;
  let broker: CredentialBroker;
  let server: CredentialServer;
  let binding: CredentialBinding;
  let role: RoleRef;
  let env: NodeJS.ProcessEnv;
  let cleanupEnv: () => void;
  let served = 0;
  const warnings: string[] = [];

  before(async () => {
    em = await Emulator.start({ accounts: 2, roleCredentialTtlSec: 3600, autoApprove: true });
    session = await signIn(em);
    role = session.roles[0];
    broker = brokerFor(session, 15 * 60_000);
    server = await CredentialServer.start({
      limits: { maxRefusalLogsPerMinute: 1e9 },
      log: { trace: () => void served++, info: () => undefined, warn: (m) => void warnings.push(m), error: (m) => void warnings.push(m) },
    });
    binding = server.bind('active role', () => broker.get(role));
    await broker.get(role);
    const iso = isolatedEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: binding.url, AWS_CONTAINER_AUTHORIZATION_TOKEN: binding.token });
    env = iso.env;
    cleanupEnv = iso.cleanup;
  });

  after(async () => {
    // Newest first: the binding before its server, the emulator last.
    for (const stop of [
      () => binding?.dispose(),
      () => server?.dispose(),
      () => broker?.dispose(),
      () => session?.dispose(),
      () => cleanupEnv?.(),
      () => em?.stop(),
    ])
      await stop();
  });

  const jsBurst = async (total: number, waves: number, keepAlive: boolean): Promise<BurstResult> => {
    const r = await runProcess(process.execPath, ['-e', JS_BURST, String(total), String(waves), keepAlive ? '1' : '0'], env, 120_000);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as BurstResult;
  };
  const botocoreBurst = async (threads: number): Promise<BurstResult> => {
    const r = await runProcess(PYTHON, ['-c', BOTOCORE_BURST, String(threads)], env, 120_000);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as BurstResult;
  };
  const heldKey = (): string => broker.peek(role)!.accessKeyId;
  const botocoreMissing = async (): Promise<string | undefined> => {
    if (!fs.existsSync(PYTHON)) return `${PYTHON} not found`;
    const probe = await runProcess(PYTHON, ['-c', 'import botocore'], env);
    return probe.code === 0 ? undefined : `botocore is not importable by ${PYTHON}`;
  };

  /** Starts the hostile process and resolves once it holds at least `want` connections. */
  async function hostile(idle: number, dribble: number, notFound: number, want: number): Promise<{ child: ChildProcess; held: () => number }> {
    const child = spawn(process.execPath, ['-e', HOSTILE, String(server.port), String(idle), String(dribble), String(notFound)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let last = { open: 0, opened: 0 };
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      const line = d.trim().split('\n').at(-1);
      if (line) last = JSON.parse(line) as typeof last;
    });
    const deadline = Date.now() + 20_000;
    while (last.open < want && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(last.open >= want, `the hostile process holds only ${last.open} connections`);
    return { child, held: () => last.open };
  }

  test('a process without the token holding 192 idle, dribbling and kept-alive-404 connections does not lock out 100 JS SDK fetches', async (t) => {
    const attacker = await hostile(64, 64, 64, 60);
    try {
      t.diagnostic(`hostile process holds ${attacker.held()} connections`);
      await new Promise((r) => setTimeout(r, 1000));
      const r = await jsBurst(100, 4, true);
      t.diagnostic(`JS SDK under attack: ${r.ok}/100 served; errors ${JSON.stringify(r.errors)}; attacker held ${attacker.held()}`);
      const kinds: Record<string, number> = {};
      for (const w of warnings) kinds[w.replace(/\d+/g, 'N')] = (kinds[w.replace(/\d+/g, 'N')] ?? 0) + 1;
      t.diagnostic(JSON.stringify(kinds));
      assert.equal(r.ok, 100, JSON.stringify(r.errors));
      assert.deepEqual(r.keys, [heldKey()]);
    } finally {
      attacker.child.kill();
    }
  });

  test('the same hostile process does not lock out 40 botocore threads (a session each)', async (t) => {
    const missing = await botocoreMissing();
    if (missing) return t.skip(missing);
    const attacker = await hostile(64, 64, 64, 60);
    try {
      await new Promise((r) => setTimeout(r, 1000));
      const before = served;
      const r = await botocoreBurst(40);
      t.diagnostic(`botocore under attack: ${r.ok}/40 served (${served - before} fetches served); errors ${JSON.stringify(r.errors)}`);
      assert.equal(r.ok, 40, JSON.stringify(r.errors));
      assert.deepEqual(r.keys, [heldKey()]);
    } finally {
      attacker.child.kill();
    }
  });

  for (const keepAlive of [true, false]) {
    test(`200 concurrent JS SDK fromContainerMetadata calls in one process are all served (keep-alive ${keepAlive ? 'on' : 'off'})`, async (t) => {
      const before = served;
      const r = await jsBurst(200, 1, keepAlive);
      t.diagnostic(`${r.ok}/200 served; errors ${JSON.stringify(r.errors)}; ${served - before} fetches served`);
      assert.equal(r.ok, 200, JSON.stringify(r.errors));
      assert.deepEqual(r.keys, [heldKey()]);
    });
  }

  test('200 botocore threads, each with its own session, are all served without needing a retry', async (t) => {
    const missing = await botocoreMissing();
    if (missing) return t.skip(missing);
    const before = served;
    const r = await botocoreBurst(200);
    t.diagnostic(`${r.ok}/200 served; errors ${JSON.stringify(r.errors)}; ${served - before} fetches served`);
    assert.equal(r.ok, 200, JSON.stringify(r.errors));
    assert.deepEqual(r.keys, [heldKey()]);
    assert.equal(served - before, 200, 'some threads needed a retry');
  });
});
