// Issue 23's measurement: which key each real client signs with, per terminal design × what the
// user's ~/.aws holds, and what a credential fetch costs through our credential_process script
// versus the container provider's HTTP GET. Prints Markdown tables.
// Run: npm run --silent compile && node out/bench/terminalProfiles.js [--designs a,b] [--fetches 20] [--runs 5] [--details]
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { runProcess } from '../test/support/processes';
import { PEER_CLIENTS } from '../test/support/peerClients';
import { runCell, startPeerWorld, type Outcome, type PeerWorld } from '../test/support/peerMatrix';
import { DESIGNS, SHADOWS, shadowHome, type Design } from '../test/support/peerShadows';
import { ensureTerminalProfile } from '../src/core/awsFiles/terminalProfile';

const SHORT: Record<string, string> = {
  role: '**role**',
  'default key': 'default key',
  'default process': 'default process',
  'source key': 'source key',
  other: 'other',
  'unknown key': '?',
  failed: 'fails',
};

async function matrix(world: PeerWorld, design: Design): Promise<void> {
  const rows = new Map<string, Map<string, Outcome>>();
  let missing: string[] = [];
  for (const shadow of SHADOWS) {
    // Env modes have no endpoint for a program to read.
    const clients = design.startsWith('env') ? PEER_CLIENTS.filter((c) => c.userAgent) : PEER_CLIENTS;
    const cell = await runCell(world, design, shadow, clients);
    missing = cell.missing;
    for (const o of cell.outcomes) {
      if (!rows.has(o.client)) rows.set(o.client, new Map());
      rows.get(o.client)!.set(shadow, o);
    }
  }
  console.log(`\n### ${design}\n`);
  console.log(`| client | ${SHADOWS.join(' | ')} | median ms |`);
  console.log(`| --- | ${SHADOWS.map(() => '---').join(' | ')} | --- |`);
  for (const [client, cells] of rows) {
    const ms = [...cells.values()].map((o) => o.ms).sort((a, b) => a - b);
    console.log(`| ${client} | ${SHADOWS.map((s) => SHORT[cells.get(s)?.signer ?? 'failed']).join(' | ')} | ${ms[Math.floor(ms.length / 2)]} |`);
  }
  for (const m of missing) console.log(`(missing: ${m})`);
  if (process.argv.includes('--details'))
    for (const [client, cells] of rows)
      for (const [shadow, o] of cells) if (o.signer !== 'role') console.log(`  ${client} × ${shadow}: ${o.signer}; ${o.detail}`);
}

/** A one-off `AWS_PROFILE=other` (and `--profile other` for the CLIs) in each design's terminal. */
async function explicitChoice(world: PeerWorld, designs: readonly Design[]): Promise<void> {
  const sdks = PEER_CLIENTS.filter((c) => c.userAgent);
  console.log('\n### A one-off AWS_PROFILE=other / --profile other (shadow: key+process)\n');
  console.log(`| design | ${sdks.map((c) => c.name).join(' | ')} | --profile other (CLI v1, v2) |`);
  console.log(`| --- | ${sdks.map(() => '---').join(' | ')} | --- |`);
  for (const d of designs) {
    const env = await runCell(world, d, 'key+process', sdks, { explicit: 'AWS_PROFILE' });
    const flag = await runCell(
      world,
      d,
      'key+process',
      sdks.filter((c) => c.profileArgs),
      { explicit: 'flag' },
    );
    const cell = (o: Outcome | undefined): string => (o ? SHORT[o.signer] : 'missing');
    console.log(
      `| ${d} | ${sdks.map((c) => cell(env.outcomes.find((o) => o.client === c.name))).join(' | ')} | ${flag.outcomes.map((o) => cell(o)).join(', ')} |`,
    );
  }
}

/** Each client alone (nothing in parallel), `runs` times per design, shadow none: what one command costs. */
async function perClientCost(world: PeerWorld, runs: number): Promise<void> {
  const designs: Design[] = ['endpoint only', '(b) credential_process'];
  console.log(`\n### One command, run alone (median of ${runs}, ms)\n`);
  console.log(`| client | ${designs.join(' | ')} | added |`);
  console.log('| --- | --- | --- | --- |');
  for (const client of PEER_CLIENTS) {
    const ms: number[][] = designs.map(() => []);
    for (let i = 0; i < runs; i++)
      for (const [d, design] of designs.entries()) {
        const cell = await runCell(world, design, 'none', [client]);
        const o = cell.outcomes[0];
        if (o?.signer === 'role') ms[d].push(o.ms);
      }
    const [a, b] = ms.map((m) => (m.length ? median(m) : undefined));
    const show = (x: number | undefined): string => (x === undefined ? 'fails' : String(x));
    console.log(`| ${client.name} | ${show(a)} | ${show(b)} | ${a !== undefined && b !== undefined ? b - a : '–'} |`);
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One credential fetch: the script as credential_process runs it (a shell, curl), and an in-process GET. */
async function fetchCost(world: PeerWorld, n: number): Promise<void> {
  const home = shadowHome('none');
  try {
    const { scriptPath } = await ensureTerminalProfile({ configFile: home.configFile, scriptDir: path.join(home.home, '.aws', 'awsidc') });
    const env = {
      PATH: process.env.PATH,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: world.binding.url,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: world.binding.token,
    };
    // No curl on PATH: only bash, sed and cat, so the script takes its bash /dev/tcp path.
    const bin = path.join(home.home, 'bin');
    fs.mkdirSync(bin);
    for (const tool of ['bash', 'sed', 'cat']) fs.symlinkSync(`/usr/bin/${tool}`, path.join(bin, tool));
    const noCurl = { ...env, PATH: bin };
    const script: number[] = [];
    const tcp: number[] = [];
    const get: number[] = [];
    for (let i = 0; i < n; i++) {
      let t = process.hrtime.bigint();
      const r = await runProcess(scriptPath, [], env);
      if (r.code !== 0) throw new Error(r.stderr);
      script.push(Number(process.hrtime.bigint() - t) / 1e6);
      t = process.hrtime.bigint();
      const b = await runProcess(scriptPath, [], noCurl);
      if (b.code !== 0) throw new Error(b.stderr);
      tcp.push(Number(process.hrtime.bigint() - t) / 1e6);
      t = process.hrtime.bigint();
      await new Promise<void>((resolve, reject) =>
        http
          .get(world.binding.url, { headers: { Authorization: world.binding.token }, agent: false }, (res) => {
            res.resume();
            res.on('end', resolve);
          })
          .on('error', reject),
      );
      get.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    console.log(`\n### One credential fetch (median of ${n})\n`);
    console.log('| path | ms |\n| --- | --- |');
    console.log(`| credential_process script (sh + curl), process start included | ${median(script).toFixed(1)} |`);
    console.log(`| credential_process script without curl (bash /dev/tcp) | ${median(tcp).toFixed(1)} |`);
    console.log(`| container provider: one HTTP GET from a running process | ${median(get).toFixed(2)} |`);
  } finally {
    home.cleanup();
  }
}

async function main(): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(name);
    return i === -1 ? undefined : process.argv[i + 1];
  };
  const pick = arg('--designs')?.split(',');
  const designs = DESIGNS.filter((d) => !pick || pick.some((p) => d.startsWith(p) || d.startsWith(`(${p})`)));
  const started = Date.now();
  const world = await startPeerWorld();
  try {
    for (const d of designs) await matrix(world, d);
    if (!process.argv.includes('--no-explicit')) await explicitChoice(world, designs);
    if (arg('--runs')) await perClientCost(world, Number(arg('--runs')));
    await fetchCost(world, Number(arg('--fetches') ?? 20));
  } finally {
    await world.dispose();
  }
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s; role = the active role's key, as the broker holds it)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
