// Test entry for a real VS Code extension host (extensionTestsPath). Same contract for the
// code-server harness (test/harness/runVscodeTests.ts) and @vscode/test-electron: run() resolves
// when every test passed. With AWSIDC_TEST_RESULTS set, a JSON summary is written there too.
import * as fs from 'fs';
import * as path from 'path';
import type MochaType from 'mocha';

// mocha 12's main entry is ESM; lib/mocha.cjs is its CommonJS build, which every extension host
// (incl. Electron's Node without require(esm)) can load.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Mocha: typeof MochaType = require('mocha/lib/mocha.cjs');

function testFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? testFiles(p) : e.name.endsWith('.test.js') ? [p] : [];
    })
    .sort();
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false, reporter: 'spec', grep: process.env.MOCHA_GREP || undefined });
  for (const f of testFiles(__dirname)) mocha.addFile(f);
  const results: { title: string; state: string; duration?: number; error?: string }[] = [];

  return new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const file = process.env.AWSIDC_TEST_RESULTS;
        if (file) {
          const count = (s: string) => results.filter((r) => r.state === s).length;
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, JSON.stringify({ passes: count('passed'), failures, pending: count('pending'), tests: results }, null, 2));
        }
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else resolve();
      });
      runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', duration: t.duration }));
      runner.on('fail', (t, err) => results.push({ title: t.fullTitle(), state: 'failed', error: String(err?.stack ?? err) }));
      runner.on('pending', (t) => results.push({ title: t.fullTitle(), state: 'pending' }));
    } catch (e) {
      reject(e); // e.g. a test file that throws while loading
    }
  });
}
