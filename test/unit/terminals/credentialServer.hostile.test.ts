// Requests built to slip past the endpoint's checks, and sources that hand it absurd credentials.
// Node keeps only the first 2,000 headers in req.headers, so whatever comes after them must still
// be seen (or the request refused); unauthenticated answers close their connection; an expiration
// a Date cannot hold, or one long past, is refused with a JSON 503 rather than a reset. And the
// connection guard's rules, one by one, with small limits.
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { CredentialServer } from '../../../src/core/terminals/credentialServer';
import { RoleCredentialsSecret } from '../../../src/core/common/model';

const creds = (expiration: number): RoleCredentialsSecret => ({
  accountId: '111122223333',
  roleName: 'Hostile',
  accessKeyId: 'ASIAHOSTILE00000001',
  secretAccessKey: 'hostile-secret-access-key-xxxxxxxxxxxxxxxx',
  sessionToken: 'hostile-session-token-yyyyyyyyyyyyyyyyyyyyyyyy',
  expiration,
});

interface RawReply {
  data: string;
  error?: string;
  closed: boolean;
}
/** Sends raw bytes and collects what comes back until the server closes, or `waitMs` passes. */
function send(port: number, bytes: string, waitMs = 5_000): Promise<RawReply> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    let data = '';
    let error: string | undefined;
    socket.on('data', (d) => (data += d.toString('utf8')));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ data, error, closed: false });
    }, waitMs);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ data, error, closed: true });
    });
  });
}
const statusOf = (reply: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0);
const bodyOf = (reply: string): Record<string, unknown> => JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;

describe('hostile requests and absurd credentials', () => {
  let server: CredentialServer;
  let pathname: string;
  let token: string;
  let expiration = Date.now() + 3600_000;
  const lines: string[] = [];
  const head = (extra: string[] = [], filler = 0, close = true): string =>
    `GET ${pathname} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: ${token}\r\n` +
    'a:\r\n'.repeat(filler) +
    extra.map((h) => `${h}\r\n`).join('') +
    (close ? 'Connection: close\r\n' : '') +
    '\r\n';

  before(async () => {
    const push = (m: string): void => void lines.push(m);
    server = await CredentialServer.start({ log: { trace: push, info: push, warn: push, error: push } });
    const b = server.bind('hostile', async () => creds(expiration));
    pathname = new URL(b.url).pathname;
    token = b.token;
  });
  after(() => server.dispose());

  test('the plain request is served (the checks below are not refusing everything)', async () => {
    const r = await send(server.port, head([], 50));
    assert.equal(statusOf(r.data), 200, r.data);
  });

  for (const [name, header] of [
    ['an Origin', 'Origin: https://evil.example'],
    ['a second Host', 'Host: evil.example'],
    ['a second Authorization', 'Authorization: wrong'],
    ['a Sec-Fetch-Site', 'Sec-Fetch-Site: cross-site'],
  ]) {
    test(`${name} header after 2,000 others is not served`, async () => {
      const bytes = head([header], 2000);
      assert.ok(Buffer.byteLength(bytes) < 8192, 'the request fits maxHeaderSize, so only the header count can stop it');
      const r = await send(server.port, bytes);
      const status = statusOf(r.data);
      assert.notEqual(status, 200, `served: ${r.data.slice(0, 200)}`);
      assert.equal(status, 431, r.data.slice(0, 200));
      assert.equal(bodyOf(r.data).Code, 'RequestHeaderFieldsTooLarge');
      assert.ok(!r.data.includes('hostile-secret'));
    });
  }

  test('more than 100 headers are refused with 431; 100 are served', async () => {
    // Host, Authorization, Connection + fillers.
    assert.equal(statusOf((await send(server.port, head([], 97))).data), 200);
    const r = await send(server.port, head([], 98));
    assert.equal(statusOf(r.data), 431, r.data.slice(0, 200));
    assert.equal(bodyOf(r.data).Code, 'RequestHeaderFieldsTooLarge');
  });

  test('an Origin or duplicate header among the first 100 is refused as before', async () => {
    assert.equal(statusOf((await send(server.port, head(['Origin: null'], 10))).data), 403);
    assert.equal(statusOf((await send(server.port, head(['Host: evil.example'], 10))).data), 400);
    assert.equal(statusOf((await send(server.port, head([`authorization: ${token}`], 10))).data), 400);
  });

  test('unauthenticated refusals close the connection; a served one may stay open', async () => {
    const refusals = [
      `GET /nope HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`,
      `GET ${pathname} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`,
      `GET ${pathname} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: wrong\r\n\r\n`,
      `GET ${pathname} HTTP/1.1\r\nHost: evil.example\r\nAuthorization: ${token}\r\n\r\n`,
      `POST ${pathname} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: ${token}\r\n\r\n`,
    ];
    for (const bytes of refusals) {
      const t0 = Date.now();
      const r = await send(server.port, bytes);
      assert.ok(statusOf(r.data) >= 400, r.data);
      assert.match(r.data, /\r\nConnection: close\r\n/i);
      assert.ok(r.closed && Date.now() - t0 < 1000, `a refused connection stayed open ${Date.now() - t0} ms`);
    }
    const served = await send(server.port, head([], 0, false), 300);
    assert.equal(statusOf(served.data), 200);
    assert.equal(served.closed, false, 'a served keep-alive connection was closed at once');
  });

  for (const [name, value] of [
    ['1e16 (beyond what a Date holds)', 1e16],
    ['Number.MAX_VALUE', Number.MAX_VALUE],
    ['Infinity', Infinity],
    ['NaN', NaN],
    ['a year from now', Date.now() + 365 * 86_400_000],
    ['an hour ago', Date.now() - 3600_000],
    ['0', 0],
  ] as const) {
    test(`an expiration of ${name} is answered 503 JSON, never a reset, and the endpoint keeps serving`, async () => {
      expiration = value;
      lines.length = 0;
      try {
        const r = await send(server.port, head());
        assert.equal(r.error, undefined, `connection error ${r.error}`);
        assert.equal(statusOf(r.data), 503, r.data.slice(0, 300));
        const body = bodyOf(r.data);
        assert.equal(body.Code, 'CredentialsUnavailable');
        assert.ok(!r.data.includes('hostile-secret') && !r.data.includes('hostile-session') && !r.data.includes('ASIAHOSTILE'));
        assert.ok(
          lines.some((l) => /refused 503/.test(l)),
          lines.join('\n'),
        );
        for (const l of lines) assert.ok(!l.includes('hostile-secret') && !l.includes('hostile-session') && !l.includes(token), l);
      } finally {
        expiration = Date.now() + 3600_000;
      }
      assert.equal(statusOf((await send(server.port, head())).data), 200);
    });
  }
});

describe('connection guard: who keeps a connection when they run short', () => {
  const lines: string[] = [];
  const push = (m: string): void => void lines.push(m);
  const log = { trace: push, info: push, warn: push, error: push };
  const get = (server: CredentialServer, b: { url: string; token: string }): string =>
    `GET ${new URL(b.url).pathname} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: ${b.token}\r\nConnection: close\r\n\r\n`;
  async function hold(port: number, n: number): Promise<net.Socket[]> {
    const holders: net.Socket[] = [];
    for (let i = 0; i < n; i++) {
      const sock = net.connect(port, '127.0.0.1');
      sock.on('error', () => undefined);
      await new Promise((r) => sock.once('connect', r));
      holders.push(sock);
      await new Promise((r) => setTimeout(r, 20));
    }
    return holders;
  }
  const closed = (s: net.Socket): Promise<void> => (s.destroyed ? Promise.resolve() : new Promise((r) => s.once('close', () => r())));

  test('at maxConnections unauthenticated connections, a new one closes the oldest; the new one is served', async () => {
    const server = await CredentialServer.start({ log, limits: { maxConnections: 4, graceMs: 0 } });
    const b = server.bind('capped', async () => creds(Date.now() + 3600_000));
    const holders = await hold(server.port, 4);
    try {
      const r = await send(server.port, get(server, b));
      assert.equal(statusOf(r.data), 200, r.data);
      await closed(holders[0]);
      assert.ok(
        holders.slice(1).every((h) => !h.destroyed),
        'a younger holder was closed',
      );
      assert.ok(lines.some((l) => l.includes('closed an unauthenticated connection: more than 4 unauthenticated connections')));
    } finally {
      for (const h of holders) h.destroy();
      server.dispose();
    }
  });

  test('unauthenticated connections younger than graceMs are spared up to maxSockets, then the oldest goes', async () => {
    const server = await CredentialServer.start({ log, limits: { maxConnections: 2, maxSockets: 4, graceMs: 60_000 } });
    const b = server.bind('capped', async () => creds(Date.now() + 3600_000));
    const holders = await hold(server.port, 4);
    try {
      await new Promise((r) => setTimeout(r, 50));
      assert.ok(
        holders.every((h) => !h.destroyed),
        'young connections were closed below maxSockets',
      );
      const r = await send(server.port, get(server, b));
      assert.equal(statusOf(r.data), 200, r.data);
      await closed(holders[0]);
      assert.ok(holders.slice(1).every((h) => !h.destroyed));
    } finally {
      for (const h of holders) h.destroy();
      server.dispose();
    }
  });

  test('a connection serving a token-bearing request is never closed for a newcomer; at maxSockets of them the newcomer is dropped', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const server = await CredentialServer.start({ log, limits: { maxConnections: 4, maxSockets: 2, graceMs: 0 } });
    const b = server.bind('slow', async () => {
      await gate;
      return creds(Date.now() + 3600_000);
    });
    try {
      const pending = [send(server.port, get(server, b)), send(server.port, get(server, b))];
      await new Promise((r) => setTimeout(r, 200));
      const t0 = Date.now();
      const extra = await send(server.port, 'GET / HTTP/1.1\r\n\r\n', 3000);
      assert.equal(extra.data, '');
      assert.ok(extra.closed && Date.now() - t0 < 1000);
      assert.ok(lines.some((l) => l.includes('connection dropped: 2 connections are serving credentials')));
      release();
      for (const r of await Promise.all(pending)) assert.equal(statusOf(r.data), 200);
    } finally {
      release();
      server.dispose();
    }
  });
});
