// Which window lists for the machine: a lease file holding the lister's id and a heartbeat. The
// lister renews it every few seconds; a lease whose heartbeat is older than `staleMs`, or whose
// process is gone (same host), is free for another window to take. Taking and renewing happen
// under a lock file (awsFiles/fileLock.ts), so two windows never both believe they hold it.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { withFileLock } from '../awsFiles/fileLock';
import { writeAtomic } from '../awsFiles/files';

interface LeaseFile {
  id: string;
  pid: number;
  host: string;
  beat: number;
}

export interface LeaseOptions {
  /** This window's id. */
  id: string;
  staleMs: number;
  now?: () => number;
}

export class ListingLease {
  private readonly file: string;
  private readonly now: () => number;

  constructor(
    dir: string,
    private readonly o: LeaseOptions,
  ) {
    this.file = path.join(dir, 'lease.json');
    this.now = o.now ?? Date.now;
  }

  /** Whether some live window other than this one holds the lease. */
  async heldByOther(): Promise<boolean> {
    const lease = await this.read();
    return lease !== undefined && lease.id !== this.o.id && this.alive(lease);
  }

  /** Takes the lease when it is free (or stale); `steal` takes it from a live holder (a forced refresh). */
  async acquire(steal = false): Promise<boolean> {
    return this.locked(async () => {
      const lease = await this.read();
      if (lease && lease.id !== this.o.id && this.alive(lease) && !steal) return false;
      await this.write();
      return true;
    });
  }

  /** The heartbeat; false when the lease is no longer ours (taken over), and then nothing is written. */
  async renew(): Promise<boolean> {
    return this.locked(async () => {
      const lease = await this.read();
      if (lease?.id !== this.o.id) return false;
      await this.write();
      return true;
    });
  }

  async release(): Promise<void> {
    await this.locked(async () => {
      if ((await this.read())?.id === this.o.id) await fs.rm(this.file, { force: true });
      return true;
    }).catch(() => undefined);
  }

  private async locked(fn: () => Promise<boolean>): Promise<boolean> {
    try {
      return await withFileLock(`${this.file}.lock`, fn, { timeoutMs: 3_000, staleMs: 5_000 });
    } catch {
      return false; // directory gone (sign-out elsewhere) or the lock stuck: not ours this time
    }
  }

  private alive(lease: LeaseFile): boolean {
    if (this.now() - lease.beat > this.o.staleMs || lease.beat > this.now() + this.o.staleMs) return false;
    if (lease.host !== os.hostname()) return true;
    try {
      process.kill(lease.pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  }

  private async read(): Promise<LeaseFile | undefined> {
    try {
      const l = JSON.parse(await fs.readFile(this.file, 'utf8')) as Partial<LeaseFile>;
      return typeof l.id === 'string' && typeof l.pid === 'number' && typeof l.host === 'string' && typeof l.beat === 'number' ? (l as LeaseFile) : undefined;
    } catch {
      return undefined; // absent or damaged: free
    }
  }

  private async write(): Promise<void> {
    const lease: LeaseFile = { id: this.o.id, pid: process.pid, host: os.hostname(), beat: this.now() };
    await writeAtomic(this.file, JSON.stringify(lease), 0o600);
  }
}
