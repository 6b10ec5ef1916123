// Finds long-term (IAM user) access keys in the shared AWS files and in the editor's environment,
// so the user can be told to replace them with Identity Center roles. Results never hold a
// secret: only where the key is and its id, masked.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { loadSdk } from '../aws/loadSdk';
import { expandHome, homeDir } from './files';

export interface LongTermKeyFinding {
  where: 'credentials' | 'config' | 'environment';
  /** Absolute path of the file (file findings). */
  file?: string;
  /** Profile name as the AWS CLI knows it (file findings). */
  profile?: string;
  /** Variable name (environment findings). */
  variable?: string;
  /** Masked: first 4 and last 4 characters only, e.g. "AKIA…WXYZ". */
  keyId: string;
  kind: 'long-term';
}

export interface LongTermKeyScan {
  findings: LongTermKeyFinding[];
  /** Files that exist but could not be read (paths only). */
  problems: string[];
}

export interface LongTermKeyOptions {
  env?: NodeJS.ProcessEnv;
  credentialsPath?: string;
  configPath?: string;
}

export async function findLongTermKeys(opts: LongTermKeyOptions = {}): Promise<LongTermKeyFinding[]> {
  return (await scanLongTermKeys(opts)).findings;
}

/** Like findLongTermKeys, plus the problems met on the way. Never throws. */
export async function scanLongTermKeys(opts: LongTermKeyOptions = {}): Promise<LongTermKeyScan> {
  const env = opts.env ?? process.env;
  const home = homeDir(env);
  const credentialsPath = expandHome(opts.credentialsPath ?? (env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials')), home);
  const configPath = expandHome(opts.configPath ?? (env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config')), home);
  const problems: string[] = [];
  const findings: LongTermKeyFinding[] = [];

  const [credentialsOk, configOk] = await Promise.all([readable(credentialsPath, problems), readable(configPath, problems)]);
  if (credentialsOk || configOk) {
    try {
      const { loadSharedConfigFiles } = await loadSdk();
      // ignoreCache: the SDK caches reads process-wide; the user may have just edited the file.
      // A file not to be read is named by a path that cannot exist (the SDK reads both, missing = empty).
      const skip = (file: string, ok: boolean): string => (ok ? file : path.join(`${file}.not-read`, 'none'));
      const { configFile, credentialsFile } = await loadSharedConfigFiles({
        filepath: skip(credentialsPath, credentialsOk),
        configFilepath: skip(configPath, configOk),
        ignoreCache: true,
      });
      if (credentialsOk) findings.push(...fromSections('credentials', credentialsPath, credentialsFile));
      if (configOk) findings.push(...fromSections('config', configPath, configFile));
    } catch {
      problems.push(l10n.t({ message: '{0} or {1} could not be parsed.', args: [credentialsPath, configPath], comment: ['{0} and {1}: file paths'] }));
    }
  }

  // The extension host's own environment: the extension changes only terminals' environments,
  // never process.env, so whatever is here came from the shell or system that launched VS Code.
  const keyId = env.AWS_ACCESS_KEY_ID?.trim();
  if (keyId && isLongTerm(keyId, env.AWS_SECRET_ACCESS_KEY, env.AWS_SESSION_TOKEN)) {
    findings.push({ where: 'environment', variable: 'AWS_ACCESS_KEY_ID', keyId: maskKeyId(keyId), kind: 'long-term' });
  }
  return { findings, problems };
}

/**
 * Long-term: a key with a secret and no session token, or an IAM user key (AKIA) whatever sits
 * next to it. ASIA ids are always STS-issued and temporary, with or without a token.
 */
export function isLongTerm(keyId: string, secret: string | undefined, sessionToken: string | undefined): boolean {
  if (!secret?.trim()) return false; // an id alone is not a usable credential
  if (keyId.startsWith('AKIA')) return true;
  if (keyId.startsWith('ASIA')) return false;
  return !sessionToken?.trim();
}

/** "AKIA…WXYZ": enough to recognise a key in the IAM console, not enough to be one. */
export function maskKeyId(keyId: string): string {
  const id = keyId.trim();
  if (id.length >= 12) return `${id.slice(0, 4)}…${id.slice(-4)}`;
  return `${id.slice(0, Math.min(4, Math.floor(id.length / 2)))}…`;
}

/** "2 long-term access keys: [profile default] in ~/.aws/credentials, AWS_ACCESS_KEY_ID in the editor's environment". */
export function summarize(findings: LongTermKeyFinding[], opts: { home?: string } = {}): string {
  if (findings.length === 0) return l10n.t('No long-term access keys found.');
  const places = findings.map((f) => placeOf(f, opts));
  return findings.length === 1
    ? l10n.t({ message: '{0} long-term access key: {1}', args: [findings.length, places.join(', ')], comment: ['{0}: 1; {1}: where the key is'] })
    : l10n.t({ message: '{0} long-term access keys: {1}', args: [findings.length, places.join(', ')], comment: ['{0}: how many; {1}: where the keys are'] });
}

/** Where one key is: "[profile default] in ~/.aws/credentials" or "AWS_ACCESS_KEY_ID in the editor's environment". */
export function placeOf(f: LongTermKeyFinding, opts: { home?: string } = {}): string {
  return f.where === 'environment'
    ? l10n.t({ message: "{0} in the editor's environment", args: [f.variable ?? ''], comment: ['{0}: an environment variable name, e.g. AWS_ACCESS_KEY_ID'] })
    : l10n.t({
        message: '[profile {0}] in {1}',
        args: [f.profile ?? '', tildePath(f.file ?? '', opts.home ?? homeDir(process.env))],
        comment: ['"[profile …]" is a section header of the AWS files: keep it as it is; {0}: a profile name; {1}: a file path'],
      });
}

/** One plain-text paragraph: why it matters, and the steps that apply to these findings. */
export function guidanceFor(findings: LongTermKeyFinding[]): string {
  if (findings.length === 0) return l10n.t('No long-term access keys were found: every credential in use can be short-lived.');
  const files = [...new Set(findings.filter((f) => f.file).map((f) => f.file as string))];
  const inEnv = findings.some((f) => f.where === 'environment');
  // Whole sentences, one per step that applies: a translator never sees a piece of one.
  const steps: string[] = [];
  const fileStepComment = ['"Save Role as AWS CLI Profile" is a command title; sso_session, aws_access_key_id and aws_secret_access_key are AWS config keys'];
  if (files.length === 1)
    steps.push(
      l10n.t({
        message:
          'Save the role you need with "Save Role as AWS CLI Profile" (an sso_session profile), then delete aws_access_key_id and aws_secret_access_key from {0}.',
        args: [files[0]],
        comment: [...fileStepComment, '{0}: a file path'],
      }),
    );
  else if (files.length > 1)
    steps.push(
      l10n.t({
        message:
          'Save the role you need with "Save Role as AWS CLI Profile" (an sso_session profile), then delete aws_access_key_id and aws_secret_access_key from {0} and {1}.',
        args: [files[0], files.slice(1).join(', ')],
        comment: [...fileStepComment, '{0} and {1}: file paths (the AWS credentials and config files)'],
      }),
    );
  if (inEnv)
    steps.push(
      l10n.t({
        message:
          'Remove AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from your shell profile (for example ~/.bashrc or ~/.zshrc) or system environment and restart VS Code.',
        comment: ['AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are environment variable names'],
      }),
    );
  steps.push(
    l10n.t({
      message: 'Deactivate, then delete, the access key in the IAM console (IAM > Users > Security credentials) once nothing uses it.',
      comment: ['"IAM > Users > Security credentials" names pages of the IAM console'],
    }),
  );
  const why = l10n.t(
    'Long-term access keys never expire, so a key that leaks from a file, a backup, a log or a screen share keeps working until someone deletes it. IAM Identity Center roles give short-lived credentials that this extension refreshes for you, so nothing long-lived needs to stay on this machine. To switch:',
  );
  return [why, ...steps].join(' ');
}

function fromSections(
  where: 'credentials' | 'config',
  file: string,
  sections: Record<string, Record<string, string | undefined> | undefined> | undefined,
): LongTermKeyFinding[] {
  const out: LongTermKeyFinding[] = [];
  for (const [key, section] of Object.entries(sections ?? {})) {
    // Non-profile sections of the config file keep their "type." prefix; they hold no keys.
    if (where === 'config' && /^(sso-session|services)\./.test(key)) continue;
    const keyId = section?.aws_access_key_id?.trim();
    if (!keyId || !isLongTerm(keyId, section?.aws_secret_access_key, section?.aws_session_token)) continue;
    // In the credentials file "[profile x]" is a profile literally named "profile x".
    const profile = where === 'credentials' && key.startsWith('profile.') ? `profile ${key.slice(8)}` : key;
    out.push({ where, file, profile, keyId: maskKeyId(keyId), kind: 'long-term' });
  }
  return out;
}

/** False for a missing file (nothing to report); false plus a problem for one we cannot read. */
async function readable(file: string, problems: string[]): Promise<boolean> {
  try {
    await fs.access(file, fs.constants.R_OK);
    // A FIFO or device would block the SDK's read forever (a FIFO until someone writes to it).
    if ((await fs.stat(file)).isFile()) return true;
    problems.push(`${file} is not a regular file, so it was not checked for long-term keys.`);
    return false;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR')
      problems.push(
        l10n.t({
          message: '{0} cannot be read ({1}), so it was not checked for long-term keys.',
          args: [file, String(code)],
          comment: ['{0}: a file path; {1}: an error code, e.g. EACCES'],
        }),
      );
    return false;
  }
}

function tildePath(p: string, home: string): string {
  return home && (p === home || p.startsWith(home + path.sep)) ? '~' + p.slice(home.length) : p;
}
