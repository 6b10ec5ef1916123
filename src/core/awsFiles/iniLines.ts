// The line model of ~/.aws/config that the profile editor works on: lines with their own line
// endings, section headers the way configparser and botocore see them, and top-level keys. Every
// function here is linear in its input (no backtracking regular expression over a whole line), so a
// hostile or damaged file can never stall the extension host.

export interface Line {
  /** The line without its ending; for a file read as bytes, its UTF-8 decoding (used to look, never written back). */
  text: string;
  eol: '' | '\n' | '\r\n';
  /** For a file read as bytes: where the line (ending included) sits in the buffer. */
  start?: number;
  end?: number;
}

export interface Section {
  kind: 'profile' | 'sso-session' | 'other';
  name: string;
  /** Index of the header line; the body runs to the next header. */
  start: number;
  end: number;
}

export function splitLines(text: string): Line[] {
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

/** Lines of a file's bytes; each keeps its offsets so untouched lines are copied back byte for byte. */
export function splitBufferLines(bytes: Buffer): Line[] {
  const lines: Line[] = [];
  for (let i = 0; i < bytes.length;) {
    const nl = bytes.indexOf(0x0a, i);
    if (nl < 0) {
      lines.push({ text: bytes.toString('utf8', i), eol: '', start: i, end: bytes.length });
      break;
    }
    const crlf = nl > i && bytes[nl - 1] === 0x0d;
    lines.push({ text: bytes.toString('utf8', i, crlf ? nl - 1 : nl), eol: crlf ? '\r\n' : '\n', start: i, end: nl + 1 });
    i = nl + 1;
  }
  return lines;
}

// Mirrors configparser (`[` … last `]` on a stripped line) and botocore's "<kind> <name>" split
// (shlex, so a quoted name is the name without its quotes).
export function sections(lines: Line[]): Section[] {
  const out: Section[] = [];
  lines.forEach((line, i) => {
    const t = line.text.replace(/^\uFEFF/, '').trim();
    const close = t.lastIndexOf(']');
    if (t[0] !== '[' || close < 2) return;
    const parts = t.slice(1, close).trim().split(/\s+/);
    const kind = parts.length === 2 && (parts[0] === 'profile' || parts[0] === 'sso-session') ? parts[0] : 'other';
    const name = kind === 'other' ? parts.join(' ') : unquote(parts[1]);
    if (out.length) out[out.length - 1].end = i;
    out.push({ kind: kind === 'other' && name === 'default' ? 'profile' : kind, name, start: i, end: lines.length });
  });
  return out;
}

function unquote(s: string): string {
  return s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0] ? s.slice(1, -1) : s;
}

/** A line break other than `\n` (which never occurs inside a line) that `.` in a regex would not cross. */
const LINE_BREAK = /[\r\u2028\u2029]/;

/**
 * A top-level `key = value` (or `key: value`) line; indented lines continue the key above.
 * The key is everything before the first `=` or `:`, trailing whitespace removed.
 */
export function keyOf(text: string): { key: string; keyText: string; value: string } | undefined {
  if (!text || /^\s/.test(text) || text[0] === '#' || text[0] === ';') return undefined;
  const eq = text.indexOf('=');
  const colon = text.indexOf(':');
  const at = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
  if (at <= 0) return undefined;
  const keyText = text.slice(0, at).trimEnd();
  const rest = text.slice(at + 1);
  if (!keyText || LINE_BREAK.test(rest)) return undefined;
  return { key: keyText.toLowerCase(), keyText, value: rest.trim() };
}

/** Whether a line holds something other than whitespace or a comment. */
export function isContent(text: string): boolean {
  const t = text.trimStart();
  return t.length > 0 && t[0] !== '#' && t[0] !== ';';
}
