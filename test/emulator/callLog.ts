// Record of every request. Holds identifiers (access key ids, account ids)
// but never secret values, so tests can dump it freely.
import type { FaultKind, Operation, PageOperation } from './options';

export interface CallEntry {
  /** ms since the emulator started */
  t: number;
  operation: Operation | PageOperation | 'Unknown';
  status: number; // 0 when the fault was a reset or stall
  errorType?: string;
  fault?: FaultKind;
  grantType?: string;
  clientId?: string;
  accessKeyId?: string;
  expiredKey?: boolean;
  accountId?: string;
  roleName?: string;
  userCode?: string;
  userAgent?: string;
  /** AssumeRole parameters as sent (the MFA code is single-use, not a secret). */
  roleArn?: string;
  roleSessionName?: string;
  externalId?: string;
  sourceIdentity?: string;
  serialNumber?: string;
  tokenCode?: string;
  durationSeconds?: number;
  /** AssumeRole's session policy as sent, and its managed policy ARNs (PolicyArns.member.N.arn). */
  policy?: string;
  policyArns?: string[];
  /** The federation login step: the request target as received (SigninToken masked), and its Destination decoded. */
  requestTarget?: string;
  destination?: string;
}

export interface CallFilter {
  operation?: string;
  /** only entries with t >= since */
  since?: number;
}

export class CallLog {
  private entries: CallEntry[] = [];
  constructor(private readonly startedAt: number) {}

  elapsed(): number {
    return Date.now() - this.startedAt;
  }

  add(entry: Omit<CallEntry, 't'>): CallEntry {
    const e: CallEntry = { t: this.elapsed(), ...entry };
    this.entries.push(e);
    return e;
  }

  list(filter: CallFilter = {}): CallEntry[] {
    return this.entries
      .filter((e) => (filter.operation === undefined || e.operation === filter.operation) && (filter.since === undefined || e.t >= filter.since))
      .map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}
