// A lock file next to a file we edit (`<file>.lock`, created with O_EXCL), so two windows or two
// extension hosts never edit it at the same time. A lock left by a crashed process is taken over:
// one whose process is gone (same host), or one older than `staleMs`.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';

export interface FileLockOptions {
  /** Give up after this long (ms). */
  timeoutMs?: number;
  /** A lock older than this is stale whoever holds it (ms); our own hold it for milliseconds. */
  staleMs?: number;
}

interface Holder {
  pid: number;
  host: string;
  id: string;
}

/** Runs `fn` holding `lockPath`; the lock is released (only if still ours) however `fn` ends. */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const id = await acquire(lockPath, options.timeoutMs ?? 10_000, options.staleMs ?? 10_000);
  try {
    return await fn();
  } finally {
    await release(lockPath, id);
  }
}

async function acquire(lockPath: string, timeoutMs: number, staleMs: number): Promise<string> {
  const me: Holder = { pid: process.pid, host: os.hostname(), id: randomBytes(8).toString('hex') };
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await fs.open(lockPath, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify(me));
      } finally {
        await handle.close();
      }
      return me.id;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (await breakIfStale(lockPath, staleMs)) continue;
    if (Date.now() > deadline) {
      throw Object.assign(new Error(`${lockPath} is held by another program that is saving the same file. Try again in a moment.`), { code: 'ELOCKED' });
    }
    // Short, jittered waits: holders keep the lock for a few milliseconds.
    await new Promise((r) => setTimeout(r, Math.min(5 + attempt * 2, 50) * (0.5 + Math.random())));
  }
}

/** Removes a stale lock; true when it did (or the lock is already gone). */
async function breakIfStale(lockPath: string, staleMs: number): Promise<boolean> {
  let seen: { ino: number; holder?: Holder };
  try {
    const stat = await fs.stat(lockPath);
    const holder = parseHolder(await fs.readFile(lockPath, 'utf8'));
    // An empty file is a holder between its open and its write: judged by age only.
    const dead = holder && holder.host === os.hostname() && !alive(holder.pid);
    if (!dead && Date.now() - stat.mtimeMs < staleMs) return false;
    seen = { ino: stat.ino, holder };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  }
  // Move it aside first, then check it is the lock we judged: another process may have broken it
  // and taken a fresh one in between. A fresh one moved by mistake is put back.
  const aside = `${lockPath}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await fs.rename(lockPath, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  }
  try {
    if ((await fs.stat(aside)).ino !== seen.ino) await fs.link(aside, lockPath).catch(() => undefined);
  } finally {
    await fs.rm(aside, { force: true });
  }
  return true;
}

async function release(lockPath: string, id: string): Promise<void> {
  try {
    if (parseHolder(await fs.readFile(lockPath, 'utf8'))?.id === id) await fs.rm(lockPath, { force: true });
  } catch {
    // already gone (taken over as stale): nothing to release
  }
}

function parseHolder(text: string): Holder | undefined {
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    return typeof h?.pid === 'number' && typeof h.host === 'string' && typeof h.id === 'string' ? (h as Holder) : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
