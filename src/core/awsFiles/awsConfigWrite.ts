// Adds an `[sso-session]` + `[profile]` pair to ~/.aws/config the way `aws configure sso` would,
// as a line-level edit: every other line, comment, blank line and line ending stays byte-for-byte.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { SSO_SCOPE } from '../common/model';
import { checkRegion, checkStartUrl, sameStartUrl } from '../common/validate';
import { awsConfigPath } from './awsConfigRead';
import { writeAtomic } from './files';

export interface CliProfileOptions {
  /** `default` is written as `[default]` (the section every tool reads for it). */
  profileName: string;
  sessionName: string;
  startUrl: string;
  /** The Identity Center region (`sso_region`). */
  region: string;
  accountId: string;
  roleName: string;
  /** The profile's `region`; when absent a new profile gets `region` = `sso_region`, an existing one keeps its own. */
  profileRegion?: string;
  /** Comma-separated; default `sso:account:access` (without it there is no refresh token). */
  registrationScopes?: string;
}

/** Keys that make a profile get credentials some other way (botocore would prefer them to SSO). */
const OTHER_SOURCES = [
  'role_arn',
  'source_profile',
  'credential_source',
  'credential_process',
  'web_identity_token_file',
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
];

/** Why a profile or session name cannot be used, or undefined if it can. */
export function checkCliName(kind: 'profile' | 'sso-session', name: string): string | undefined {
  if (!name)
    return l10n.t({ message: 'The {0} name is empty.', args: [kind], comment: ['{0}: "profile" or "sso-session" (AWS config terms: keep them as they are)'] });
  if (name.length > 128)
    return l10n.t({
      message: 'The {0} name is longer than 128 characters.',
      args: [kind],
      comment: ['{0}: "profile" or "sso-session" (AWS config terms: keep them as they are)'],
    });
  // Whitespace, brackets, quotes and backslashes break the section header or botocore's shlex split.
  if (/[\s[\]"'\\#;]|[\x00-\x1f\x7f]/.test(name))
    return l10n.t({
      message: 'The {0} name "{1}" may not contain spaces, brackets, quotes, backslashes, # or ;.',
      args: [kind, name],
      comment: ['{0}: "profile" or "sso-session" (AWS config terms: keep them as they are); {1}: the name the user entered'],
    });
  return undefined;
}

/** A profile name such as `Sandbox-ReadOnly` from what the tree shows. */
export function suggestProfileName(accountName: string, roleName: string): string {
  const slug = (s: string): string =>
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '');
  return [slug(accountName), slug(roleName)].filter(Boolean).join('-').slice(0, 64).replace(/-+$/, '') || 'sso';
}

interface Line {
  text: string;
  eol: string;
}
interface Section {
  kind: 'profile' | 'sso-session' | 'other';
  name: string;
  /** Index of the header line; the body runs to the next header. */
  start: number;
  end: number;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  for (let i = 0; i < text.length;) {
    const nl = text.indexOf('\n', i);
    if (nl < 0) {
      lines.push({ text: text.slice(i), eol: '' });
      break;
    }
    const crlf = nl > i && text[nl - 1] === '\r';
    lines.push({ text: text.slice(i, crlf ? nl - 1 : nl), eol: crlf ? '\r\n' : '\n' });
    i = nl + 1;
  }
  return lines;
}

// Mirrors configparser (`[` … last `]` on a stripped line) and botocore's "<kind> <name>" split.
function sections(lines: Line[]): Section[] {
  const out: Section[] = [];
  lines.forEach((line, i) => {
    const header = /^\[(.+)\]/.exec(line.text.replace(/^\uFEFF/, '').trim());
    if (!header) return;
    const parts = header[1].trim().split(/\s+/);
    const kind = parts.length === 2 && (parts[0] === 'profile' || parts[0] === 'sso-session') ? parts[0] : 'other';
    const name = kind === 'other' ? parts.join(' ') : parts[1];
    if (out.length) out[out.length - 1].end = i;
    out.push({ kind: kind === 'other' && name === 'default' ? 'profile' : kind, name, start: i, end: lines.length });
  });
  return out;
}

/** A top-level `key = value` (or `key: value`) line; indented lines continue the key above. */
function keyOf(text: string): { key: string; keyText: string; value: string } | undefined {
  if (!text || /^\s/.test(text) || /^[#;]/.test(text)) return undefined;
  const m = /^([^=:]*?)\s*[=:]\s*(.*)$/.exec(text);
  return m && m[1] ? { key: m[1].toLowerCase(), keyText: m[1], value: m[2].trim() } : undefined;
}

function validate(o: CliProfileOptions): void {
  const problems = [checkCliName('profile', o.profileName), checkCliName('sso-session', o.sessionName)];
  const url = checkStartUrl(o.startUrl);
  if (!url.ok || /[\s\x00-\x1f]/.test(o.startUrl.trim()))
    problems.push(url.error ?? l10n.t({ message: '"{0}" is not a valid access portal URL.', args: [o.startUrl], comment: ['{0}: a URL'] }));
  // Values are written verbatim into the INI text: nothing may carry a line break.
  for (const r of [o.region, o.profileRegion])
    if (r !== undefined && (!checkRegion(r).ok || r !== r.trim()))
      problems.push(checkRegion(r).error ?? l10n.t({ message: '"{0}" is not a region name.', args: [r], comment: ['{0}: what the user entered'] }));
  if (!/^\d{12}$/.test(o.accountId))
    problems.push(l10n.t({ message: '"{0}" is not a 12-digit AWS account id.', args: [o.accountId], comment: ['{0}: an account id'] }));
  if (!/^[\w+=,.@-]{1,128}$/.test(o.roleName))
    problems.push(l10n.t({ message: '"{0}" is not a valid role name.', args: [o.roleName], comment: ['{0}: a role name'] }));
  if (o.registrationScopes !== undefined && !/^[\w:., \t/-]*$/.test(o.registrationScopes))
    problems.push(l10n.t('The registration scopes may only hold scope names separated by commas.'));
  const first = problems.find(Boolean);
  if (first) throw new Error(first);
}

/**
 * Returns `text` with the sso-session and profile added or updated. Throws (changing nothing) when
 * the sso-session already points elsewhere or the profile gets credentials some other way.
 * `where` names the file in error messages.
 */
export function upsertCliProfile(text: string, opts: CliProfileOptions, where = l10n.t('the AWS config file')): string {
  validate(opts);
  const lines = splitLines(text);
  const eol = lines.find((l) => l.eol)?.eol ?? '\n';
  const all = sections(lines);
  const startUrl = opts.startUrl.trim();
  const edits: { at: number; replace: boolean; lines: string[] }[] = [];

  // Sets keys inside an existing section: changed values in place, missing ones after its last key.
  const setKeys = (section: Section, wanted: [string, string][]): void => {
    let lastContent = section.start;
    const found = new Map<string, { index: number; keyText: string; value: string }>();
    for (let i = section.start + 1; i < section.end; i++) {
      const t = lines[i].text;
      if (t.trim() && !/^\s*[#;]/.test(t)) lastContent = i;
      const k = keyOf(t);
      if (k && !found.has(k.key)) found.set(k.key, { index: i, keyText: k.keyText, value: k.value });
    }
    const missing: string[] = [];
    for (const [key, value] of wanted) {
      const hit = found.get(key);
      if (!hit) missing.push(`${key} = ${value}`);
      else if (hit.value !== value) edits.push({ at: hit.index, replace: true, lines: [`${hit.keyText} = ${value}`] });
    }
    if (missing.length) edits.push({ at: lastContent + 1, replace: false, lines: missing });
  };
  const keysOf = (section: Section): Map<string, string> => {
    const map = new Map<string, string>();
    for (let i = section.start + 1; i < section.end; i++) {
      const k = keyOf(lines[i].text);
      if (k && !map.has(k.key)) map.set(k.key, k.value);
    }
    return map;
  };

  const append: string[][] = [];
  const session = all.find((s) => s.kind === 'sso-session' && s.name === opts.sessionName);
  if (session) {
    const have = keysOf(session);
    const url = have.get('sso_start_url');
    const region = have.get('sso_region');
    if ((url && !sameStartUrl(url, startUrl)) || (region && region !== opts.region)) {
      throw new Error(
        l10n.t({
          message:
            '[sso-session {0}] in {1} already points to {2} in {3}, not {4} in {5}. Choose another session name, or correct that section if it is out of date. Nothing was written.',
          args: [
            opts.sessionName,
            where,
            url ?? l10n.t({ message: '(no sso_start_url)', comment: ['sso_start_url is a key in ~/.aws/config: keep it as it is'] }),
            region ?? l10n.t({ message: '(no sso_region)', comment: ['sso_region is a key in ~/.aws/config: keep it as it is'] }),
            startUrl,
            opts.region,
          ],
          comment: [
            '"[sso-session …]" is a section header of ~/.aws/config: keep it as it is; {0}: the session name; {1}: a file path; {2} and {4}: access portal URLs; {3} and {5}: AWS regions',
          ],
        }),
      );
    }
    const fill: [string, string][] = [];
    if (!url) fill.push(['sso_start_url', startUrl]);
    if (!region) fill.push(['sso_region', opts.region]);
    if (fill.length) setKeys(session, fill);
  } else {
    append.push([
      `[sso-session ${opts.sessionName}]`,
      `sso_start_url = ${startUrl}`,
      `sso_region = ${opts.region}`,
      `sso_registration_scopes = ${opts.registrationScopes ?? SSO_SCOPE}`,
    ]);
  }

  // `[profile default]` is read too, so an existing one is updated rather than shadowed.
  const isDefault = opts.profileName === 'default';
  const profile = all.find((s) => s.kind === 'profile' && s.name === opts.profileName);
  const wanted: [string, string][] = [
    ['sso_session', opts.sessionName],
    ['sso_account_id', opts.accountId],
    ['sso_role_name', opts.roleName],
  ];
  if (profile) {
    const have = keysOf(profile);
    const other = OTHER_SOURCES.find((k) => have.has(k));
    if (other) {
      throw new Error(
        l10n.t({
          message: 'The profile "{0}" in {1} already gets its credentials through {2}. Choose another profile name. Nothing was written.',
          args: [opts.profileName, where, other],
          comment: ['{0}: a profile name; {1}: a file path; {2}: a key in ~/.aws/config such as role_arn or credential_process'],
        }),
      );
    }
    // Legacy keys left in the profile must agree with the session, or botocore refuses the profile.
    if (have.has('sso_start_url')) wanted.push(['sso_start_url', startUrl]);
    if (have.has('sso_region')) wanted.push(['sso_region', opts.region]);
    if (opts.profileRegion !== undefined || !have.has('region')) wanted.push(['region', opts.profileRegion ?? opts.region]);
    setKeys(profile, wanted);
  } else {
    const header = isDefault ? '[default]' : `[profile ${opts.profileName}]`;
    append.push([header, ...wanted.map(([k, v]) => `${k} = ${v}`), `region = ${opts.profileRegion ?? opts.region}`]);
  }

  // Apply in-place edits from the bottom up so indexes stay valid.
  const out = lines.map((l) => l.text + l.eol);
  for (const edit of edits.sort((a, b) => b.at - a.at)) {
    if (edit.replace) {
      out[edit.at] = edit.lines[0] + lines[edit.at].eol;
      continue;
    }
    // Inserting after a last line that has no line ending needs one first.
    if (edit.at > 0 && !out[edit.at - 1].endsWith('\n')) out[edit.at - 1] += eol;
    out.splice(edit.at, 0, edit.lines.map((l) => l + eol).join(''));
  }
  let result = out.join('');
  for (const block of append) {
    if (result && !/\n$/.test(result)) result += eol;
    if (result && !/(^|\n)[ \t]*\r?\n$/.test(result)) result += eol;
    result += block.map((l) => l + eol).join('');
  }
  return result;
}

/**
 * Reads `configPath` (missing = empty), adds the profile and writes it back atomically, keeping the
 * file's mode. A symlinked config is written through to its target.
 */
export async function saveCliProfile(configPath: string | undefined, opts: CliProfileOptions): Promise<{ path: string; changed: boolean }> {
  const file = configPath ?? awsConfigPath();
  let target = file;
  let text = '';
  let mode = 0o600;
  try {
    target = await fs.realpath(file);
    text = await fs.readFile(target, 'utf8');
    mode = (await fs.stat(target)).mode & 0o7777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const next = upsertCliProfile(text, opts, file);
  if (next === text) return { path: file, changed: false };
  await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  await writeAtomic(target, next, mode);
  return { path: file, changed: true };
}
