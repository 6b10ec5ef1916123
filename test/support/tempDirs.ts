// Fresh numbered directories under one temp root per test file.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDirs(prefix: string): () => string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  let seq = 0;
  return () => {
    const d = join(root, String(++seq));
    mkdirSync(d);
    return d;
  };
}
