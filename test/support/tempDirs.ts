// Fresh numbered directories under one temp root per test file, removed when the test process exits.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDirs(prefix: string): () => string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  // node --test runs each file in its own process: its exit is the end of the file's tests.
  process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  let seq = 0;
  return () => {
    const d = join(root, String(++seq));
    mkdirSync(d);
    return d;
  };
}
