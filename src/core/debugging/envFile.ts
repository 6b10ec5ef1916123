// A launch configuration's `envFile` is read only to see which AWS_ variables it sets (launchEnv.ts
// parses the text). The path comes from a repository: /dev/zero would fill the extension host's
// memory, a FIFO would block it (and with it the credential endpoint) forever, a huge file would
// stall it. So: a regular file only (checked on the opened descriptor, not the path), opened
// non-blocking, at most MAX_ENV_FILE_BYTES, asynchronous, and given up after a timeout.
import { constants, promises as fs } from 'node:fs';

export const MAX_ENV_FILE_BYTES = 1 << 20;
export const ENV_FILE_TIMEOUT_MS = 2_000;

export type EnvFileResult = { text: string } | { text: ''; problem: 'notRegularFile' | 'tooLarge' | 'timedOut' | 'unreadable' };

export async function readEnvFileSafely(file: unknown, o: { maxBytes?: number; timeoutMs?: number } = {}): Promise<EnvFileResult> {
  if (typeof file !== 'string' || !file) return { text: '' };
  const maxBytes = o.maxBytes ?? MAX_ENV_FILE_BYTES;
  let timer: NodeJS.Timeout | undefined;
  let handle: fs.FileHandle | undefined;
  let timedOut = false;
  const work = (async (): Promise<EnvFileResult> => {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
    handle = await fs.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    if (timedOut) return { text: '', problem: 'timedOut' };
    const stat = await handle.stat();
    if (!stat.isFile()) return { text: '', problem: 'notRegularFile' };
    if (stat.size > maxBytes) return { text: '', problem: 'tooLarge' };
    // Files that report size 0 (/proc) still get a buffer to read into.
    const buffer = Buffer.alloc(Math.min(maxBytes + 1, Math.max(stat.size + 1, 64 * 1024)));
    let read = 0;
    // The size may have changed since stat: read until end of file, never past the cap.
    while (read < buffer.length) {
      const { bytesRead } = await handle.read(buffer, read, buffer.length - read, read);
      if (!bytesRead || timedOut) break;
      read += bytesRead;
    }
    if (read > maxBytes) return { text: '', problem: 'tooLarge' };
    return { text: buffer.subarray(0, read).toString('utf8') };
  })();
  const timeout = new Promise<EnvFileResult>((resolve) => {
    timer = setTimeout(() => {
      timedOut = true;
      resolve({ text: '', problem: 'timedOut' });
    }, o.timeoutMs ?? ENV_FILE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work.catch((): EnvFileResult => ({ text: '', problem: 'unreadable' })), timeout]);
  } finally {
    clearTimeout(timer);
    // Closed once the read settles, whichever won (a late open is closed too).
    void work.finally(() => handle?.close().catch(() => undefined)).catch(() => undefined);
  }
}
