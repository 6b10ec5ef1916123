// Where the AWS console lands after a federation sign-in (like granted's --console-destination):
// a path on the console host of the role's partition, never another host. Pure, so it is table-tested.
import * as l10n from '@vscode/l10n';
import { FALLBACK_REGION } from '../common/region';

/** The console's own home page (what Open AWS Console opened before destinations existed). */
export const CONSOLE_HOME = '/console/home';

/** Common services, in the order the pick shows them after the recently used ones. */
export const CONSOLE_SERVICES: readonly { label: string; path: string }[] = [
  { label: 'Console Home', path: CONSOLE_HOME },
  { label: 'EC2', path: '/ec2/home' },
  { label: 'S3', path: '/s3/home' },
  { label: 'Lambda', path: '/lambda/home' },
  { label: 'CloudFormation', path: '/cloudformation/home' },
  { label: 'CloudWatch', path: '/cloudwatch/home' },
  { label: 'IAM', path: '/iam/home' },
  { label: 'DynamoDB', path: '/dynamodbv2/home' },
  { label: 'ECS', path: '/ecs/home' },
  { label: 'RDS', path: '/rds/home' },
  { label: 'VPC', path: '/vpc/home' },
  { label: 'CloudTrail', path: '/cloudtrail/home' },
  { label: 'Systems Manager', path: '/systems-manager/home' },
  { label: 'Secrets Manager', path: '/secretsmanager/home' },
  { label: 'SQS', path: '/sqs/home' },
  { label: 'SNS', path: '/sns/home' },
  { label: 'Route 53', path: '/route53/home' },
  { label: 'Billing', path: '/billing/home' },
];

/** A console path is short: the federation URL it travels in must stay far below browsers' limits. */
export const MAX_CONSOLE_PATH = 1024;
const SERVICE_WORD = /^[a-z0-9][a-z0-9-]{0,62}$/i;
const BASE = 'https://console.invalid';

export type ConsolePathCheck = { ok: true; path: string } | { ok: false; error: string };

/**
 * What the user typed, as a path on the console host: `lambda` → `/lambda/home`, `/lambda/home#/functions`
 * as it is. Anything that could name another host (a scheme, `//host`, a backslash, `@`) is refused.
 */
export function checkConsolePath(input: string): ConsolePathCheck {
  const text = input.trim();
  if (!text) return { ok: true, path: CONSOLE_HOME };
  const refuse = (): ConsolePathCheck => ({
    ok: false,
    error: l10n.t({
      message: 'Type a console path such as /lambda/home or a service such as lambda. Other hosts and full URLs are not opened.',
      comment: ['/lambda/home and lambda are examples to keep as they are'],
    }),
  });
  if (text.length > MAX_CONSOLE_PATH) return refuse();
  if (SERVICE_WORD.test(text)) return { ok: true, path: `/${text.toLowerCase()}/home` };
  // Only a rooted path; no control characters, spaces, backslashes (browsers read them as "/") or "@".
  if (!text.startsWith('/') || text.startsWith('//') || /[\s\\@\u0000-\u001f\u007f]/.test(text)) return refuse();
  let url: URL;
  try {
    url = new URL(text, BASE);
  } catch {
    return refuse();
  }
  // "/..//host" normalises to "//host", which a browser would read as another host.
  if (url.origin !== BASE || url.pathname.startsWith('//')) return refuse();
  return { ok: true, path: `${url.pathname}${url.search}${url.hash}` };
}

/** The console host of a region's partition (federation destinations must be on it). */
export function consoleOrigin(region: string): string {
  if (region.startsWith('cn-')) return 'https://console.amazonaws.cn';
  if (region.startsWith('us-gov-')) return 'https://console.amazonaws-us-gov.com';
  return `https://${encodeURIComponent(region)}.console.aws.amazon.com`;
}

/**
 * The console URL to land on: `path` (checked by checkConsolePath) on the region's console host, with
 * `region=` in the query unless the path chose one, fragment kept (e.g. `#/functions`).
 */
export function consoleDestinationUrl(region: string, path: string = CONSOLE_HOME): string {
  const r = region || FALLBACK_REGION;
  const checked = checkConsolePath(path);
  if (!checked.ok) throw new Error(checked.error);
  const origin = consoleOrigin(r);
  const url = new URL(`${origin}${checked.path}`);
  if (url.origin !== origin) throw new Error('console destination left the console host');
  if (!url.searchParams.has('region')) url.search = url.search ? `${url.search}&region=${encodeURIComponent(r)}` : `?region=${encodeURIComponent(r)}`;
  return url.href;
}

/** Recently used paths first (newest first, no repeats, at most `max`). */
export function rememberPath(recent: readonly string[], path: string, max = 5): string[] {
  return [path, ...recent.filter((p) => p !== path && checkConsolePath(p).ok)].slice(0, max);
}
