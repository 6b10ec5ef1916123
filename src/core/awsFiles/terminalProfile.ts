// The AWS config profile our terminals select (AWS_PROFILE=awsidc-terminal). Every AWS CLI and SDK
// reads the selected profile ([default] otherwise) before the container-credentials provider, so
// a [default] long-term key or credential_process would sign instead of the role the status bar
// shows. Selecting a profile of our own whose credential_process asks our loopback endpoint wins
// over both, and reaches SDKs that read no AWS_CONTAINER_CREDENTIALS_FULL_URI (Ruby's 3.168).
// The section holds no secret; after Sign Out or an uninstall it only fails with a message.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import type { Logger } from '../common/log';
import { saveConfigEdit, type SaveOptions } from './awsConfigSave';
import { SCRIPT_MARKER, SCRIPT_VERSION, credentialProcessScript, scriptVersion } from './credentialProcessScript';
import { homeDir, writeAtomic } from './files';
import { isContent, keyOf, sections, splitBufferLines, type Line } from './iniLines';

export const TERMINAL_PROFILE = 'awsidc-terminal';
export const SCRIPT_NAME = 'credential-process';
/** A config file larger than this is not ours to rewrite (a real one is a few KiB). */
export const MAX_CONFIG_BYTES = 1 << 20;

const COMMENT = [
  '# Added by the VS Code extension "AWS Identity Center Sessions": its terminals select this profile',
  '# (AWS_PROFILE) so that they sign as the role its status bar shows. It holds no secret; outside',
  '# those terminals it fails with a message. Delete this section to remove it.',
];

export interface TerminalProfileOptions {
  /** The AWS config file: awsConfigPath(env), which honours AWS_CONFIG_FILE. */
  configFile: string;
  /** Where the script goes; created 0700. Must not depend on the VS Code installation. */
  scriptDir: string;
  log?: Logger;
  save?: SaveOptions;
}

/** `~/.aws/awsidc`: next to the files it serves, the same for every VS Code install sharing this HOME. */
export function defaultScriptDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(homeDir(env), '.aws', 'awsidc');
}

/**
 * Makes sure `[profile awsidc-terminal]` exists with a credential_process pointing at our script.
 * `changed`: the config file or the script was written; `configChanged`: the config file was (what
 * the user is told about, once; a script rewritten after an update of ours is not news to them).
 * Throws a clear, secret-free error and changes nothing when the file cannot be safely edited.
 */
export async function ensureTerminalProfile(o: TerminalProfileOptions): Promise<{ changed: boolean; configChanged: boolean; scriptPath: string }> {
  if (!terminalProfileSupported()) throw new Error(l10n.t('The terminal profile needs a POSIX shell; it is not written on Windows.'));
  const scriptPath = path.join(o.scriptDir, SCRIPT_NAME);
  const command = commandFor(scriptPath);
  const scriptChanged = await ensureScript(o.scriptDir, scriptPath);
  await checkConfigFile(o.configFile);
  // Another install sharing this HOME may point the profile at its own script: while that script
  // still exists, the profile is left as it is, so two installs never take turns rewriting it.
  const current = currentCommand(await readIfExists(o.configFile));
  const accepted = new Set([command]);
  if (current && current !== command && (await isOurScript(unquote(current)))) accepted.add(current);
  const { changed } = await saveConfigEdit(o.configFile, (bytes) => upsertTerminalProfile(bytes, command, accepted, o.configFile), o.save);
  if (changed) o.log?.info(`[terminalProfile] wrote [profile ${TERMINAL_PROFILE}] to ${o.configFile}`);
  if (scriptChanged) o.log?.info(`[terminalProfile] wrote ${scriptPath}`);
  return { changed: changed || scriptChanged, configChanged: changed, scriptPath };
}

/**
 * Removes our section (for an uninstall hook); true when it was there. With `scriptDir`, our script
 * goes too (only a file that is ours), and the folder when that leaves it empty.
 */
export async function removeTerminalProfile(configFile: string, options: { scriptDir?: string; save?: SaveOptions } = {}): Promise<boolean> {
  if (options.scriptDir) {
    const script = path.join(options.scriptDir, SCRIPT_NAME);
    if (await isOurScript(script)) await fs.rm(script, { force: true });
    await fs.rmdir(options.scriptDir).catch(() => undefined); // only when empty
  }
  try {
    await checkConfigFile(configFile);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  return (await saveConfigEdit(configFile, (bytes) => withoutSection(bytes, configFile), options.save)).changed;
}

/** The script is POSIX sh: on Windows no profile is written and terminals select none. */
export function terminalProfileSupported(platform: NodeJS.Platform = process.platform): boolean {
  return platform !== 'win32';
}

/** The credential_process value: the path, in double quotes when it has a space (every SDK splits it like a shell). */
export function commandFor(scriptPath: string): string {
  if (/["\\$`'\u0000-\u001f\u007f%]/.test(scriptPath) || !path.isAbsolute(scriptPath))
    throw new Error(
      l10n.t({
        message:
          'The folder {0} cannot hold the terminal credential script: its path must be absolute, without quotes, $, %, backslashes or control characters.',
        args: [JSON.stringify(scriptPath)],
        comment: ['{0}: a folder path in quotes'],
      }),
    );
  return /\s/.test(scriptPath) ? `"${scriptPath}"` : scriptPath;
}

/** The file's bytes with our section added or corrected; the same bytes when it is already right. */
export function upsertTerminalProfile(bytes: Buffer, command: string, accepted: ReadonlySet<string>, where: string): Buffer {
  const lines = checkParseable(bytes, where);
  const span = ourSpan(lines);
  if (span) {
    const keys = new Map<string, string>();
    for (let i = span.start + 1; i < span.end; i++) {
      const k = keyOf(lines[i].text);
      if (k && !keys.has(k.key)) keys.set(k.key, k.value);
    }
    const value = keys.get('credential_process');
    if (value !== undefined && accepted.has(value) && keys.size === 1) return bytes;
  }
  const eol = lines.find((l) => l.eol)?.eol ?? '\n';
  const block = Buffer.from([`[profile ${TERMINAL_PROFILE}]`, ...COMMENT, `credential_process = ${command}`].join(eol) + eol, 'utf8');
  if (span)
    return Buffer.concat([bytes.subarray(0, lines[span.start].start), block, bytes.subarray(span.end < lines.length ? lines[span.end].start : bytes.length)]);
  let head = bytes;
  if (head.length && head[head.length - 1] !== 0x0a) head = Buffer.concat([head, Buffer.from(eol)]);
  const blankLast = lines.length > 0 && !isContent(lines[lines.length - 1].text) && lines[lines.length - 1].text.trim() === '';
  const separator = head.length && !blankLast ? Buffer.from(eol) : Buffer.alloc(0);
  return Buffer.concat([head, separator, block]);
}

/** The file's bytes without our section (and the blank line we put before it). */
export function withoutSection(bytes: Buffer, where: string): Buffer {
  const lines = checkParseable(bytes, where);
  const span = ourSpan(lines);
  if (!span) return bytes;
  let from = span.start;
  if (from > 0 && lines[from - 1].text.trim() === '') from--;
  const start = lines[from].start!;
  const end = span.end < lines.length ? lines[span.end].start! : bytes.length;
  return Buffer.concat([bytes.subarray(0, start), bytes.subarray(end)]);
}

/** Header to last key of our section: trailing blank lines and comments stay with what follows. */
function ourSpan(lines: Line[]): { start: number; end: number } | undefined {
  const s = sections(lines).find((x) => x.kind === 'profile' && x.name === TERMINAL_PROFILE);
  if (!s) return undefined;
  let end = s.end;
  while (end > s.start + 1 && !isContent(lines[end - 1].text)) end--;
  return { start: s.start, end };
}

/** What botocore's parser would refuse is refused here too, before anything is written. */
function checkParseable(bytes: Buffer, where: string): Line[] {
  if (bytes.length > MAX_CONFIG_BYTES) throw tooLarge(where);
  const lines = splitBufferLines(bytes);
  const first = lines.findIndex((l) => isContent(l.text));
  const bad =
    bytes.includes(0) ||
    (first !== -1 &&
      !lines[first].text
        .replace(/^\uFEFF/, '')
        .trim()
        .startsWith('['));
  if (bad)
    throw new Error(
      l10n.t({
        message:
          '{0} cannot be read as an AWS config file (it has settings before any [section], or binary data), so it was not changed. Correct it, then open a new terminal.',
        args: [where],
        comment: ['{0} is a file path'],
      }),
    );
  return lines;
}

function tooLarge(where: string): Error {
  return new Error(l10n.t({ message: '{0} is larger than 1 MiB, so it was not changed.', args: [where], comment: ['{0} is a file path'] }));
}

/** A symlink is followed only to a regular file of ours; a huge file is not read. */
async function checkConfigFile(file: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const mine = typeof process.getuid !== 'function' || stat.uid === process.getuid();
  if (!stat.isFile() || !mine)
    throw Object.assign(
      new Error(
        l10n.t({
          message: '{0} is not a regular file of this user (or links to one that is not), so it was not changed.',
          args: [file],
          comment: ['{0} is a file path'],
        }),
      ),
      { code: 'ENOTOURS' },
    );
  if (stat.size > MAX_CONFIG_BYTES) throw tooLarge(file);
}

async function readIfExists(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw e;
  }
}

function currentCommand(bytes: Buffer): string | undefined {
  if (bytes.length > MAX_CONFIG_BYTES) return undefined;
  const lines = splitBufferLines(bytes);
  const span = ourSpan(lines);
  if (!span) return undefined;
  for (let i = span.start + 1; i < span.end; i++) {
    const k = keyOf(lines[i].text);
    if (k?.key === 'credential_process') return k.value;
  }
  return undefined;
}

function unquote(value: string): string {
  return value.length >= 2 && value[0] === '"' && value.endsWith('"') ? value.slice(1, -1) : value;
}

/** A regular file of this user, writable by nobody else, whose first lines carry our marker. */
export async function isOurScript(file: string): Promise<boolean> {
  try {
    const handle = await fs.open(file, 'r');
    try {
      const stat = await handle.stat();
      const mine = typeof process.getuid !== 'function' || stat.uid === process.getuid();
      if (!stat.isFile() || !mine || (stat.mode & 0o022) !== 0) return false;
      const head = Buffer.alloc(256);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      return head.toString('utf8', 0, bytesRead).includes(SCRIPT_MARKER);
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}

/** Writes the script (0700, in a 0700 folder of ours) unless it already holds this version; true when written. */
async function ensureScript(dir: string, file: string): Promise<boolean> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const stat = await fs.lstat(dir);
  const mine = typeof process.getuid !== 'function' || stat.uid === process.getuid();
  if (!stat.isDirectory() || !mine)
    throw new Error(
      l10n.t({
        message: '{0} is not a folder of this user, so the terminal credential script was not written.',
        args: [dir],
        comment: ['{0} is a folder path'],
      }),
    );
  if ((stat.mode & 0o077) !== 0) await fs.chmod(dir, 0o700);
  const text = credentialProcessScript();
  try {
    const have = await fs.lstat(file);
    if (have.isFile() && (have.mode & 0o777) === 0o700) {
      const current = await fs.readFile(file, 'utf8');
      // A newer install sharing this HOME wrote a later version: it is left, so the two never take turns.
      if (current === text || (scriptVersion(current) ?? 0) > SCRIPT_VERSION) return false;
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await writeAtomic(file, text, 0o700);
  return true;
}
