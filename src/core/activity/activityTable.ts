// The activity log as a Markdown table (shown read-only in the Markdown preview by the adapter).
import * as l10n from '@vscode/l10n';
import { formatRelative } from '../common/format';
import type { ActivityEntry } from './activityEntry';

/** The log as a Markdown document: heading, one line of explanation, a table (or a sentence if empty). */
export function renderActivityMarkdown(entries: ActivityEntry[], opts: { now: number; timeZone?: string }): string {
  const timeZone = opts.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const when = dateTimeFormatter(timeZone);
  const head = [
    l10n.t({ message: '# AWS credential activity', comment: ['A Markdown heading: keep the leading "# "'] }),
    '',
    l10n.t({
      message:
        'Temporary credentials this extension issued or served, newest first (times in {0}). No secrets are kept: match the access key ids in CloudTrail to review what they were used for.',
      args: [timeZone],
      comment: ['{0}: a time zone name, e.g. Europe/Berlin'],
    }),
    '',
  ];
  if (entries.length === 0)
    return [
      ...head,
      l10n.t(
        'No credentials have been issued yet. Use a role (switch role, open a terminal, copy credentials or open the console) and it will be listed here.',
      ),
      '',
    ].join('\n');
  const rows = entries.map((e) => {
    const expires =
      e.expiresAt <= opts.now
        ? l10n.t({ message: '{0} (expired)', args: [when(e.expiresAt)], comment: ['{0}: date and time'] })
        : `${when(e.expiresAt)} (${formatRelative(e.expiresAt - opts.now)})`;
    const cells = [
      when(e.at),
      e.accountName ? `${e.accountName} (${e.accountId})` : e.accountId,
      e.chain ? `${e.roleName} → ${e.chain}` : e.roleName,
      e.consumer,
      e.event === 'issued'
        ? l10n.t({ message: 'issued', comment: ['Activity table, Event column: AWS issued these credentials'] })
        : l10n.t({ message: 'served', comment: ['Activity table, Event column: the extension handed these credentials to a consumer'] }),
      expires,
    ].map(cell);
    return `| ${cells.join(' | ')} | \`${e.accessKeyId}\` |`;
  });
  const columns = [
    l10n.t({ message: 'Time', comment: ['Activity table column'] }),
    l10n.t({ message: 'Account', comment: ['Activity table column'] }),
    l10n.t({ message: 'Role', comment: ['Activity table column'] }),
    l10n.t({ message: 'Consumer', comment: ['Activity table column: what received the credentials'] }),
    l10n.t({ message: 'Event', comment: ['Activity table column'] }),
    l10n.t({ message: 'Expires', comment: ['Activity table column'] }),
    l10n.t({ message: 'Access key id', comment: ['Activity table column'] }),
  ].map(cell);
  return [...head, `| ${columns.join(' | ')} |`, '|---|---|---|---|---|---|---|', ...rows, ''].join('\n');
}

/** A table cell: one line, with Markdown's table and inline syntax characters escaped. */
export function cell(value: string): string {
  return value.replace(/\r\n|\r|\n/g, ' ').replace(/[\\|`*<>[\]]/g, (c) => `\\${c}`);
}

/** "2025-01-02 14:03:05" in `timeZone`: sortable, and stable in tests. */
export function dateTimeFormatter(timeZone: string): (ms: number) => string {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  return (ms) => {
    const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
  };
}
