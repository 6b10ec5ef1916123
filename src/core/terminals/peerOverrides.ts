// Which variable in a command's environment wins over the active role, and which shell file
// probably set it. Pure decisions over what the adapter observed: variable NAMES, whether each is
// non-empty, and AWS_PROFILE's value (a name, not a secret). Secret values are never handed in.
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';

/** The variables whose presence decides which credentials a CLI or SDK uses. */
export const WATCHED_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
] as const;

export interface ObservedEnvironment {
  /** WATCHED_VARIABLES set to a non-empty value. */
  nonEmpty: ReadonlySet<string>;
  /** AWS_PROFILE's value, if non-empty. */
  profile?: string;
}

export interface Override {
  variable: string;
  /** AWS_PROFILE's value (the only value ever kept). */
  value?: string;
}

/**
 * What wins over the active role, in the order the AWS CLI (botocore) and the SDKs check: static
 * keys first, then a profile other than ours, then web identity (botocore checks it before a
 * profile's credential_process), then a container URI other than ours (RELATIVE wins over FULL).
 * `ourProfile`: the profile terminals select (AWS_PROFILE) when they do; undefined before that.
 * `ourEndpoint`: whether AWS_CONTAINER_CREDENTIALS_FULL_URI still points at our endpoint.
 */
export function winningOverride(env: ObservedEnvironment, ourProfile: string | undefined, ourEndpoint = true): Override | undefined {
  const has = (name: string): boolean => env.nonEmpty.has(name);
  if (has('AWS_ACCESS_KEY_ID')) return { variable: 'AWS_ACCESS_KEY_ID' };
  if (has('AWS_PROFILE') && env.profile !== ourProfile) return { variable: 'AWS_PROFILE', value: env.profile };
  // The AWS CLI v1 still reads the old name when AWS_PROFILE is empty.
  if (!has('AWS_PROFILE') && has('AWS_DEFAULT_PROFILE')) return { variable: 'AWS_DEFAULT_PROFILE' };
  if (has('AWS_WEB_IDENTITY_TOKEN_FILE')) return { variable: 'AWS_WEB_IDENTITY_TOKEN_FILE' };
  const oursSelected = ourProfile !== undefined && env.profile === ourProfile;
  if (oursSelected) return undefined;
  if (has('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI')) return { variable: 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI' };
  if (!ourEndpoint && has('AWS_CONTAINER_CREDENTIALS_FULL_URI')) return { variable: 'AWS_CONTAINER_CREDENTIALS_FULL_URI' };
  return undefined;
}

/** `NAME=value` lines of /proc/<pid>/environ reduced to what winningOverride needs; values are dropped here. */
export function observeEnviron(raw: Buffer | string): ObservedEnvironment {
  const nonEmpty = new Set<string>();
  let profile: string | undefined;
  for (const entry of raw.toString('utf8').split('\0')) {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? entry : entry.slice(0, eq);
    if (!(WATCHED_VARIABLES as readonly string[]).includes(name) || eq === entry.length - 1) continue;
    nonEmpty.add(name);
    // Shown in messages and a Markdown tooltip: a profile name's characters only, kept short.
    if (name === 'AWS_PROFILE') profile = entry.slice(eq + 1, eq + 65).replace(/[^\w.@+-]/g, '?');
  }
  return { nonEmpty, profile };
}

/** Files a shell (or direnv) reads when a terminal starts, where a variable is usually exported. */
export function startupFiles(home: string, cwd: string | undefined): string[] {
  const inHome = ['.bashrc', '.bash_profile', '.bash_login', '.profile', '.zshenv', '.zprofile', '.zshrc', '.config/fish/config.fish'];
  return [...inHome.map((f) => path.join(home, f)), ...(cwd ? [path.join(cwd, '.envrc')] : [])];
}

export interface Origin {
  file: string;
  /** 1-based. */
  line: number;
}

/** The first line of these files that sets `variable` (export, plain assignment, fish's set -x). */
export function originOf(files: { file: string; text: string }[], variable: string): Origin | undefined {
  const sets = new RegExp(
    `^\\s*(?:(?:export|declare\\s+-x|typeset\\s+-x|readonly)\\s+)?${variable}=|^\\s*set\\s+(?:-\\w+\\s+)*${variable}\\s|^\\s*setenv\\s+${variable}\\s`,
  );
  for (const { file, text } of files) {
    const lines = text.split('\n');
    const at = lines.findIndex((l) => sets.test(l));
    if (at >= 0) return { file, line: at + 1 };
  }
  return undefined;
}

/** `AWS_PROFILE=legacy` or the bare name: how the variable is named to the user. */
export function overrideLabel(o: Override): string {
  return o.value !== undefined ? `${o.variable}=${o.value}` : o.variable;
}

/** The warning for a terminal whose AWS command did not reach the endpoint. */
export function overrideWarning(terminal: string, o: Override, origin: Origin | undefined, home: string): string {
  if (origin)
    return l10n.t({
      message:
        'In terminal "{0}", {1} is set by {2} (line {3}) after the terminal starts, so AWS commands there do not use the active role. Remove that line, or run "unset {4}" in that terminal, then run the command again.',
      args: [terminal, overrideLabel(o), tilde(origin.file, home), origin.line, o.variable],
      comment: ['{0}: a terminal name; {1}: a variable, e.g. AWS_PROFILE=legacy; {2}: a file path; {3}: a line number; {4}: a variable name'],
    });
  return l10n.t({
    message:
      'In terminal "{0}", {1} is set after the terminal starts (not by VS Code), so AWS commands there do not use the active role. Find where your shell, direnv or a plugin sets it and remove it, or run "unset {2}" in that terminal.',
    args: [terminal, overrideLabel(o), o.variable],
    comment: ['{0}: a terminal name; {1}: a variable, e.g. AWS_PROFILE=legacy; {2}: a variable name'],
  });
}

/** One line of the status-bar tooltip for it. */
export function overrideTooltipLine(terminal: string, o: Override, origin: Origin | undefined, home: string): string {
  return origin
    ? l10n.t({
        message: 'Terminal "{0}" uses {1} from {2}, not the active role.',
        args: [terminal, overrideLabel(o), tilde(origin.file, home)],
        comment: ['{0}: a terminal name; {1}: a variable, e.g. AWS_PROFILE=legacy; {2}: a file path'],
      })
    : l10n.t({
        message: 'Terminal "{0}" uses {1}, not the active role.',
        args: [terminal, overrideLabel(o)],
        comment: ['{0}: a terminal name; {1}: a variable, e.g. AWS_PROFILE=legacy'],
      });
}

function tilde(file: string, home: string): string {
  return home && file.startsWith(home + path.sep) ? `~${file.slice(home.length)}` : file;
}
