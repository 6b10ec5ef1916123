// The real AWS clients a terminal runs, as child processes that call STS GetCallerIdentity at the
// emulator (or, for Node's fetch, read the endpoint directly). Each is found on this machine or
// reported missing; the Go program is compiled once per source version into a cache folder.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI_V1, CLI_V2 } from './cliFixtures';
import { runProcess, type Run } from './processes';

/** Repository root (from out/test/support or test/support). */
const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}out${path.sep}`) ? '../../..' : '../..');
export const PEER_FIXTURES = path.join(ROOT, 'test', 'fixtures', 'peers');

export interface PeerClient {
  name: string;
  /** How its GetCallerIdentity call is told apart in the emulator's log; undefined: it makes none. */
  userAgent?: RegExp;
  /** The command line, or why this client is not on this machine. */
  command(): Promise<{ file: string; args: string[] } | { missing: string }>;
  /** Extra arguments to choose a profile on the command line (CLIs only). */
  profileArgs?: (name: string) => string[];
}

const exists = (file: string): boolean => fs.existsSync(file);
const which = (name: string): string | undefined =>
  (process.env.PATH ?? '/usr/bin:/bin')
    .split(path.delimiter)
    .map((d) => path.join(d, name))
    .find(exists);

export const PEER_CLIENTS: readonly PeerClient[] = [
  {
    name: 'AWS CLI v1',
    userAgent: /^aws-cli\/1\./,
    command: async () =>
      exists(CLI_V1)
        ? { file: CLI_V1, args: ['sts', 'get-caller-identity', '--output', 'text', '--query', 'Arn', '--endpoint-url', '$STS'] }
        : { missing: CLI_V1 },
    profileArgs: (name) => ['--profile', name],
  },
  {
    name: 'AWS CLI v2',
    userAgent: /^aws-cli\/2\./,
    command: async () =>
      exists(CLI_V2)
        ? { file: CLI_V2, args: ['sts', 'get-caller-identity', '--output', 'text', '--query', 'Arn', '--endpoint-url', '$STS'] }
        : { missing: CLI_V2 },
    profileArgs: (name) => ['--profile', name],
  },
  {
    name: 'JS SDK v3',
    userAgent: /aws-sdk-js\/3/,
    command: async () => {
      const sts = path.join(ROOT, 'node_modules', '@aws-sdk', 'client-sts');
      return exists(sts) ? { file: process.execPath, args: [path.join(PEER_FIXTURES, 'sts-js.mjs')] } : { missing: sts };
    },
  },
  {
    name: 'boto3',
    userAgent: /^Boto3\//,
    command: async () => {
      const ok = exists('/usr/bin/python3') && (await runProcess('/usr/bin/python3', ['-c', 'import boto3'])).code === 0;
      return ok ? { file: '/usr/bin/python3', args: [path.join(PEER_FIXTURES, 'sts_boto3.py')] } : { missing: 'boto3 for /usr/bin/python3' };
    },
  },
  { name: 'Go SDK v2', userAgent: /aws-sdk-go-v2/, command: goProgram },
  {
    name: 'Ruby SDK',
    userAgent: /aws-sdk-ruby3/,
    command: async () => {
      const ruby = which('ruby');
      const ok = ruby && (await runProcess(ruby, ['-e', 'require "aws-sdk-core"'])).code === 0;
      return ok ? { file: ruby, args: [path.join(PEER_FIXTURES, 'sts.rb')] } : { missing: 'ruby with aws-sdk-core' };
    },
  },
  { name: 'Node fetch', command: async () => ({ file: process.execPath, args: [path.join(PEER_FIXTURES, 'endpoint-fetch.mjs')] }) },
];

/**
 * One Go build cache for every test that builds a Go client, in the clone's .cache/ (the integration
 * layer and both VS Code runs, whose extension hosts have a TMPDIR of their own): the SDK compiles once.
 */
export const GO_BUILD_CACHE = path.join(ROOT, '.cache', 'go-build');

let goBuild: Promise<{ file: string; args: string[] } | { missing: string }> | undefined;

/** Builds test/fixtures/peers/go-sts with Debian's SDK (GOPATH mode, offline), once per source. */
function goProgram(): Promise<{ file: string; args: string[] } | { missing: string }> {
  goBuild ??= (async () => {
    const go = which('go');
    const gopath = '/usr/share/gocode';
    if (!go || !exists(path.join(gopath, 'src/github.com/aws/aws-sdk-go-v2/service/sts'))) return { missing: 'go and golang-github-aws-aws-sdk-go-v2-dev' };
    const source = path.join(PEER_FIXTURES, 'go-sts', 'main.go');
    const hash = createHash('sha256').update(fs.readFileSync(source)).digest('hex').slice(0, 16);
    const cache = path.join(os.tmpdir(), `awsidc-go-peer-${process.getuid?.() ?? 0}`);
    const binary = path.join(cache, `go-sts-${hash}`);
    if (exists(binary)) return { file: binary, args: [] };
    fs.mkdirSync(cache, { recursive: true, mode: 0o700 });
    const env = { PATH: process.env.PATH, HOME: os.homedir(), GOPATH: gopath, GO111MODULE: 'off', GOFLAGS: '', GOCACHE: GO_BUILD_CACHE };
    const r = await runProcess(go, ['build', '-o', `${binary}.tmp`, '.'], env, 300_000, path.dirname(source));
    if (r.code !== 0) throw new Error(`go build failed: ${r.stderr}`);
    fs.renameSync(`${binary}.tmp`, binary);
    return { file: binary, args: [] };
  })();
  return goBuild;
}

/** Runs a client; `$STS` in its arguments becomes the emulator's URL. */
export async function runClient(client: PeerClient, env: NodeJS.ProcessEnv, extraArgs: string[] = []): Promise<Run | { missing: string }> {
  const cmd = await client.command();
  if ('missing' in cmd) return cmd;
  const args = [...cmd.args.map((a) => (a === '$STS' ? String(env.AWSIDC_STS_ENDPOINT) : a)), ...extraArgs];
  return runProcess(cmd.file, args, env, 90_000);
}
