// Adds an `[sso-session]` + `[profile]` pair to ~/.aws/config the way `aws configure sso` would,
// as a line-level edit: every other line, comment, blank line and line ending stays byte-for-byte.
// Saving it to disk (lock, re-read, atomic replace) is awsConfigSave.ts.
import * as l10n from '@vscode/l10n';
import { SSO_SCOPE } from '../common/model';
import { checkRegion, checkStartUrl, sameStartUrl } from '../common/validate';
import { isContent, keyOf, sections, splitBufferLines, splitLines, type Line, type Section } from './iniLines';

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

/**
 * What the JS SDK's INI loader reads back as a `[profile x]` or `[sso-session x]` name (its
 * `/^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/`, ASCII `\w`); botocore's shlex split takes all of these too.
 * Anything else is written fine but silently dropped by the SDK: the profile or session vanishes.
 */
const SDK_NAME = /^[A-Za-z0-9_\-@+.%:/]+$/;

/** Why a profile or session name cannot be used, or undefined if it can. */
export function checkCliName(kind: 'profile' | 'sso-session', name: string): string | undefined {
  const KIND = '{0}: "profile" or "sso-session" (AWS config terms: keep them as they are)';
  if (!name) return l10n.t({ message: 'The {0} name is empty.', args: [kind], comment: [KIND] });
  if (name.length > 128) return l10n.t({ message: 'The {0} name is longer than 128 characters.', args: [kind], comment: [KIND] });
  if (!SDK_NAME.test(name))
    return l10n.t({
      message: 'The {0} name {1} can only hold letters A-Z, digits and _ - . @ + % : / (the AWS SDKs cannot read other names back).',
      args: [kind, JSON.stringify(name)],
      comment: [`${KIND}; {1}: the name the user entered, in quotes`],
    });
  // The SDK refuses the whole file when it meets this one: every profile in it would disappear.
  if (name === '__proto__')
    return l10n.t({ message: 'The {0} name "__proto__" cannot be used: the AWS SDKs refuse a config file that has it.', args: [kind], comment: [KIND] });
  return undefined;
}

/** A profile name such as `Sandbox-ReadOnly` from what the tree shows. */
export function suggestProfileName(accountName: string, roleName: string): string {
  const slug = (s: string): string =>
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9._-]+/g, '-');
  // The last replace only sees 64 characters.
  return [trimEnds(slug(accountName)), trimEnds(slug(roleName))].filter(Boolean).join('-').slice(0, 64).replace(/-+$/, '') || 'sso';
}

/** Drops leading and trailing `-` and `.` in one pass (a `[-.]+$` regex is quadratic on a long run of them). */
function trimEnds(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s[a] === '-' || s[a] === '.')) a++;
  while (b > a && (s[b - 1] === '-' || s[b - 1] === '.')) b--;
  return s.slice(a, b);
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

/** The edited file: an original line (by index, ending included) or new text. */
export type Piece = number | string;

/**
 * Returns `text` with the sso-session and profile added or updated. Throws (changing nothing) when
 * the sso-session already points elsewhere or the profile gets credentials some other way.
 * `where` names the file in error messages.
 */
export function upsertCliProfile(text: string, opts: CliProfileOptions, where = l10n.t('the AWS config file')): string {
  const lines = splitLines(text);
  return plan(lines, opts, where)
    .map((p) => (typeof p === 'number' ? lines[p].text + lines[p].eol : p))
    .join('');
}

/**
 * upsertCliProfile on the file's bytes: lines outside the edit are copied as they are, whatever
 * their encoding (a Latin-1 comment, a stray byte), never decoded and re-encoded.
 */
export function upsertCliProfileBytes(bytes: Buffer, opts: CliProfileOptions, where = l10n.t('the AWS config file')): Buffer {
  const lines = splitBufferLines(bytes);
  return Buffer.concat(plan(lines, opts, where).map((p) => (typeof p === 'number' ? bytes.subarray(lines[p].start, lines[p].end) : Buffer.from(p, 'utf8'))));
}

/** upsertCliProfileBytes as pieces of the result (for an edit that must be undone exactly: byteHunks.ts). */
export function cliProfilePieces(bytes: Buffer, opts: CliProfileOptions, where = l10n.t('the AWS config file')): { lines: Line[]; pieces: Piece[] } {
  const lines = splitBufferLines(bytes);
  return { lines, pieces: plan(lines, opts, where) };
}

function plan(lines: Line[], opts: CliProfileOptions, where: string): Piece[] {
  validate(opts);
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
      if (isContent(t)) lastContent = i;
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

  // In-place edits: a replaced line keeps its own ending; inserted lines go before line `at`.
  const replaced = new Map<number, string>();
  const inserted = new Map<number, string[]>();
  for (const edit of edits) {
    if (edit.replace) replaced.set(edit.at, edit.lines[0]);
    else inserted.set(edit.at, [...(inserted.get(edit.at) ?? []), ...edit.lines]);
  }
  const out: Piece[] = [];
  // The result's last line so far: enough to tell whether it ends with a line ending and with a
  // blank line, without rescanning the whole text.
  let tail = '';
  const push = (p: Piece, text: string): void => {
    out.push(p);
    tail += text;
    // Keep only the last line (the newline before the final character ends the line before it).
    const last = tail.length > 1 ? tail.lastIndexOf('\n', tail.length - 2) : -1;
    if (last >= 0) tail = tail.slice(last + 1);
  };
  const endsWithNewline = (): boolean => tail === '' || tail.endsWith('\n');
  const lastLineBlank = (): boolean => /(^|\n)[ \t]*\r?\n$/.test(tail);
  const insert = (block: string[]): void => {
    // Inserting after a last line that has no line ending needs one first.
    if (!endsWithNewline()) push(eol, eol);
    for (const l of block) push(l + eol, l + eol);
  };
  lines.forEach((line, i) => {
    const before = inserted.get(i);
    if (before) insert(before);
    const replacement = replaced.get(i);
    if (replacement !== undefined) push(replacement + line.eol, replacement + line.eol);
    else push(i, line.text + line.eol);
  });
  const atEnd = inserted.get(lines.length);
  if (atEnd) insert(atEnd);
  for (const block of append) {
    if (out.length && !endsWithNewline()) push(eol, eol);
    if (out.length && !lastLineBlank()) push(eol, eol);
    insert(block);
  }
  return out;
}
