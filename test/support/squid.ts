// Debian's squid as a real forward proxy for one test file: a generated config on a free port,
// run in the foreground. Its hosts_file maps the AWS names (which do not resolve here) to
// 127.0.0.1, so a client must go through it to reach the emulator's TLS front; its access.log
// shows every request it was asked for.
import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { join } from 'node:path';
import { AWS_TEST_HOSTS } from './testCa';

export const SQUID = ['/usr/sbin/squid', '/usr/bin/squid'].find((p) => existsSync(p));

export interface Squid {
  /** http://127.0.0.1:<port> */
  url: string;
  /** The same with the test user's credentials (when started with `auth`). */
  authUrl?: string;
  /** Lines of access.log so far (squid's native format: time, ms, client, code/status, bytes, method, URL…). */
  accessLog(): string[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`squid exited (${child.exitCode}): ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`squid did not listen on ${port}: ${log()}`);
}

/**
 * Starts squid in a directory of its own under /tmp, world-writable: run as root, squid drops to its
 * "proxy" user, which must reach its files (a test's own temp tree, e.g. under a private HOME, is closed to it).
 */
export async function startSquid(
  options: {
    auth?: { user: string; password: string };
    /** Close tunnels idle this long, so they are logged (squid logs a CONNECT when it ends) while the client keeps its pool. */
    idleTunnelSeconds?: number;
  } = {},
): Promise<Squid> {
  if (!SQUID) throw new Error('squid is not installed (bash scripts/system-packages.sh proxy)');
  const dir = mkdtempSync('/tmp/awsidc-squid-');
  chmodSync(dir, 0o777);
  const port = await freePort();
  writeFileSync(join(dir, 'hosts'), AWS_TEST_HOSTS.map((h) => `127.0.0.1 ${h}\n`).join(''));
  const auth = options.auth;
  if (auth) {
    const hash = execFileSync('openssl', ['passwd', '-apr1', auth.password], { encoding: 'utf8' }).trim();
    writeFileSync(join(dir, 'passwd'), `${auth.user}:${hash}\n`);
  }
  const conf = [
    `http_port 127.0.0.1:${port}`,
    `pid_filename ${join(dir, 'squid.pid')}`,
    `cache_log ${join(dir, 'cache.log')}`,
    `access_log stdio:${join(dir, 'access.log')} squid`,
    `hosts_file ${join(dir, 'hosts')}`,
    `coredump_dir ${dir}`,
    'cache deny all',
    'cache_mem 8 MB',
    'visible_hostname awsidc-test-proxy',
    'shutdown_lifetime 0 seconds',
    ...(options.idleTunnelSeconds ? [`read_timeout ${options.idleTunnelSeconds} seconds`] : []),
    ...(auth
      ? [
          `auth_param basic program /usr/lib/squid/basic_ncsa_auth ${join(dir, 'passwd')}`,
          'auth_param basic realm awsidc-test',
          'acl authed proxy_auth REQUIRED',
        ]
      : []),
    'acl local src 127.0.0.1/32',
    ...(auth ? ['http_access deny !authed'] : []),
    'http_access allow local',
    'http_access deny all',
    '',
  ].join('\n');
  const confFile = join(dir, 'squid.conf');
  writeFileSync(confFile, conf);
  chmodSync(confFile, 0o644);
  const child = spawn(SQUID, ['-N', '-f', confFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  child.once('error', () => undefined);
  const cacheLog = (): string => stderr + (existsSync(join(dir, 'cache.log')) ? readFileSync(join(dir, 'cache.log'), 'utf8').slice(-2000) : '');
  await waitForPort(port, child, cacheLog);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    authUrl: auth ? `http://${auth.user}:${auth.password}@127.0.0.1:${port}` : undefined,
    accessLog: () => {
      const file = join(dir, 'access.log');
      return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
    },
    stop: () =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
      }),
  };
}
