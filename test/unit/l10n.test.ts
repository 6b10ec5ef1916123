// Localisation stays complete: every %key% in package.json has its English text in
// package.nls.json, no text there is orphaned, and l10n/bundle.l10n.json is what
// `npm run l10n:export` would write from today's sources.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import * as l10n from '@vscode/l10n';
import { formatRelative, formatTimeLeft } from '../../src/core/common/format';
import { checkRegion } from '../../src/core/common/validate';

const ROOT = path.resolve(__dirname, '../../..');
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));

/** A whole string that is a placeholder, as VS Code and vsce recognise it. */
const PLACEHOLDER = /^%([\w.-]+)%$/;

function placeholders(value: unknown, at: string, found: Map<string, string[]>): void {
  if (typeof value === 'string') {
    const key = PLACEHOLDER.exec(value)?.[1];
    if (key) found.set(key, [...(found.get(key) ?? []), at]);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => placeholders(v, `${at}[${i}]`, found));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) placeholders(v, at ? `${at}.${k}` : k, found);
  }
}

const used = new Map<string, string[]>();
placeholders(readJson('package.json'), '', used);
const nls = readJson('package.nls.json') as Record<string, unknown>;

test('package.json contributes its user-visible text through package.nls.json', () => {
  assert.ok(used.size > 40, `only ${used.size} %key% placeholders in package.json`);
  const missing = [...used].filter(([key]) => !(key in nls)).map(([key, at]) => `%${key}% (${at.join(', ')})`);
  assert.deepEqual(missing, [], 'placeholders with no entry in package.nls.json');
});

test('package.nls.json has no key that package.json does not use', () => {
  assert.deepEqual(
    Object.keys(nls).filter((key) => !used.has(key)),
    [],
  );
});

test('package.nls.json values are plain strings (vsce copies them verbatim into the VSIX manifest)', () => {
  const notText = Object.entries(nls)
    .filter(([, v]) => typeof v !== 'string' || v === '')
    .map(([k]) => k);
  assert.deepEqual(notText, []);
});

// The committed bundle is compared with a fresh run of the real exporter rather than with a scan
// of `l10n.t(` calls: the exporter parses the sources, so it sees calls split over lines, the
// { message, args, comment } form and escaped quotes, and it derives the bundle keys the same way
// vscode.l10n.t looks them up at run time (a message with a comment is keyed "message/comment").
test('l10n/bundle.l10n.json is what `npm run l10n:export` produces from the sources now', () => {
  const cliPackage = require.resolve('@vscode/l10n-dev/package.json', { paths: [ROOT] });
  const bin = (JSON.parse(fs.readFileSync(cliPackage, 'utf8')) as { bin: Record<string, string> }).bin['vscode-l10n-dev'];
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'awsidc-l10n-'));
  try {
    execFileSync(process.execPath, [path.join(path.dirname(cliPackage), bin), 'export', '--outDir', outDir, './src'], {
      cwd: ROOT,
      stdio: 'pipe',
      timeout: 120_000,
    });
    const fresh = JSON.parse(fs.readFileSync(path.join(outDir, 'bundle.l10n.json'), 'utf8')) as Record<string, unknown>;
    const committed = readJson('l10n/bundle.l10n.json') as Record<string, unknown>;
    assert.ok(Object.keys(fresh).length > 40, `the exporter found only ${Object.keys(fresh).length} messages`);
    // Key order follows the exporter's file walk, so compare entries, not bytes.
    assert.deepEqual(committed, fresh, 'l10n/bundle.l10n.json is stale: run `npm run l10n:export` and commit the result');
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
});

// Core has no 'vscode' import: it words its messages with @vscode/l10n, and activate() hands that
// library the editor's bundle (vscode.l10n.bundle). Here a bundle stands in for a translation.
test('a translated bundle reaches core messages through @vscode/l10n', () => {
  const translated = {
    'in {0} minutes': 'TRANSLATED {0}',
    'Enter the IAM Identity Center region, e.g. us-east-1': 'TRANSLATED',
    // A message with a translator comment is keyed "message/comment", in the bundle and at run time.
    '{0}s/Compact time left in the status bar: {0} seconds': 'TRANSLATED {0}',
  };
  const bundle = readJson('l10n/bundle.l10n.json') as Record<string, unknown>;
  assert.deepEqual(
    Object.keys(translated).filter((key) => !(key in bundle)),
    [],
    'keys the exporter did not write',
  );
  try {
    l10n.config({ contents: translated });
    assert.equal(formatRelative(9 * 60_000), 'TRANSLATED 9');
    assert.equal(checkRegion('').error, 'TRANSLATED');
    assert.equal(formatTimeLeft(42_000), 'TRANSLATED 42');
  } finally {
    l10n.config({ contents: {} });
  }
  assert.equal(formatRelative(9 * 60_000), 'in 9 minutes');
  assert.equal(formatTimeLeft(42_000), '42s');
});
