// `npm run compile`: tsc → out/, then removes every out/**/*.js whose .ts is gone. tsc never deletes
// outputs, so a test file that was moved or renamed would otherwise still run from its old place
// (node --test out/test/unit/ would run a file that now lives in test/integration/ twice).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'out');
const tsc = path.join(ROOT, 'node_modules', '.bin', 'tsc');

const r = spawnSync(tsc, ['-p', ROOT, ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

const stale = [];
for (const rel of fs.existsSync(OUT) ? fs.readdirSync(OUT, { recursive: true }) : []) {
  if (!rel.endsWith('.js')) continue;
  if (fs.existsSync(path.join(ROOT, rel.replace(/\.js$/, '.ts')))) continue;
  for (const f of [rel, `${rel}.map`]) fs.rmSync(path.join(OUT, f), { force: true });
  stale.push(rel);
}
if (stale.length)
  console.error(`compile: removed ${stale.length} stale output(s) whose source is gone: ${stale.slice(0, 5).join(', ')}${stale.length > 5 ? ', …' : ''}`);
