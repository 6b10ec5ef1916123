// Usage: node scripts/check-layers.mjs [src]
// Checks src/core layering: no 'vscode' import in core, core never imports src/vscode, folders import only
// folders at or below their layer, and no import cycle between modules (type-only imports included).
import * as fs from 'node:fs';
import * as path from 'node:path';
const root = path.resolve(process.argv[2] ?? 'src');
const order = ['common', 'aws', 'awsFiles', 'activity', 'signIn', 'accounts', 'credentials', 'terminals', 'debugging'];
const files = [];
const walk = (d) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (p.endsWith('.ts')) files.push(p);
  }
};
walk(root);
const graph = new Map();
const problems = [];
for (const f of files) {
  const text = fs.readFileSync(f, 'utf8');
  const deps = [];
  for (const m of text.matchAll(/(?:from\s+|import\(\s*)['"]([^'"]+)['"]/g)) {
    const spec = m[1];
    const inCore = f.includes(`${path.sep}core${path.sep}`);
    if (spec === 'vscode' && inCore) problems.push(`${path.relative(root, f)} imports vscode`);
    if (!spec.startsWith('.')) continue;
    const base = path.resolve(path.dirname(f), spec);
    // A folder import ('../platform') is its index.ts.
    const target = !fs.existsSync(base + '.ts') && fs.existsSync(path.join(base, 'index.ts')) ? path.join(base, 'index.ts') : base + '.ts';
    deps.push(target);
    if (inCore) {
      if (!target.includes(`${path.sep}core${path.sep}`)) problems.push(`${path.relative(root, f)} imports outside core: ${spec}`);
      const folder = (p) => path.relative(path.join(root, 'core'), p).split(path.sep)[0];
      const a = order.indexOf(folder(f)),
        b = order.indexOf(folder(target));
      if (a < 0 || b < 0) problems.push(`${path.relative(root, f)}: unknown folder`);
      else if (b > a) problems.push(`${path.relative(root, f)} (${folder(f)}) imports up into ${folder(target)}: ${spec}`);
    }
  }
  graph.set(f, deps);
}
// cycles
const state = new Map();
const stack = [];
const visit = (n) => {
  state.set(n, 1);
  stack.push(n);
  for (const d of graph.get(n) ?? []) {
    if (!graph.has(d)) continue;
    if (state.get(d) === 1) problems.push('cycle: ' + [...stack.slice(stack.indexOf(d)), d].map((p) => path.relative(root, p)).join(' → '));
    else if (!state.get(d)) visit(d);
  }
  stack.pop();
  state.set(n, 2);
};
for (const n of graph.keys()) if (!state.get(n)) visit(n);
console.log(problems.length ? problems.join('\n') : `layers ok: ${files.length} files, order ${order.join(' < ')}`);
process.exitCode = problems.length ? 1 : 0;
