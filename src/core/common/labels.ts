// Names other people choose (launch configuration names, terminal names, account and role names a
// server sends) end up in the activity log, the output log and messages. There they must stay one
// bounded line of visible text: no line breaks to start a forged log line, no control or bidi
// characters to make one entry read as another, no length that gets an entry dropped.

/** Longest label kept; longer ones are cut with an ellipsis (never dropped). */
export const MAX_LABEL_LENGTH = 120;

/**
 * Control characters (C0, C1), line and paragraph separators, and invisible format characters
 * (zero-width, bidi embeddings, overrides and isolates, the BOM, soft hyphen).
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]+/g;

/** One line of visible text, at most `max` characters; '' stays ''. */
export function oneLineLabel(value: unknown, max = MAX_LABEL_LENGTH): string {
  const text = String(value ?? '')
    .replace(INVISIBLE, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= max) return text;
  // Cut on a code point boundary so no half surrogate is left.
  return `${Array.from(text)
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

/** What received a debug session's credentials, as the activity log and output log name it. */
export function debugConsumer(name: unknown, type: unknown): string {
  return `debug session "${oneLineLabel(name, 80) || oneLineLabel(type, 40) || 'unnamed'}"`;
}
