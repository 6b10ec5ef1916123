// The rules that keep the bundle working in every supported extension host, and the peers that
// npm test installs (so a skipped interop test can never hide a missing install step).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
// semver: the parser npm itself uses for engines ranges (a dev dependency's dependency).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const semver: { satisfies(v: string, range: string): boolean; minVersion(range: string): { version: string } | null } = require('semver');

const ROOT = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  engines: { vscode: string };
  dependencies: Record<string, string>;
};
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; dev?: boolean; engines?: { node?: string } }>;
};
const versions = JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts', 'vscode-versions.json'), 'utf8')) as {
  versions: { vscode: string; nodeMajor: number }[];
};
/**
 * Node of the extension host of the oldest VS Code that engines.vscode admits. VS Code 1.100's
 * desktop host is Electron 34 (Node 20.19); code-server 4.100.3 runs it on the machine's Node 20.
 */
const OLDEST = versions.versions[0];
const OLDEST_HOST_NODE = `${OLDEST.nodeMajor}.19.0`;

test('engines.vscode starts at the oldest VS Code every test layer runs on', () => {
  assert.equal(semver.minVersion(pkg.engines.vscode)?.version.replace(/\.\d+$/, ''), OLDEST.vscode.replace(/\.\d+$/, ''));
});

test('the AWS SDK is pinned to exact versions (a caret would let npm take a release that needs a newer Node)', () => {
  for (const [name, range] of Object.entries(pkg.dependencies)) assert.match(range, /^\d+\.\d+\.\d+$/, `${name}: ${range}`);
});

test('every bundled package runs on the Node of the oldest supported extension host', () => {
  const bundled = Object.entries(lock.packages).filter(([p, v]) => p.startsWith('node_modules/') && !v.dev);
  assert.ok(bundled.length > 10, `only ${bundled.length} production packages in the lockfile`);
  const tooNew = bundled
    .filter(([, v]) => v.engines?.node && !semver.satisfies(OLDEST_HOST_NODE, v.engines.node))
    .map(([p, v]) => `${p.slice('node_modules/'.length)}@${v.version} needs node ${v.engines!.node}`);
  assert.deepEqual(tooNew, [], `raise engines.vscode (and the oldest test version) before taking these, or pin older releases`);
});

test(
  'npm test brought the AWS CLI v2 and openssl (the interop tests would skip without them)',
  { skip: process.env.AWSIDC_REQUIRE_PEERS !== '1' && 'only under npm test, which installs them' },
  () => {
    assert.match(execFileSync('/usr/bin/aws', ['--version'], { encoding: 'utf8' }), /^aws-cli\/2\./);
    assert.match(execFileSync('openssl', ['version'], { encoding: 'utf8' }), /^OpenSSL /);
  },
);

test(
  'npm test brought squid (the proxy tests would skip without it)',
  { skip: process.env.AWSIDC_REQUIRE_PEERS !== '1' && 'only under npm test, which installs it' },
  () => {
    assert.match(execFileSync('/usr/sbin/squid', ['-v'], { encoding: 'utf8' }), /Squid Cache: Version \d/);
  },
);
