// Retires a long-term key found in ~/.aws/credentials (or ~/.aws/config): its profile is renamed
// (`[default]` → `[retired-default-20261207]`, never deleted: the key stays in the file), and a profile of
// the same name using an Identity Center role with sso_session is written to ~/.aws/config, as
// "Save Role as AWS CLI Profile" does. Every other byte of both files is kept, and the returned record
// (no secret in it) takes both files back byte for byte.
import { promises as fs } from 'node:fs';
import * as l10n from '@vscode/l10n';
import { checkCliName, cliProfilePieces, type CliProfileOptions } from './awsConfigWrite';
import { saveConfigEdit, type SaveOptions } from './awsConfigSave';
import { applyPieces, assertNoKeys, undoEdit, type FileEdit } from './byteHunks';
import { sections, splitBufferLines } from './iniLines';
import type { LongTermKeyFinding } from './longTermKeys';

/** Larger than any AWS file a person keeps; a file this big is not edited. */
export const MAX_AWS_FILE_BYTES = 1024 * 1024;

export interface RetireRecord {
  profile: string;
  retiredAs: string;
  /** When it was done (ms since the epoch). */
  at: number;
  /** In the order they were written; undone in reverse. */
  files: { path: string; existed: boolean; edits: FileEdit[] }[];
}

export type RetireTarget = Omit<CliProfileOptions, 'profileName'>;

/** `retired-<profile>-<yyyymmdd>`, with `-2`, `-3`… when a section of that name exists already. */
export function retiredName(profile: string, taken: ReadonlySet<string>, date: Date): string {
  const day = date.toISOString().slice(0, 10).replace(/-/g, '');
  const base = `retired-${profile}-${day}`;
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    if (!taken.has(name)) return name;
  }
}

/** The pure edit: the profile's header renamed in `bytes` (a credentials or config file). */
export function renameProfile(
  bytes: Buffer,
  where: 'credentials' | 'config',
  profile: string,
  date: Date,
  file: string,
): { after: Buffer; edit: FileEdit; retiredAs: string } {
  const lines = splitBufferLines(bytes);
  const all = sections(lines);
  const matches = all.filter((s) => (where === 'credentials' ? s.name === profile && s.kind !== 'sso-session' : s.kind === 'profile' && s.name === profile));
  if (matches.length !== 1) {
    throw new Error(
      matches.length
        ? l10n.t({
            message: 'The profile {0} appears more than once in {1}: merge it by hand first. Nothing was changed.',
            args: [profile, file],
            comment: ['{0}: a profile name; {1}: a file path'],
          })
        : l10n.t({
            message: 'The profile {0} is no longer in {1}. Nothing was changed.',
            args: [profile, file],
            comment: ['{0}: a profile name; {1}: a file path'],
          }),
    );
  }
  const retiredAs = retiredName(profile, new Set(all.map((s) => s.name)), date);
  const bad = checkCliName('profile', retiredAs);
  if (bad) throw new Error(bad);
  const at = matches[0].start;
  const text = lines[at].text;
  // Keep what follows the header's "]" (a comment) and what precedes its "[" (indentation, a BOM).
  const open = text.indexOf('[');
  const close = text.lastIndexOf(']');
  const header = where === 'credentials' ? `[${retiredAs}]` : `[profile ${retiredAs}]`;
  const pieces = lines.map((_, i) => (i === at ? `${text.slice(0, open)}${header}${text.slice(close + 1)}${lines[i].eol}` : i));
  return { ...applyPieces(bytes, lines, pieces), retiredAs };
}

/** Refuses (throws, changing nothing) a file that is a symlink, not a regular file, someone else's, or huge. */
export async function checkEditable(file: string): Promise<boolean> {
  let st;
  try {
    st = await fs.lstat(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  const refuse = (why: string): never => {
    throw new Error(why);
  };
  if (st.isSymbolicLink())
    refuse(
      l10n.t({ message: '{0} is a symbolic link: edit the file it points to by hand. Nothing was changed.', args: [file], comment: ['{0}: a file path'] }),
    );
  if (!st.isFile()) refuse(l10n.t({ message: '{0} is not a regular file. Nothing was changed.', args: [file], comment: ['{0}: a file path'] }));
  if (typeof process.getuid === 'function' && st.uid !== process.getuid())
    refuse(l10n.t({ message: '{0} belongs to another user. Nothing was changed.', args: [file], comment: ['{0}: a file path'] }));
  if (st.size > MAX_AWS_FILE_BYTES)
    refuse(l10n.t({ message: '{0} is larger than 1 MB, so it is not edited. Nothing was changed.', args: [file], comment: ['{0}: a file path'] }));
  return true;
}

const readOrEmpty = async (file: string): Promise<Buffer> =>
  fs.readFile(file).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? Buffer.alloc(0) : Promise.reject(e)));

/**
 * Renames the key's profile and writes the role's profile under its name to `configPath`. Both edits
 * are tried on the current bytes first, so a refusal (a clashing profile, a read-only file) changes nothing.
 */
export async function retireLongTermKey(
  finding: LongTermKeyFinding,
  configPath: string,
  target: RetireTarget,
  options: SaveOptions & { date?: Date } = {},
): Promise<RetireRecord> {
  if (finding.where === 'environment' || !finding.file || !finding.profile) throw new Error('internal: only a key in a file can be retired');
  const date = options.date ?? new Date();
  const profile = finding.profile;
  const keyFile = finding.file;
  const sameFile = finding.where === 'config';
  await checkEditable(keyFile);
  const configExisted = await checkEditable(configPath);
  const upsert = (bytes: Buffer) => {
    const { lines, pieces } = cliProfilePieces(bytes, { ...target, profileName: profile }, configPath);
    return applyPieces(bytes, lines, pieces);
  };
  // Everything tried first on what the files hold now.
  const where = finding.where;
  const dryRename = renameProfile(await readOrEmpty(keyFile), where, profile, date, keyFile);
  upsert(sameFile ? dryRename.after : await readOrEmpty(configPath));

  const record: RetireRecord = { profile, retiredAs: dryRename.retiredAs, at: date.getTime(), files: [] };
  let keyEdits: FileEdit[] = [];
  await saveConfigEdit(
    keyFile,
    (bytes) => {
      const renamed = renameProfile(bytes, finding.where as 'credentials' | 'config', profile, date, keyFile);
      record.retiredAs = renamed.retiredAs;
      keyEdits = [renamed.edit];
      if (!sameFile) return renamed.after;
      const written = upsert(renamed.after);
      keyEdits.push(written.edit);
      return written.after;
    },
    options,
  );
  keyEdits.forEach(assertNoKeys);
  record.files.push({ path: keyFile, existed: true, edits: keyEdits });
  if (sameFile) return record;
  try {
    let configEdits: FileEdit[] = [];
    await saveConfigEdit(
      configPath,
      (bytes) => {
        const written = upsert(bytes);
        configEdits = [written.edit];
        return written.after;
      },
      options,
    );
    configEdits.forEach(assertNoKeys);
    record.files.push({ path: configPath, existed: configExisted, edits: configEdits });
  } catch (e) {
    await undoRetire(record, options).catch(() => undefined); // the rename alone would leave the profile gone
    throw e;
  }
  return record;
}

/** Takes both files back to the bytes they held before; refuses (changing nothing) if either changed since. */
export async function undoRetire(record: RetireRecord, options: SaveOptions = {}): Promise<void> {
  const restore = (bytes: Buffer, file: RetireRecord['files'][number]): Buffer => {
    let b = bytes;
    for (const edit of [...file.edits].reverse()) {
      const back = undoEdit(b, edit);
      if (!back)
        throw new Error(
          l10n.t({
            message: '{0} changed after the key was moved aside, so it was not put back. Rename [{1}] back to [{2}] by hand if you need it.',
            args: [file.path, record.retiredAs, record.profile],
            comment: ['{0}: a file path; {1} and {2}: profile names (keep the brackets)'],
          }),
        );
      b = back;
    }
    return b;
  };
  // Both checked before either is written.
  for (const f of record.files) {
    await checkEditable(f.path);
    restore(await readOrEmpty(f.path), f);
  }
  for (const f of [...record.files].reverse()) {
    await saveConfigEdit(f.path, (bytes) => restore(bytes, f), options);
    if (!f.existed && (await readOrEmpty(f.path)).length === 0) await fs.rm(f.path, { force: true });
  }
}
