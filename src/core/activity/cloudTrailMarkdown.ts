// The CloudTrail review as a Markdown document (shown read-only in the Markdown preview, like the
// activity table): the limits first, then the summaries, then each key's events newest first with
// writes and denials marked. Every cell is escaped: event fields come from other people's calls.
import * as l10n from '@vscode/l10n';
import { cell, dateTimeFormatter } from './activityTable';
import { isDenial, type TrailEvent } from './cloudTrailEvents';
import type { KeyReview, RegionResult } from './cloudTrailReview';
import { roleLabel, summarize, type UseCounts } from './cloudTrailSummary';

export interface CloudTrailPage {
  /** What was reviewed, one sentence (the adapter words it: "Credentials handed to terminal …"). */
  scope: string;
  reviews: KeyReview[];
  /** Still asking CloudTrail: say so instead of "no events". */
  loading?: boolean;
  now: number;
  timeZone?: string;
}

export function renderCloudTrailMarkdown(page: CloudTrailPage): string {
  const timeZone = page.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const when = dateTimeFormatter(timeZone);
  const out = [
    l10n.t({ message: '# What these credentials did (CloudTrail)', comment: ['A Markdown heading: keep the leading "# "'] }),
    '',
    cell(page.scope),
    '',
    l10n.t({
      message:
        'CloudTrail lists a call about 5 to 15 minutes after it was made and keeps it for 90 days, so the latest calls may be missing: refresh later to see them. Only management events are listed. Times in {0}.',
      args: [timeZone],
      comment: ['{0}: a time zone name, e.g. Europe/Berlin'],
    }),
    '',
  ];
  if (page.loading) return [...out, l10n.t('Asking CloudTrail…'), ''].join('\n');
  if (page.reviews.length === 0) return [...out, l10n.t('No credentials were handed out for this in the last 90 days.'), ''].join('\n');
  // What kept a role from being reviewed comes first, once per role and region, where it is seen.
  const notices = new Set(
    page.reviews.flatMap((r) =>
      r.regions.filter((x) => x.result.kind === 'denied' || x.result.kind === 'unreachable').map((x) => regionLines(r, x.region, x.result)[0]),
    ),
  );
  for (const notice of notices) out.push(notice, '');
  const { byConsumer, byRole } = summarize(page.reviews);
  out.push(l10n.t({ message: '## Summary', comment: ['A Markdown heading: keep the leading "## "'] }), '');
  out.push(...countsTable(l10n.t({ message: 'Consumer', comment: ['Summary table column: what received the credentials'] }), byConsumer), '');
  out.push(...countsTable(l10n.t({ message: 'Role', comment: ['Summary table column'] }), byRole), '');
  out.push(l10n.t('A key handed to several consumers counts for each of them: CloudTrail cannot tell them apart.'), '');
  for (const review of page.reviews) out.push(...keySection(review, when));
  return out.join('\n');
}

function countsTable(first: string, rows: Map<string, UseCounts>): string[] {
  const head = [
    first,
    l10n.t({ message: 'Calls', comment: ['Summary table column'] }),
    l10n.t({ message: 'Writes', comment: ['Summary table column: calls that change something'] }),
    l10n.t({ message: 'Denied', comment: ['Summary table column: calls refused for lack of permission'] }),
    l10n.t({ message: 'Failed', comment: ['Summary table column: calls that returned an error'] }),
  ].map(cell);
  return [
    `| ${head.join(' | ')} |`,
    '|---|---:|---:|---:|---:|',
    // Not looked up at all (denied, unreachable): a dash, not a reassuring zero.
    ...[...rows].map(([name, c]) => `| ${cell(name)} | ${(c.reviewed ? [c.calls, c.writes, c.denied, c.failed] : ['—', '—', '—', '—']).join(' | ')} |`),
  ];
}

function keySection(review: KeyReview, when: (ms: number) => string): string[] {
  const out = [`### \`${review.accessKeyId}\` ${cell(roleLabel(review))}`, ''];
  out.push(
    cell(
      l10n.t({
        message: 'Handed to {0}; first seen {1}, expires {2}.',
        args: [review.consumers.join(', '), when(review.firstAt), when(review.expiresAt)],
        comment: ['{0}: what received the key, e.g. terminal "AWS: Sandbox/Admin"; {1}, {2}: date and time'],
      }),
    ),
    '',
  );
  for (const r of review.regions) {
    out.push(...regionLines(review, r.region, r.result, when), '');
    out.push(
      `_${cell(
        r.cached
          ? l10n.t({ message: 'Asked CloudTrail at {0} (kept from then; refresh to ask again).', args: [when(r.fetchedAt)], comment: ['{0}: date and time'] })
          : l10n.t({ message: 'Asked CloudTrail at {0}.', args: [when(r.fetchedAt)], comment: ['{0}: date and time'] }),
      )}_`,
      '',
    );
  }
  return out;
}

function regionLines(h: KeyReview, region: string, result: RegionResult, when: (ms: number) => string = String): string[] {
  const role = roleLabel(h);
  if (result.kind === 'denied')
    return [
      `**${cell(
        l10n.t({
          message:
            'The role {0} may not read CloudTrail in {1}: it needs the permission cloudtrail:LookupEvents. Ask your administrator to add it to the permission set, or review this key in the CloudTrail console with a role that has it.',
          args: [role, region],
          comment: ['{0}: account and role; {1}: an AWS region; cloudtrail:LookupEvents is an IAM permission name'],
        }),
      )}**`,
    ];
  if (result.kind === 'unreachable')
    return [
      cell(
        l10n.t({
          message: 'The role {0} cannot be reached any more, so its CloudTrail events cannot be looked up from here: {1}',
          args: [role, result.reason],
          comment: ['{0}: account and role; {1}: why (a sentence or an error name)'],
        }),
      ),
    ];
  if (result.kind === 'failed')
    return [
      cell(
        l10n.t({
          message: 'CloudTrail in {0} did not answer ({1}). Refresh to try again.',
          args: [region, result.reason],
          comment: ['{0}: an AWS region; {1}: an error name'],
        }),
      ),
    ];
  if (result.events.length === 0)
    return [
      cell(
        l10n.t({
          message: 'No events in {0} yet. Calls show up about 5 to 15 minutes after they are made; calls made in other regions are not listed here.',
          args: [region],
          comment: ['{0}: an AWS region'],
        }),
      ),
    ];
  const head = [
    l10n.t({ message: 'Time', comment: ['CloudTrail table column'] }),
    l10n.t({ message: 'Event', comment: ['CloudTrail table column: service and API action'] }),
    l10n.t({ message: 'Kind', comment: ['CloudTrail table column: read or write'] }),
    l10n.t({ message: 'Result', comment: ['CloudTrail table column'] }),
    l10n.t({ message: 'Resources', comment: ['CloudTrail table column'] }),
    l10n.t({ message: 'Source IP', comment: ['CloudTrail table column'] }),
    l10n.t({ message: 'Client', comment: ['CloudTrail table column: the program that made the call (its user agent)'] }),
  ].map(cell);
  const rows = result.events.map((e) => `| ${eventCells(e, when).join(' | ')} |`);
  const cut = result.truncated
    ? ['', cell(l10n.t({ message: 'Only the newest {0} events are listed.', args: [result.events.length], comment: ['{0}: a number of events'] }))]
    : [];
  const intro = cell(l10n.t({ message: 'Calls in {0}, newest first:', args: [region], comment: ['{0}: an AWS region'] }));
  return [intro, '', `| ${head.join(' | ')} |`, '|---|---|---|---|---|---|---|', ...rows, ...cut];
}

function eventCells(e: TrailEvent, when: (ms: number) => string): string[] {
  const kind =
    e.readOnly === false
      ? `**${cell(l10n.t({ message: 'write', comment: ['CloudTrail table, Kind column: the call changed something'] }))}**`
      : e.readOnly === true
        ? cell(l10n.t({ message: 'read', comment: ['CloudTrail table, Kind column'] }))
        : '';
  const result = !e.errorCode
    ? cell(l10n.t({ message: 'ok', comment: ['CloudTrail table, Result column: the call succeeded'] }))
    : isDenial(e.errorCode)
      ? `**${cell(l10n.t({ message: 'denied ({0})', args: [e.errorCode], comment: ['CloudTrail table, Result column; {0}: an error code such as AccessDenied'] }))}**`
      : cell(l10n.t({ message: '✖ failed ({0})', args: [e.errorCode], comment: ['CloudTrail table, Result column; {0}: an error code'] }));
  return [
    cell(when(e.time)),
    cell(`${e.source.replace(/\.amazonaws\.com$/, '')}:${e.name}`),
    kind,
    result,
    // An ARN's resource part ("table/orders") is what a reviewer reads; the account and region are above.
    cell(e.resources.map((r) => r.split(':').slice(5).join(':') || r).join(', ')),
    cell(e.sourceIp ?? ''),
    // The program and its version ("aws-cli/1.45.11"); the rest of a user agent is platform detail.
    cell(e.userAgent?.split(' ')[0] ?? ''),
  ];
}
