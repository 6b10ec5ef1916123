// Issue 24 item 3 (core half): a window's endpoint after a reload. The new server takes the old port
// back and serves the same path and token (derived from a key, window id and epoch); when the port is
// someone else's it listens elsewhere and the next epoch's token is new, so a token a stranger may
// have collected is refused. Real HTTP on loopback; the real-window half is test/vscode/revivedTerminals.test.ts.
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import * as net from 'node:net';
import { test } from 'node:test';
import { CredentialServer } from '../../../src/core/terminals/credentialServer';
import { deriveIdentity, newEndpointKey, newWindowId, parseRemembered, terminalsToTell } from '../../../src/core/terminals/endpointIdentity';
import type { RoleCredentialsSecret } from '../../../src/core/common/model';

const CREDS: RoleCredentialsSecret = {
  accountId: '111111111111',
  roleName: 'Admin',
  accessKeyId: 'ASIAEXAMPLEEXAMPLE00',
  secretAccessKey: 'secret',
  sessionToken: 'token',
  expiration: Date.now() + 3600_000,
};

function get(url: string, token: string): Promise<number> {
  return new Promise((resolve, reject) =>
    http
      .get(url, { agent: false, headers: { authorization: token } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject),
  );
}

test('after a "reload" the endpoint takes its port back and the URL and token a revived shell holds work again', async () => {
  const key = newEndpointKey();
  const windowId = newWindowId();
  const first = await CredentialServer.start();
  const url = first.bind('active role', async () => CREDS, deriveIdentity(key, windowId, 0)).url;
  const token = deriveIdentity(key, windowId, 0)!.token;
  assert.strictEqual(await get(url, token), 200);
  const port = first.port;
  first.dispose();
  const second = await CredentialServer.start({ preferredPort: port });
  try {
    assert.strictEqual(second.port, port, 'the old port taken back');
    const again = second.bind('active role', async () => CREDS, deriveIdentity(key, windowId, 0));
    assert.strictEqual(again.url, url, 'the same URL');
    assert.strictEqual(again.token, token, 'the same token');
    assert.strictEqual(await get(url, token), 200, 'the revived shell is served');
  } finally {
    second.dispose();
  }
});

test('the old port taken by someone else: the endpoint listens elsewhere and the next epoch refuses the old token', async () => {
  const key = newEndpointKey();
  const windowId = newWindowId();
  const first = await CredentialServer.start();
  const old = deriveIdentity(key, windowId, 0)!;
  first.bind('active role', async () => CREDS, old);
  const port = first.port;
  first.dispose();
  const stranger = net.createServer((s) => s.destroy());
  await new Promise<void>((r) => stranger.listen(port, '127.0.0.1', r));
  const second = await CredentialServer.start({ preferredPort: port });
  try {
    assert.notStrictEqual(second.port, port);
    const fresh = deriveIdentity(key, windowId, 1)!;
    assert.notStrictEqual(fresh.token, old.token);
    assert.notStrictEqual(fresh.path, old.path);
    const binding = second.bind('active role', async () => CREDS, fresh);
    assert.strictEqual(await get(binding.url, fresh.token), 200);
    // What a stranger collected from a revived shell is worth nothing on our new port.
    assert.notStrictEqual(await get(`http://127.0.0.1:${second.port}/${old.path}`, old.token), 200);
    assert.notStrictEqual(await get(binding.url, old.token), 200);
  } finally {
    second.dispose();
    stranger.close();
  }
});

test('no key, no identity (random bindings); another window or epoch never derives the same token', () => {
  assert.strictEqual(deriveIdentity(undefined, newWindowId(), 0), undefined);
  const key = newEndpointKey();
  const w = newWindowId();
  const tokens = new Set([deriveIdentity(key, w, 0)!.token, deriveIdentity(key, w, 1)!.token, deriveIdentity(key, newWindowId(), 0)!.token]);
  assert.strictEqual(tokens.size, 3);
  assert.strictEqual(deriveIdentity(newEndpointKey(), w, 0)!.token === deriveIdentity(key, w, 0)!.token, false);
});

test('the remembered record: anything not written by us is ignored; who is told when', () => {
  for (const junk of [
    undefined,
    null,
    'x',
    { port: 0, windowId: 'abcdefgh', epoch: 0 },
    { port: 70000, windowId: 'abcdefgh', epoch: 0 },
    { port: 1234, windowId: 'a b', epoch: 0 },
  ])
    assert.strictEqual(parseRemembered(junk), undefined, JSON.stringify(junk));
  const r = parseRemembered({
    port: 1234,
    windowId: 'abcdefgh',
    epoch: 2,
    terminals: [{ pid: 10, name: 'bash', kind: 'active' }, { pid: 'x' }, { pid: 11, name: 'AWS: A/B', kind: 'bound' }],
  })!;
  assert.deepStrictEqual(
    r.terminals.map((t) => t.pid),
    [10, 11],
  );
  const revived = new Set([10, 11]);
  assert.deepStrictEqual(
    terminalsToTell(r.terminals, revived, true).map((t) => t.pid),
    [11],
    'port kept: only the bound terminal lost its binding',
  );
  assert.deepStrictEqual(
    terminalsToTell(r.terminals, revived, false).map((t) => t.pid),
    [10, 11],
    'port lost: every revived terminal',
  );
  assert.deepStrictEqual(terminalsToTell(r.terminals, new Set([99]), false), [], 'closed terminals are not named');
});
