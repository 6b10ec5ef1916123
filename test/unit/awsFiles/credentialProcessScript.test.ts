// The credential_process script against a real CredentialServer binding: it prints the
// credential_process JSON through curl and (without curl) through bash's /dev/tcp, never puts the
// token on a command line, prints env mode's keys, and fails with one clear line everywhere else.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureTerminalProfile } from '../../../src/core/awsFiles/terminalProfile';
import { CredentialBinding, CredentialServer } from '../../../src/core/terminals/credentialServer';
import { runProcess } from '../../support/processes';
import { tempDirs } from '../../support/tempDirs';

const newDir = tempDirs('awsidc-cp-script-');
const CREDS = {
  accountId: '111122223333',
  roleName: 'Dev',
  accessKeyId: 'ASIASCRIPTTEST000001',
  secretAccessKey: 'script-secret-key/+=0123456789abcdefghijkl',
  sessionToken: 'script-session-token-' + 'x'.repeat(80),
};

describe('credential_process script', () => {
  let server: CredentialServer;
  let binding: CredentialBinding;
  let script: string;
  let dir: string;
  const endpoint = (b = binding): Record<string, string> => ({ AWS_CONTAINER_CREDENTIALS_FULL_URI: b.url, AWS_CONTAINER_AUTHORIZATION_TOKEN: b.token });
  /** A PATH of symlinks to just these tools (plus any fakes written into it). */
  const pathWith = (tools: string[]): string => {
    const bin = fs.mkdtempSync(path.join(dir, 'bin-'));
    for (const t of tools) fs.symlinkSync(`/usr/bin/${t}`, path.join(bin, t));
    return bin;
  };

  before(async () => {
    server = await CredentialServer.start();
    binding = server.bind('script test', async () => ({ ...CREDS, expiration: Date.now() + 3600_000 }));
    dir = newDir();
    script = (await ensureTerminalProfile({ configFile: path.join(dir, 'config'), scriptDir: path.join(dir, 'awsidc') })).scriptPath;
  });
  after(() => server.dispose());

  const check = (stdout: string): void => {
    const out = JSON.parse(stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(out).sort(), ['AccessKeyId', 'Expiration', 'SecretAccessKey', 'SessionToken', 'Version']);
    assert.equal(out.Version, 1);
    assert.equal(out.AccessKeyId, CREDS.accessKeyId);
    assert.equal(out.SecretAccessKey, CREDS.secretAccessKey);
    assert.equal(out.SessionToken, CREDS.sessionToken);
  };

  test("with curl: the JSON, and the token never in curl's argv", async () => {
    const bin = pathWith(['sed', 'cat']);
    // A curl that records its arguments, then runs the real one.
    const argvLog = path.join(dir, 'curl-argv');
    fs.writeFileSync(path.join(bin, 'curl'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${argvLog}'\nexec /usr/bin/curl "$@"\n`, { mode: 0o700 });
    const r = await runProcess(script, [], { PATH: bin, ...endpoint() });
    assert.equal(r.code, 0, r.stderr);
    check(r.stdout);
    const argv = fs.readFileSync(argvLog, 'utf8');
    assert.ok(argv.includes('format=process'), argv);
    assert.ok(!argv.includes(binding.token), 'the token was on the command line');
  });

  test('without curl: bash /dev/tcp gives the same JSON', async () => {
    const r = await runProcess(script, [], { PATH: pathWith(['bash', 'sed', 'cat']), ...endpoint() });
    assert.equal(r.code, 0, r.stderr);
    check(r.stdout);
  });

  test('neither curl nor bash: one line saying to install curl', async () => {
    const r = await runProcess('/bin/sh', [script], { PATH: pathWith(['sed']), ...endpoint() });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /^awsidc-terminal: neither curl nor bash .* Install curl\.\n$/);
  });

  test("env mode: the environment's keys as credential_process JSON, without an endpoint", async () => {
    const expiration = '2030-01-01T00:00:00.000Z';
    const r = await runProcess(script, [], {
      PATH: '/usr/bin:/bin',
      AWS_ACCESS_KEY_ID: CREDS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey,
      AWS_SESSION_TOKEN: CREDS.sessionToken,
      AWS_CREDENTIAL_EXPIRATION: expiration,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      Version: 1,
      AccessKeyId: CREDS.accessKeyId,
      SecretAccessKey: CREDS.secretAccessKey,
      SessionToken: CREDS.sessionToken,
      Expiration: expiration,
    });
    const hostile = await runProcess(script, [], { PATH: '/usr/bin:/bin', AWS_ACCESS_KEY_ID: 'A"}', AWS_SECRET_ACCESS_KEY: 's' });
    assert.notEqual(hostile.code, 0, 'a quote would have been written into the JSON');
    assert.equal(hostile.stdout, '');
  });

  const failures: [string, () => Record<string, string>, RegExp][] = [
    ['outside a VS Code terminal', () => ({}), /no AWS Identity Center Sessions credentials\. Open a new terminal in VS Code/],
    ['a wrong token', () => ({ ...endpoint(), AWS_CONTAINER_AUTHORIZATION_TOKEN: 'wrong' }), /link to VS Code has ended/],
    ['a URI elsewhere', () => ({ ...endpoint(), AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://evil.example/x' }), /not the extension's loopback endpoint/],
    ['a token with a line break', () => ({ ...endpoint(), AWS_CONTAINER_AUTHORIZATION_TOKEN: 'a\r\nX-Evil: 1' }), /not the extension's token/],
  ];
  for (const [name, env, message] of failures) {
    test(`${name}: exits non-zero with one line on stderr, nothing on stdout, no token`, async () => {
      const r = await runProcess(script, [], { PATH: '/usr/bin:/bin', ...env() });
      assert.notEqual(r.code, 0);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.ok(!r.stderr.includes(binding.token));
    });
  }

  test('a hostile server on a reused port: its message reaches stderr without control characters', async () => {
    const hostile = http.createServer((_req, res) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end('{"Code":"X","Message":"\x1b]0;owned\x07\x1b[31mred\rline"}');
    });
    await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r));
    try {
      const port = (hostile.address() as AddressInfo).port;
      const r = await runProcess(script, [], {
        PATH: '/usr/bin:/bin',
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${port}/abc`,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: 'tok',
      });
      assert.notEqual(r.code, 0);
      assert.equal(r.stdout, '');
      assert.doesNotMatch(r.stderr.trimEnd(), /[\x00-\x1f\x7f]/);
      assert.match(r.stderr, /owned.*red.*line \(HTTP 500\)/);
    } finally {
      hostile.close();
    }
  });

  test("signed out (the source throws): the endpoint's message, and a closed window: a clear line", async () => {
    const out = server.bind('signed out', async () => {
      throw Object.assign(new Error('x'), { name: 'IdcError' });
    });
    const r = await runProcess(script, [], { PATH: '/usr/bin:/bin', ...endpoint(out) });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /AWS credentials are not available right now.*\(HTTP 503\)/);
    out.dispose();
    const other = await CredentialServer.start();
    const gone = other.bind('gone', async () => ({ ...CREDS, expiration: Date.now() + 3600_000 }));
    other.dispose();
    const closed = await runProcess(script, [], { PATH: '/usr/bin:/bin', ...endpoint(gone) });
    assert.notEqual(closed.code, 0);
    assert.match(closed.stderr, /does not answer/);
  });
});
