// Canary scan: after a run, no secret the emulator issued may be found in any file the editor,
// the extension or the browser wrote.
import * as fs from 'fs';
import * as path from 'path';

/** Every file below the given folders that contains one of `secrets` (binary-safe, bounded size). */
export function filesContaining(dirs: string[], secrets: string[]): string[] {
  const hits = new Set<string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && fs.statSync(p).size < 50_000_000) {
        const text = fs.readFileSync(p).toString('latin1');
        if (secrets.some((s) => text.includes(s))) hits.add(p);
      }
    }
  };
  for (const dir of dirs) if (fs.existsSync(dir)) walk(dir);
  return [...hits];
}

/** Secrets worth scanning for: long enough not to match by chance, minus `except`. */
export function scannableSecrets(issued: string[], except: string[] = []): string[] {
  return issued.filter((s) => s.length >= 16 && !except.includes(s));
}
