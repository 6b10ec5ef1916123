// Saves a profile to ~/.aws/config when other writers may be at it too: our other windows (they
// take the same lock file) and the AWS CLI (`aws configure`, which takes no lock and rewrites the
// file in place). Under the lock the file is read as bytes, edited, and atomically replaced only if
// it still holds what was read; afterwards it is looked at once more, and the edit is merged again
// into whatever a writer that raced us left. A read-only file is never replaced.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { awsConfigPath } from './awsConfigRead';
import { upsertCliProfileBytes, type CliProfileOptions } from './awsConfigWrite';
import { withFileLock, type FileLockOptions } from './fileLock';
import { writeAtomic } from './files';
import * as l10n from '@vscode/l10n';

export interface SaveOptions {
  lock?: FileLockOptions;
  /**
   * How long to wait after the replace before looking again (ms): a writer that read the file just
   * before may still write what it read. Default 25.
   */
  settleMs?: number;
}

const ATTEMPTS = 8;

interface Snapshot {
  exists: boolean;
  bytes: Buffer;
  mode: number;
  /** Open on what was read, so a write into it after our replace can still be seen. */
  handle?: fs.FileHandle;
}

/**
 * Reads `configPath` (missing = empty), adds the profile and writes it back atomically, keeping the
 * file's mode. A symlinked config is written through to its target.
 */
export async function saveCliProfile(
  configPath: string | undefined,
  opts: CliProfileOptions,
  options: SaveOptions = {},
): Promise<{ path: string; changed: boolean }> {
  const file = configPath ?? awsConfigPath();
  upsertCliProfileBytes(Buffer.alloc(0), opts, file); // refuses bad options before anything is touched
  return saveConfigEdit(file, (bytes) => upsertCliProfileBytes(bytes, opts, file), options);
}

/**
 * Applies `edit` (bytes in, bytes out; the same bytes for "nothing to do"; throws to refuse) to
 * `file` under its lock, with the compare-and-swap and re-merge described above.
 */
export async function saveConfigEdit(file: string, edit: (bytes: Buffer) => Buffer, options: SaveOptions = {}): Promise<{ path: string; changed: boolean }> {
  let target = file;
  try {
    target = await fs.realpath(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  let changed = false;
  await withFileLock(
    `${target}.lock`,
    async () => {
      let base = await snapshot(target);
      let expected = base.bytes; // what the path holds, as far as we know
      try {
        for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
          const next = edit(base.bytes);
          if (next.equals(base.bytes)) return;
          if (base.exists && (await readOnly(target, base.mode)))
            throw new Error(
              l10n.t({ message: '{0} is read-only, so the profile was not saved. Nothing was changed.', args: [file], comment: ['{0} is a file path'] }),
            );
          const holds = expected;
          const replaced = await writeAtomic(target, next, base.exists ? base.mode : 0o600, async () => (await readBytes(target)).equals(holds));
          if (!replaced) {
            // Changed since we read it (the AWS CLI takes no lock): merge into what is there now.
            await base.handle?.close();
            base = await snapshot(target);
            expected = base.bytes;
            continue;
          }
          changed = true;
          await new Promise((r) => setTimeout(r, options.settleMs ?? 25));
          const now = await readBytes(target);
          const late = base.handle ? await readAll(base.handle) : undefined;
          await base.handle?.close();
          if (!now.equals(next)) {
            // Someone rewrote the file after our replace, possibly with what they read before it.
            base = await snapshot(target);
            expected = base.bytes;
          } else if (late && !late.equals(base.bytes)) {
            // Someone wrote into the copy we read after reading it (or after our replace): their
            // change is only there now. Merge our edit into it.
            base = { ...base, bytes: late, handle: undefined };
            expected = next;
          } else {
            return;
          }
        }
        throw new Error(l10n.t({ message: '{0} kept changing while the profile was being saved. Try again.', args: [file], comment: ['{0} is a file path'] }));
      } finally {
        await base.handle?.close().catch(() => undefined);
      }
    },
    options.lock,
  ).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS')
      throw new Error(
        l10n.t({
          message: '{0} could not be saved ({1}): check the permissions of the file and its folder. Nothing was changed.',
          args: [file, String(e.code)],
          comment: ['{0} is a file path, {1} an error code such as EACCES'],
        }),
      );
    throw e;
  });
  return { path: file, changed };
}

async function snapshot(file: string): Promise<Snapshot> {
  let handle: fs.FileHandle;
  try {
    // Non-blocking: opening a FIFO would otherwise wait for a writer forever.
    handle = await fs.open(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, bytes: Buffer.alloc(0), mode: 0o600 };
    throw e;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile())
      throw new Error(
        l10n.t({ message: '{0} is not a regular file, so the profile was not saved. Nothing was changed.', args: [file], comment: ['{0} is a file path'] }),
      );
    const mode = stat.mode & 0o7777;
    return { exists: true, bytes: await readAll(handle), mode, handle };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

async function readAll(handle: fs.FileHandle): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let position = 0; ;) {
    const chunk = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
    if (bytesRead === 0) return Buffer.concat(chunks);
    chunks.push(chunk.subarray(0, bytesRead));
    position += bytesRead;
  }
}

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw e;
  }
}

/** No write bit at all (root may write anyway, but the user meant it), or not writable by us. */
async function readOnly(file: string, mode: number): Promise<boolean> {
  if ((mode & 0o222) === 0) return true;
  try {
    await fs.access(file, fs.constants.W_OK);
    return false;
  } catch {
    return true;
  }
}
