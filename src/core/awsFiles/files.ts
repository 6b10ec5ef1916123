// The file-system helpers every writer of AWS and extension files shares: where home is, and how
// a file is replaced so that readers see the old or the new bytes, never half of either.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Home directory the way the JS SDK resolves it (botocore expands `~`, the same on POSIX). */
export function homeDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HOME) return env.HOME;
  if (env.USERPROFILE) return env.USERPROFILE;
  if (env.HOMEPATH) return `${env.HOMEDRIVE ?? 'C:'}${env.HOMEPATH}`;
  return os.homedir();
}

/** `~/x` (or `~\x`) under `home`; any other path as it is. */
export function expandHome(p: string, home: string): string {
  return p.startsWith('~/') || p.startsWith('~\\') ? path.join(home, p.slice(2)) : p;
}

/**
 * Writes a sibling temp file and renames it over `file`, so readers see the old or the new bytes.
 * With `beforeRename`, the rename only happens when it resolves true (a compare-and-swap for callers
 * that re-check the file); false is returned, and nothing is changed, when it does not.
 */
export async function writeAtomic(file: string, content: string | Uint8Array, mode: number, beforeRename?: () => Promise<boolean>): Promise<boolean> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await fs.open(temp, 'wx', mode);
    try {
      await handle.writeFile(content, typeof content === 'string' ? 'utf8' : undefined);
      await handle.chmod(mode); // the umask may have narrowed or (for a kept mode) changed it
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (beforeRename && !(await beforeRename())) {
      await fs.rm(temp, { force: true });
      return false;
    }
    await renameWithRetry(temp, file);
    return true;
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
}

/** The file's last `max` bytes as text, from the first whole line on when cut. */
export async function readTail(file: string, max: number): Promise<{ text: string; cut: boolean }> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, max);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, size - length);
    const text = buffer.toString('utf8', 0, bytesRead);
    return size > max ? { text: text.slice(text.indexOf('\n') + 1), cut: true } : { text, cut: false };
  } finally {
    await handle.close();
  }
}

// Windows refuses to replace a file another process has open for a moment; POSIX never does.
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fs.rename(from, to);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (attempt >= 10 || (code !== 'EPERM' && code !== 'EACCES' && code !== 'EBUSY')) throw e;
      await new Promise((r) => setTimeout(r, 20 * (attempt + 1)));
    }
  }
}
