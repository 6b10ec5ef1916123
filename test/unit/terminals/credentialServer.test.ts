// The loopback credential endpoint: every refusal, the success shape, robustness against slow,
// malformed and oversized requests, and that no secret leaks into a refusal or a log line.
// These tests need no emulator: the source is a plain function returning fixed credentials.
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import { after, before, describe, test } from 'node:test';
import { Clock } from '../../../src/core/common/clock';
import { rfc3339 } from '../../../src/core/common/format';
import { CredentialServer, CredentialSource, DEFAULT_LIMITS } from '../../../src/core/terminals/credentialServer';
import { IdcError } from '../../../src/core/common/errors';
import { Logger } from '../../../src/core/common/log';
import { RoleCredentialsSecret } from '../../../src/core/common/model';

// ---- helpers -----------------------------------------------------------------------------------

interface Captured {
  lines: string[];
  log: Logger;
}
function captureLog(): Captured {
  const lines: string[] = [];
  const push =
    (level: string) =>
    (m: string): void =>
      void lines.push(`${level} ${m}`);
  return { lines, log: { trace: push('trace'), info: push('info'), warn: push('warn'), error: push('error') } };
}

function fakeCreds(n: number, expiration = Date.now() + 3600_000): RoleCredentialsSecret {
  return {
    accountId: '111122223333',
    roleName: `Role${n}`,
    accessKeyId: `ASIAFAKE${String(n).padStart(8, '0')}`,
    secretAccessKey: `secret-access-key-${n}-${'s'.repeat(24)}`,
    sessionToken: `session-token-${n}-${'t'.repeat(64)}`,
    expiration,
  };
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: () => Record<string, unknown>;
}

/** One request on its own connection (no agent), with exactly the headers given. */
function request(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: opts.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('client timeout')));
    req.end(opts.body);
  });
}

interface RawReply {
  data: string;
  closedAfterMs: number;
  error?: string;
}
/** Writes raw bytes (optionally in timed pieces) and collects everything until the server closes. */
function raw(port: number, pieces: string[] | string, opts: { gapMs?: number; host?: string; giveUpMs?: number } = {}): Promise<RawReply> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, opts.host ?? '127.0.0.1');
    let data = '';
    let error: string | undefined;
    const list = typeof pieces === 'string' ? [pieces] : [...pieces];
    let timer: NodeJS.Timeout | undefined;
    const next = (): void => {
      const piece = list.shift();
      if (piece === undefined || socket.destroyed) return;
      socket.write(piece);
      timer = setTimeout(next, opts.gapMs ?? 0);
    };
    socket.on('connect', next);
    socket.on('data', (d) => (data += d.toString('utf8')));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    const giveUp = setTimeout(() => socket.destroy(), opts.giveUpMs ?? 15_000);
    socket.on('close', () => {
      clearTimeout(timer);
      clearTimeout(giveUp);
      resolve({ data, closedAfterMs: Date.now() - started, error });
    });
  });
}

const statusOf = (rawReply: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(rawReply)?.[1] ?? 0);
const bodyOf = (rawReply: string): string => rawReply.slice(rawReply.indexOf('\r\n\r\n') + 4);

/** Every secret a test run handed out, to search bodies and log lines for. */
const secrets = new Set<string>();
function remember(...values: string[]): void {
  for (const v of values) secrets.add(v);
}
function assertNoSecret(text: string, where: string): void {
  for (const s of secrets) assert.ok(!text.includes(s), `${where} contains a secret (${s.slice(0, 6)}…)`);
}

// ---- tests -------------------------------------------------------------------------------------

describe('CredentialServer', () => {
  let server: CredentialServer;
  let captured: Captured;
  let calls = 0;
  const creds = fakeCreds(1);
  const source: CredentialSource = async () => {
    calls++;
    return creds;
  };
  let url: string;
  let token: string;
  let other: { url: string; token: string; dispose(): void };
  const refusalBodies: string[] = [];
  const auth = (t = token): Record<string, string> => ({ Authorization: t });
  async function refused(reply: Reply, status: number, code: string): Promise<void> {
    refusalBodies.push(reply.body);
    assert.equal(reply.status, status, `expected ${status}, got ${reply.status}: ${reply.body}`);
    assert.equal(reply.headers['content-type'], 'application/json');
    assert.equal(reply.headers['cache-control'], 'no-store');
    const body = reply.json();
    assert.deepEqual(Object.keys(body).sort(), ['Code', 'Message']);
    assert.equal(body.Code, code);
    assert.equal(typeof body.Message, 'string');
    assert.ok((body.Message as string).length > 5);
  }

  before(async () => {
    captured = captureLog();
    server = await CredentialServer.start({ log: captured.log });
    const b = server.bind('active role', source);
    url = b.url;
    token = b.token;
    other = server.bind('terminal Other/Admin', async () => fakeCreds(2));
    remember(token, other.token, creds.secretAccessKey, creds.sessionToken, fakeCreds(2).secretAccessKey, fakeCreds(2).sessionToken);
  });

  after(() => {
    server.dispose();
  });

  test('listens on 127.0.0.1 only, on a random port', async () => {
    const address = server.address();
    assert.equal(address.address, '127.0.0.1');
    assert.equal(address.family, 'IPv4');
    assert.equal(address.port, server.port);
    assert.ok(server.port > 1024);
    const second = await CredentialServer.start();
    try {
      assert.notEqual(second.port, server.port);
    } finally {
      second.dispose();
    }
    // Every other address of this machine refuses the connection.
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((a): a is os.NetworkInterfaceInfo => !!a && a.address !== '127.0.0.1' && !a.address.startsWith('fe80'));
    assert.ok(others.some((a) => a.address === '::1') || others.length > 0, 'no other address to try');
    for (const a of others) {
      const r = await raw(server.port, 'GET / HTTP/1.1\r\n\r\n', { host: a.address, giveUpMs: 3000 });
      assert.equal(r.data, '', `${a.address} answered`);
      assert.equal(r.error, 'ECONNREFUSED', `${a.address}: ${r.error}`);
    }
  });

  test('a fixed port is honoured; a taken port rejects start()', async () => {
    await assert.rejects(CredentialServer.start({ port: server.port }), /EADDRINUSE/);
    const probe = await CredentialServer.start();
    const port = probe.port;
    probe.dispose();
    const fixed = await CredentialServer.start({ port });
    try {
      assert.equal(fixed.port, port);
      assert.ok(fixed.bind('x', async () => creds).url.startsWith(`http://127.0.0.1:${port}/`));
    } finally {
      fixed.dispose();
    }
  });

  test('an accept error after listening is logged, not thrown', async () => {
    const { lines, log } = captureLog();
    const s = await CredentialServer.start({ log });
    try {
      const e = Object.assign(new Error('accept EMFILE'), { code: 'EMFILE' });
      (s as unknown as { server: import('node:http').Server }).server.emit('error', e);
      assert.ok(
        lines.some((l) => l.startsWith('error') && l.includes('EMFILE')),
        lines.join('\n'),
      );
      const b = s.bind('after error', async () => creds);
      remember(b.token);
      assert.equal((await request(b.url, { headers: auth(b.token) })).status, 200);
    } finally {
      s.dispose();
    }
  });

  test('binding url and token: random path, 256-bit token, distinct per binding', () => {
    const m = /^http:\/\/127\.0\.0\.1:(\d+)\/([A-Za-z0-9_-]{32})$/.exec(url);
    assert.ok(m, url);
    assert.equal(Number(m[1]), server.port);
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(token, 'base64url').length, 32);
    assert.notEqual(other.url, url);
    assert.notEqual(other.token, token);
    assert.notEqual(new URL(other.url).pathname, new URL(url).pathname);
  });

  test('200 with the container-credentials body', async () => {
    const before = calls;
    const r = await request(url, { headers: auth() });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['cache-control'], 'no-store');
    const body = r.json();
    assert.deepEqual(Object.keys(body).sort(), ['AccessKeyId', 'AccountId', 'Expiration', 'SecretAccessKey', 'Token']);
    assert.equal(body.AccessKeyId, creds.accessKeyId);
    assert.equal(body.SecretAccessKey, creds.secretAccessKey);
    assert.equal(body.Token, creds.sessionToken);
    assert.equal(body.AccountId, '111122223333');
    assert.match(body.Expiration as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(body.Expiration, rfc3339(creds.expiration));
    const parsed = Date.parse(body.Expiration as string);
    assert.ok(parsed <= creds.expiration && creds.expiration - parsed < 1000);
    assert.equal(calls, before + 1, 'the source is asked on every request');
    // localhost:<port> is an accepted Host too.
    const viaLocalhost = await request(url, { headers: { ...auth(), Host: `localhost:${server.port}` } });
    assert.equal(viaLocalhost.status, 200);
    // Each binding serves its own source.
    const o = await request(other.url, { headers: { Authorization: other.token } });
    assert.equal(o.status, 200);
    assert.equal(o.json().AccessKeyId, fakeCreds(2).accessKeyId);
  });

  test('rfc3339 rounds down to whole seconds', () => {
    assert.equal(rfc3339(Date.UTC(2024, 0, 1, 12, 0, 0, 999)), '2024-01-01T12:00:00Z');
    assert.equal(rfc3339(Date.UTC(2024, 0, 1, 12, 0, 1, 0)), '2024-01-01T12:00:01Z');
  });

  test('401 for a missing token', async () => {
    await refused(await request(url), 401, 'Unauthorized');
  });

  test('401 for a wrong token, a prefix of it, a scheme prefix, or a different length', async () => {
    const wrong = [
      token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'),
      token.slice(0, 20),
      `Bearer ${token}`,
      `${token}x`,
      ` ${token}x`,
      token + token,
      'x',
    ];
    for (const t of wrong) await refused(await request(url, { headers: auth(t) }), 401, 'Unauthorized');
    // An empty header value is refused too.
    const empty = await raw(
      server.port,
      `GET ${new URL(url).pathname} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization:\r\nConnection: close\r\n\r\n`,
    );
    assert.equal(statusOf(empty.data), 401);
    refusalBodies.push(bodyOf(empty.data));
  });

  test("401 for another binding's token", async () => {
    await refused(await request(url, { headers: auth(other.token) }), 401, 'Unauthorized');
    await refused(await request(other.url, { headers: auth(token) }), 401, 'Unauthorized');
  });

  test('403 for a wrong or missing Host (DNS rebinding)', async () => {
    const hosts = [
      `evil.example:${server.port}`,
      'evil.example',
      `127.0.0.1:${server.port + 1}`,
      '127.0.0.1',
      `[::1]:${server.port}`,
      `127.0.0.1.evil.example:${server.port}`,
      `localhost.:${server.port}`,
    ];
    for (const host of hosts) {
      await refused(await request(url, { headers: { ...auth(), Host: host } }), 403, 'Forbidden');
    }
    const noHost = await raw(server.port, `GET ${new URL(url).pathname} HTTP/1.0\r\nAuthorization: ${token}\r\n\r\n`);
    assert.equal(statusOf(noHost.data), 403);
    refusalBodies.push(bodyOf(noHost.data));
    assert.equal(JSON.parse(bodyOf(noHost.data)).Code, 'Forbidden');
  });

  test('403 when a header only browsers send is present (Origin, Sec-Fetch-Site, Sec-Fetch-User, a preflight), even with the right token', async () => {
    const browserish: Record<string, string>[] = [
      { Origin: 'https://evil.example' },
      { Origin: 'null' },
      { Origin: `http://127.0.0.1:${server.port}` },
      { 'Sec-Fetch-Site': 'same-origin' },
      { 'Sec-Fetch-Site': 'none' },
      { 'Sec-Fetch-User': '?1' },
      // What a page's request carries: Sec-Fetch-Mode/Dest always come with Sec-Fetch-Site.
      { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'no-cors', 'Sec-Fetch-Dest': 'empty' },
      { 'Sec-Fetch-Mode': 'cors', Origin: 'https://evil.example' },
      { 'Access-Control-Request-Method': 'GET' },
    ];
    for (const h of browserish) await refused(await request(url, { headers: { ...auth(), ...h } }), 403, 'Forbidden');
    // A CORS preflight: OPTIONS with Origin and Access-Control-Request-*; refused before the method check.
    const preflight = await request(url, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    await refused(preflight, 403, 'Forbidden');
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
  });

  test("Sec-Fetch-Mode or Sec-Fetch-Dest alone (what Node's own fetch, undici, sends) is served", async () => {
    for (const h of [{ 'Sec-Fetch-Mode': 'cors' }, { 'Sec-Fetch-Mode': 'no-cors' }, { 'Sec-Fetch-Dest': 'empty' }] as Record<string, string>[]) {
      const r = await request(url, { headers: { ...auth(), ...h } });
      assert.equal(r.status, 200, `${JSON.stringify(h)}: ${r.body}`);
    }
  });

  test("Node's own fetch reads the endpoint; with an Origin or Sec-Fetch-Site it is still refused", async () => {
    const ok = await fetch(url, { headers: { Authorization: token } });
    assert.equal(ok.status, 200, await ok.clone().text());
    const body = (await ok.json()) as Record<string, unknown>;
    assert.equal(typeof body.AccessKeyId, 'string');
    for (const h of [{ Origin: 'https://evil.example' }, { 'Sec-Fetch-Site': 'cross-site' }] as Record<string, string>[]) {
      const r = await fetch(url, { headers: { Authorization: token, ...h } });
      assert.equal(r.status, 403, JSON.stringify(h));
      assert.equal(((await r.json()) as { Code: string }).Code, 'Forbidden');
    }
  });

  test('?format=process answers in the credential_process shape, behind the same token check', async () => {
    const r = await request(`${url}?format=process`, { headers: auth() });
    assert.equal(r.status, 200, r.body);
    const body = r.json();
    assert.deepEqual(Object.keys(body).sort(), ['AccessKeyId', 'Expiration', 'SecretAccessKey', 'SessionToken', 'Version']);
    assert.equal(body.Version, 1);
    assert.match(String(body.Expiration), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const plain = (await request(url, { headers: auth() })).json();
    assert.equal(plain.Token, body.SessionToken);
    assert.equal(plain.Version, undefined);
    await refused(await request(`${url}?format=process`, { headers: { Authorization: 'wrong' } }), 401, 'Unauthorized');
    await refused(await request(`${url}?format=process`), 401, 'Unauthorized');
  });

  test('404 for unknown paths', async () => {
    const path = new URL(url).pathname;
    const base = `http://127.0.0.1:${server.port}`;
    for (const p of ['/', '/nope', `${path}/x`, path.slice(0, -1), `${path}x`, `/${path}`, path.toUpperCase()]) {
      await refused(await request(base + p, { headers: auth() }), 404, 'NotFound');
    }
    // Paths a URL parser would normalise are not normalised by the server.
    for (const p of [`/..${path}`, `/.${path}`, `/x/..${path}`, `${path}/`, `http://127.0.0.1:${server.port}${path}`]) {
      const r = await raw(server.port, `GET ${p} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: ${token}\r\nConnection: close\r\n\r\n`);
      assert.equal(statusOf(r.data), 404, `${p}: ${r.data}`);
      refusalBodies.push(bodyOf(r.data));
    }
    // A query string does not change the path.
    assert.equal((await request(`${url}?x=1`, { headers: auth() })).status, 200);
  });

  test('405 for any method but GET', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const r = await request(url, { method, headers: auth(), body: method === 'POST' ? 'a=b' : undefined });
      await refused(r, 405, 'MethodNotAllowed');
      assert.equal(r.headers.allow, 'GET');
    }
    const head = await request(url, { method: 'HEAD', headers: auth() });
    assert.equal(head.status, 405);
    assert.equal(head.body, '');
  });

  test('400 for duplicate Authorization or Host headers', async () => {
    const path = new URL(url).pathname;
    const dupAuth = await raw(
      server.port,
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: ${token}\r\nAuthorization: ${token}\r\nConnection: close\r\n\r\n`,
    );
    assert.equal(statusOf(dupAuth.data), 400);
    const dupHost = await raw(
      server.port,
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nHost: evil.example\r\nAuthorization: ${token}\r\nConnection: close\r\n\r\n`,
    );
    assert.equal(statusOf(dupHost.data), 400);
    refusalBodies.push(bodyOf(dupAuth.data), bodyOf(dupHost.data));
  });

  test('a request body is neither needed nor kept: answered, then the connection closes', async () => {
    const path = new URL(url).pathname;
    const r = await raw(server.port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: ${token}\r\nContent-Length: 5\r\n\r\nhello`);
    assert.equal(statusOf(r.data), 200);
    assert.match(r.data, /\r\nConnection: close\r\n/i);
    assert.ok(r.closedAfterMs < 2000, `closed after ${r.closedAfterMs} ms`);
  });

  test('a revoked binding is refused at once (404), others keep working', async () => {
    const b = server.bind('short-lived', async () => fakeCreds(3));
    remember(b.token, fakeCreds(3).secretAccessKey, fakeCreds(3).sessionToken);
    assert.equal((await request(b.url, { headers: auth(b.token) })).status, 200);
    const count = server.bindingCount;
    b.dispose();
    assert.equal(server.bindingCount, count - 1);
    await refused(await request(b.url, { headers: auth(b.token) }), 404, 'NotFound');
    b.dispose(); // twice is harmless
    assert.equal((await request(url, { headers: auth() })).status, 200);
  });

  test('a binding revoked while its source is still answering is refused', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const b = server.bind('slow source', async () => {
      await gate;
      return fakeCreds(4);
    });
    remember(b.token, fakeCreds(4).secretAccessKey, fakeCreds(4).sessionToken);
    const pending = request(b.url, { headers: auth(b.token) });
    await new Promise((r) => setTimeout(r, 100));
    b.dispose();
    release();
    await refused(await pending, 404, 'NotFound');
  });

  test('503 with the IdcError message when the source fails', async () => {
    const signedOut = "Not signed in to AWS IAM Identity Center. Run 'AWS Identity Center: Sign In' in VS Code.";
    const b = server.bind('signed out', async () => {
      throw new IdcError('sessionEnded', signedOut, 'UnauthorizedException');
    });
    remember(b.token);
    const r = await request(b.url, { headers: auth(b.token) });
    await refused(r, 503, 'CredentialsUnavailable');
    assert.equal(r.json().Message, signedOut);
    b.dispose();
  });

  test('503 with a generic message (not the error text) for other failures', async () => {
    const leaky = 'accessToken=aoaLEAKY-TOKEN-VALUE';
    remember(leaky);
    const b = server.bind('broken', async () => {
      throw new Error(leaky);
    });
    remember(b.token);
    const r = await request(b.url, { headers: auth(b.token) });
    await refused(r, 503, 'CredentialsUnavailable');
    assert.match(r.json().Message as string, /Sign In/);
    b.dispose();
  });

  test('503 when the source hands back expired credentials', async () => {
    const now = Date.now();
    const clock: Clock = {
      now: () => now,
      setTimeout: (fn, ms) => {
        const h = setTimeout(fn, ms);
        return () => clearTimeout(h);
      },
    };
    const s = await CredentialServer.start({ clock, log: captured.log });
    try {
      const stale = fakeCreds(5, now - 1);
      const fresh = fakeCreds(6, now + 1000);
      remember(stale.secretAccessKey, stale.sessionToken, fresh.secretAccessKey, fresh.sessionToken);
      const b1 = s.bind('stale', async () => stale);
      const b2 = s.bind('fresh', async () => fresh);
      remember(b1.token, b2.token);
      await refused(await request(b1.url, { headers: auth(b1.token) }), 503, 'CredentialsUnavailable');
      assert.equal((await request(b2.url, { headers: auth(b2.token) })).status, 200);
    } finally {
      s.dispose();
    }
  });

  test('503 when the source hangs past sourceTimeoutMs', async () => {
    const s = await CredentialServer.start({ log: captured.log, limits: { sourceTimeoutMs: 300 } });
    try {
      const b = s.bind('hanging', () => new Promise<RoleCredentialsSecret>(() => undefined));
      remember(b.token);
      const t0 = Date.now();
      await refused(await request(b.url, { headers: auth(b.token) }), 503, 'CredentialsUnavailable');
      assert.ok(Date.now() - t0 < 2000);
    } finally {
      s.dispose();
    }
  });

  test('431 for oversized headers, and the server keeps serving', async () => {
    assert.equal(DEFAULT_LIMITS.maxHeaderSize, 8192);
    const r = await request(url, { headers: { ...auth(), 'X-Padding': 'p'.repeat(9000) } }).catch((e: Error) => e);
    assert.ok(!(r instanceof Error), `client error ${String(r)}`);
    await refused(r, 431, 'RequestHeaderFieldsTooLarge');
    // Many small headers adding up to more than 8 KB as well.
    const many: Record<string, string> = auth();
    for (let i = 0; i < 100; i++) many[`X-H${i}`] = 'v'.repeat(90);
    await refused(await request(url, { headers: many }), 431, 'RequestHeaderFieldsTooLarge');
    assert.equal((await request(url, { headers: auth() })).status, 200);
  });

  test('400 for malformed requests, and the server keeps serving', async () => {
    const inputs = [
      'GARBAGE\r\n\r\n',
      'GET\r\n\r\n',
      `GET ${new URL(url).pathname} HTTP/9.9\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nBad Header\r\n\r\n`,
      '\x00\x01\x02\x03\r\n\r\n',
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
    ];
    for (const input of inputs) {
      const r = await raw(server.port, input);
      const status = statusOf(r.data);
      assert.ok(status === 400 || status === 404 || status === 505, `${JSON.stringify(input)} → ${status} ${r.data}`);
      if (status === 400) {
        refusalBodies.push(bodyOf(r.data));
        assert.equal(JSON.parse(bodyOf(r.data)).Code, 'BadRequest');
      }
    }
    assert.equal(statusOf((await raw(server.port, 'GARBAGE\r\n\r\n')).data), 400);
    assert.equal((await request(url, { headers: auth() })).status, 200);
  });

  test('a slowloris client is cut off after headersTimeout while normal requests succeed', async () => {
    assert.equal(DEFAULT_LIMITS.headersTimeoutMs, 2000);
    const path = new URL(url).pathname;
    const full = `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: ${token}\r\nX-Filler: ${'f'.repeat(200)}\r\n\r\n`;
    // One byte every 50 ms: the whole head would take ~17 s; it must never be answered 200.
    const slow = raw(server.port, full.split(''), { gapMs: 50, giveUpMs: 20_000 });
    const idle = raw(server.port, [], { giveUpMs: 20_000 });
    const started = Date.now();
    // Meanwhile ordinary requests keep being served quickly.
    let served = 0;
    while (Date.now() - started < 3000) {
      const t0 = Date.now();
      const r = await request(url, { headers: auth() });
      assert.equal(r.status, 200);
      assert.ok(Date.now() - t0 < 500, 'a normal request was slow');
      served++;
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.ok(served >= 10);
    const [s, i] = await Promise.all([slow, idle]);
    assert.equal(statusOf(s.data), 408, s.data);
    assert.ok(s.closedAfterMs >= 1800 && s.closedAfterMs < 4000, `slow client closed after ${s.closedAfterMs} ms`);
    assert.ok(!s.data.includes('SecretAccessKey'));
    assert.ok(i.closedAfterMs >= 1800 && i.closedAfterMs < 4000, `idle client closed after ${i.closedAfterMs} ms`);
    refusalBodies.push(bodyOf(s.data));
  });

  test('200 concurrent requests all succeed (32 keep-alive sockets)', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
    try {
      const before = calls;
      const started = Date.now();
      const replies = await Promise.all(Array.from({ length: 200 }, () => request(url, { headers: auth(), agent })));
      const elapsed = Date.now() - started;
      for (const r of replies) {
        assert.equal(r.status, 200);
        assert.equal(r.json().AccessKeyId, creds.accessKeyId);
      }
      assert.equal(calls - before, 200);
      assert.ok(elapsed < 5000, `took ${elapsed} ms`);
    } finally {
      agent.destroy();
    }
  });

  test('200 simultaneous connections: none hangs, all are served, the server recovers', async (t) => {
    assert.equal(DEFAULT_LIMITS.maxConnections, 64);
    const path = new URL(url).pathname;
    const req = `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: ${token}\r\nConnection: close\r\n\r\n`;
    const replies = await Promise.all(Array.from({ length: 200 }, () => raw(server.port, req, { giveUpMs: 10_000 })));
    const ok = replies.filter((r) => statusOf(r.data) === 200).length;
    const dropped = replies.filter((r) => r.data === '').length;
    t.diagnostic(`${ok} served, ${dropped} dropped`);
    assert.equal(ok + dropped, 200, 'every connection was either served or dropped');
    assert.equal(ok, 200, `only ${ok} served`);
    for (const r of replies) assert.ok(r.closedAfterMs < 5000);
    assert.equal((await request(url, { headers: auth() })).status, 200);
  });

  test('one log line per refusal with reason and label; successes only at trace', async () => {
    const { lines, log } = captureLog();
    const s = await CredentialServer.start({ log });
    try {
      const b = s.bind('terminal Sandbox/ReadOnly', async () => creds);
      remember(b.token);
      lines.length = 0;
      await request(b.url, { headers: auth('nope') });
      await request(b.url, { headers: { ...auth(b.token), Origin: 'https://evil.example' } });
      await request(b.url, { headers: auth(b.token) });
      const warns = lines.filter((l) => l.startsWith('warn'));
      assert.equal(warns.length, 2, lines.join('\n'));
      assert.match(warns[0], /401 .*wrong token.*terminal Sandbox\/ReadOnly/);
      assert.match(warns[1], /403 .*origin header present/);
      const traces = lines.filter((l) => l.startsWith('trace'));
      assert.equal(traces.length, 1);
      assert.match(traces[0], /served terminal Sandbox\/ReadOnly \(111122223333\/Role1/);
      assert.equal(lines.length, 3);
    } finally {
      s.dispose();
    }
  });

  test('refusal log lines are capped per minute, then summarised', async () => {
    let now = 1_000_000;
    const clock: Clock = {
      now: () => now,
      setTimeout: (fn, ms) => {
        const h = setTimeout(fn, ms);
        return () => clearTimeout(h);
      },
    };
    const { lines, log } = captureLog();
    const s = await CredentialServer.start({ log, clock, limits: { maxRefusalLogsPerMinute: 5 } });
    try {
      const b = s.bind('flooded', async () => creds);
      remember(b.token);
      for (let i = 0; i < 12; i++) assert.equal((await request(b.url)).status, 401);
      assert.equal(lines.filter((l) => l.includes('refused')).length, 5);
      now += 61_000;
      assert.equal((await request(b.url)).status, 401);
      assert.ok(
        lines.some((l) => l.includes('7 more refusals')),
        lines.join('\n'),
      );
      assert.equal(lines.filter((l) => l.includes('refused')).length, 6);
    } finally {
      s.dispose();
    }
  });

  test('no secret appears in any refusal body or log line', () => {
    assert.ok(refusalBodies.length >= 40, `only ${refusalBodies.length} refusal bodies collected`);
    assert.ok(secrets.size >= 10);
    for (const body of refusalBodies) {
      assertNoSecret(body, 'refusal body');
      assert.ok(!body.includes('AccessKeyId'));
      assert.ok(!body.includes(new URL(url).pathname.slice(1)), 'refusal body repeats the path');
    }
    assert.ok(captured.lines.length > 40);
    const pathSegments = [new URL(url).pathname.slice(1), new URL(other.url).pathname.slice(1)];
    for (const line of captured.lines) {
      assertNoSecret(line, 'log line');
      assert.ok(!line.includes(creds.accessKeyId), 'log line holds an access key id');
      for (const p of pathSegments) assert.ok(!line.includes(p), 'log line holds a binding path');
    }
  });

  test('dispose closes the listener and every open connection; bind then throws', async () => {
    const s = await CredentialServer.start();
    const b = s.bind('to be closed', async () => creds);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    assert.equal((await request(b.url, { headers: auth(b.token), agent })).status, 200);
    const kept = Object.values(agent.freeSockets).flat()[0];
    assert.ok(kept, 'a kept-alive socket');
    kept.ref(); // the agent unrefs idle sockets; keep the test alive until it closes
    const closed = new Promise((r) => kept.once('close', r));
    const port = s.port;
    s.dispose();
    await closed;
    const after = await raw(port, 'GET / HTTP/1.1\r\n\r\n', { giveUpMs: 2000 });
    assert.equal(after.error, 'ECONNREFUSED');
    assert.throws(() => s.bind('late', async () => creds), /stopped/);
    s.dispose(); // twice is harmless
    agent.destroy();
  });
});
