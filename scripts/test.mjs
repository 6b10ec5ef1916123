// The node:test layers and the one-file inner loop, on the compiled tests in out/.
//   node scripts/test.mjs unit                 test/unit/: fast, in-process (emulator over HTTP), files side by side
//   node scripts/test.mjs integration          test/integration/: real CLIs and SDK peers, squid, the soak
//   node scripts/test.mjs file [--check] <path>… [-- <node --test options>]
//        runs only the given test files or folders, e.g.
//        npm run test:file -- test/unit/common/format.test.ts -- --test-name-pattern='seconds'
//        First every .ts newer than its out/ .js is transpiled by esbuild (milliseconds; types are not
//        checked: the editor, `npm run watch:tests` or `npm run compile` do that). --check: tsc instead.
// Env: TEST_CONCURRENCY (files at once). Default for unit: one more than the cores, because its files
// mostly wait on real timers and sockets (about half of 2 cores busy at 2 files at once: 103 s; 3 files: 73 s).
// For integration: 1, because its peers run with real timeouts and two CLI-heavy files starve each other.
// TEST_REPORTER (default spec on a terminal, dot otherwise). `unit` and `integration` do not compile:
// `npm run test:unit` and `npm run test:integration` do first.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [mode, ...rest] = process.argv.slice(2);
const cores = os.availableParallelism();
const concurrency = Number(process.env.TEST_CONCURRENCY) || (mode === 'integration' ? 1 : cores + 1);
const reporter = process.env.TEST_REPORTER || (process.stdout.isTTY ? 'spec' : 'dot');

/** out/ path of a test source (test/unit/x.test.ts → out/test/unit/x.test.js); folders map to folders. */
function compiled(source) {
  const rel = path.relative(ROOT, path.resolve(source));
  if (rel.startsWith('..')) throw new Error(`${source} is outside the repository`);
  if (rel.startsWith(`out${path.sep}`)) return rel;
  return path.join('out', rel.replace(/\.ts$/, '.js'));
}

function nodeTest(targets, extra = [], n = concurrency) {
  const args = ['--test', `--test-concurrency=${n}`, `--test-reporter=${reporter}`, ...extra, ...targets];
  return spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' }).status ?? 1;
}

/** The project's .ts files (tsconfig's include) whose out/ .js is missing or older. */
function changedSources() {
  const changed = [];
  for (const top of ['src', 'test', 'bench', 'scripts']) {
    for (const rel of fs.readdirSync(path.join(ROOT, top), { recursive: true })) {
      if (!rel.endsWith('.ts') || rel.endsWith('.d.ts')) continue;
      const source = path.join(top, rel);
      const out = path.join(ROOT, 'out', source.replace(/\.ts$/, '.js'));
      if (!fs.existsSync(out) || fs.statSync(out).mtimeMs < fs.statSync(path.join(ROOT, source)).mtimeMs) changed.push(source);
    }
  }
  return changed;
}

/** Transpiles the changed sources one to one into out/, as tsc would place them (CommonJS, source maps). */
async function transpileChanged() {
  const entryPoints = changedSources();
  if (!entryPoints.length) return;
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints,
    absWorkingDir: ROOT,
    outdir: 'out',
    outbase: '.',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // Like tsc's CommonJS output: import() becomes require() (an extensionless ESM import would fail).
    supported: { 'dynamic-import': false },
    sourcemap: true,
    logLevel: 'warning',
  });
  console.error(`[test:file] transpiled ${entryPoints.length} changed file(s): ${entryPoints.slice(0, 3).join(', ')}${entryPoints.length > 3 ? ', …' : ''}`);
}

async function main() {
  switch (mode) {
    case 'unit':
    case 'integration':
      return nodeTest([path.join('out', 'test', mode) + path.sep], rest);
    case 'file': {
      const split = rest.indexOf('--');
      const sources = split < 0 ? rest : rest.slice(0, split);
      const extra = split < 0 ? [] : rest.slice(split + 1);
      if (!sources.length) {
        console.error('usage: npm run test:file -- <test file or folder>… [-- <node --test options>]');
        return 2;
      }
      const t0 = Date.now();
      const check = sources[0] === '--check' && sources.shift();
      if (check) {
        const tsc = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'compile.mjs')], { cwd: ROOT, stdio: 'inherit' });
        if (tsc.status !== 0) return tsc.status ?? 1;
      } else await transpileChanged();
      console.error(`[test:file] ${check ? 'compiled (tsc)' : 'transpiled (esbuild, types not checked)'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      const targets = sources.map(compiled);
      for (const t of targets) if (!fs.existsSync(path.join(ROOT, t))) throw new Error(`${t} not found after compiling: is the path right?`);
      const code = nodeTest(targets, extra);
      console.error(`[test:file] done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return code;
    }
    default:
      console.error('usage: node scripts/test.mjs unit|integration|file <path>…');
      return 2;
  }
}

process.exitCode = await main();
