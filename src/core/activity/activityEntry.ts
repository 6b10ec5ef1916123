// What the activity record holds: one secret-free entry per credential issuance or hand-out, how
// credentials map to one, and the whitelist every entry passes (on record and on read).
import type { RoleCredentialsSecret } from '../common/model';
import { oneLineLabel } from '../common/labels';

export interface ActivityEntry {
  /** Epoch ms. */
  at: number;
  accountId: string;
  accountName?: string;
  roleName: string;
  /** Name of the chained role assumed from roleName, if any. */
  chain?: string;
  /** Epoch ms. */
  expiresAt: number;
  /** Not secret; lets the user match CloudTrail events. */
  accessKeyId: string;
  /**
   * Who got them: for "issued", where they came from ("IAM Identity Center portal", "STS AssumeRole");
   * for "served", what received them ("terminals (active role endpoint)", 'terminal "AWS: Sandbox/Admin"',
   * "new terminals (environment variables)", "copied to clipboard", "AWS console").
   */
  consumer: string;
  event: 'issued' | 'served';
}

/** The entry for credentials handed out: a chained role is recorded under its source role, named by its chain. */
export function credentialActivity(
  creds: RoleCredentialsSecret,
  consumer: string,
  event: ActivityEntry['event'],
  accountName?: (accountId: string) => string | undefined,
): Omit<ActivityEntry, 'at'> {
  const accountId = creds.via?.accountId ?? creds.accountId;
  return {
    accountId,
    accountName: accountName?.(accountId),
    roleName: creds.via?.roleName ?? creds.roleName,
    chain: creds.chainName,
    expiresAt: creds.expiration,
    accessKeyId: creds.accessKeyId,
    consumer,
    event,
  };
}

/** What records credential hand-outs: `issued` for each fetch (by where it came from), `served` for each consumer. */
export interface CredentialActivityRecorder {
  issued(creds: RoleCredentialsSecret): void;
  served(creds: RoleCredentialsSecret, consumer: string): void;
}

export function credentialActivityRecorder(
  log: { record(entry: Omit<ActivityEntry, 'at'>): void },
  accountName?: (accountId: string) => string | undefined,
): CredentialActivityRecorder {
  return {
    issued: (creds) => log.record(credentialActivity(creds, creds.via ? 'STS AssumeRole' : 'IAM Identity Center portal', 'issued', accountName)),
    served: (creds, consumer) => log.record(credentialActivity(creds, consumer, 'served', accountName)),
  };
}

/**
 * Copies only the whitelisted fields, checked by type: a credentials object passed here by
 * mistake (or a hand-edited file line) can never put a secret on disk or on screen.
 */
export function sanitize(raw: unknown): ActivityEntry | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  // Names others chose (launch configurations, servers): one bounded line, cut rather than dropped.
  const text = (v: unknown, max: number): string | undefined => (typeof v === 'string' && oneLineLabel(v, max)) || undefined;
  const time = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const at = time(r.at);
  const expiresAt = time(r.expiresAt);
  const accountId = text(r.accountId, 64);
  const roleName = text(r.roleName, 128);
  const consumer = text(r.consumer, 200);
  // Access key ids are upper-case letters and digits; a secret key (mixed case, / and +) never is.
  const accessKeyId = typeof r.accessKeyId === 'string' && /^[A-Z0-9]{16,128}$/.test(r.accessKeyId) ? r.accessKeyId : undefined;
  const event = r.event === 'issued' || r.event === 'served' ? r.event : undefined;
  if (at === undefined || expiresAt === undefined || !accountId || !roleName || !consumer || !accessKeyId || !event) return undefined;
  const entry: ActivityEntry = { at, accountId, roleName, expiresAt, accessKeyId, consumer, event };
  const accountName = text(r.accountName, 256);
  const chain = text(r.chain, 256);
  if (accountName) entry.accountName = accountName;
  if (chain) entry.chain = chain;
  return entry;
}
