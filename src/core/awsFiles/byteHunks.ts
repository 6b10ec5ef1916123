// An edit of a file kept as what is needed to take it back exactly: the result's hash, the original's
// hash, and for each changed stretch of the result the original bytes it replaced. Undoing checks the
// file still holds the result (else nothing is changed), and checks the restored bytes hash to the original.
import { createHash } from 'node:crypto';
import type { Piece } from './awsConfigWrite';
import type { Line } from './iniLines';

export interface Hunk {
  /** Where the changed stretch starts in the result, and how long it is (bytes). */
  at: number;
  length: number;
  /** The original bytes it replaced, base64 (header lines and sso_* lines: never a key, see assertNoKeys). */
  before: string;
}

export interface FileEdit {
  beforeSha256: string;
  afterSha256: string;
  hunks: Hunk[];
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** The result of `pieces` (original lines by index, or new text) over `bytes`, and the edit that takes it back. */
export function applyPieces(bytes: Buffer, lines: Line[], pieces: Piece[]): { after: Buffer; edit: FileEdit } {
  const out: Buffer[] = [];
  const hunks: Hunk[] = [];
  let size = 0;
  let next = 0; // the next original line expected
  let open: { at: number; length: number; before: Buffer[] } | undefined;
  const flush = (): void => {
    if (open) hunks.push({ at: open.at, length: open.length, before: Buffer.concat(open.before).toString('base64') });
    open = undefined;
  };
  const hunk = (): { at: number; length: number; before: Buffer[] } => (open ??= { at: size, length: 0, before: [] });
  const removed = (upTo: number): void => {
    for (; next < upTo; next++) hunk().before.push(bytes.subarray(lines[next].start, lines[next].end));
  };
  for (const p of pieces) {
    if (typeof p === 'number') {
      removed(p);
      flush();
      const b = bytes.subarray(lines[p].start, lines[p].end);
      out.push(b);
      size += b.length;
      next = p + 1;
    } else {
      const b = Buffer.from(p, 'utf8');
      hunk().length += b.length;
      out.push(b);
      size += b.length;
    }
  }
  removed(lines.length);
  flush();
  const after = Buffer.concat(out);
  return { after, edit: { beforeSha256: sha256(bytes), afterSha256: sha256(after), hunks } };
}

/** The original bytes, or undefined when `current` is not what the edit produced (changed since). */
export function undoEdit(current: Buffer, edit: FileEdit): Buffer | undefined {
  if (sha256(current) !== edit.afterSha256) return undefined;
  const parts: Buffer[] = [];
  let pos = 0;
  for (const h of edit.hunks) {
    parts.push(current.subarray(pos, h.at), Buffer.from(h.before, 'base64'));
    pos = h.at + h.length;
  }
  parts.push(current.subarray(pos));
  const restored = Buffer.concat(parts);
  return sha256(restored) === edit.beforeSha256 ? restored : undefined;
}

/** An undo record is kept in the editor's storage: it must never hold a key's secret. */
export function assertNoKeys(edit: FileEdit): void {
  for (const h of edit.hunks)
    if (/aws_secret_access_key|aws_session_token/i.test(Buffer.from(h.before, 'base64').toString('utf8')))
      throw new Error('internal: an undo record would hold a secret key; nothing was changed');
}
