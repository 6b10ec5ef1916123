// One listing per machine, shared by every window (sharedListingFiles.ts for the files, the lease
// in sharedListingLease.ts). The window holding the lease lists (catalog.update or refresh) and
// writes what it finds as it finds it; the others apply it to their catalogs as it arrives
// (fs.watch, and a slow poll where watching is unreliable) and list nothing in the background.
// A window started later begins from the snapshot and the journal. When the lister's heartbeat
// goes stale mid-pass, another window takes the lease and continues: the freshness rule skips
// what was already listed. A user's own look-up in any window (an expanded account) is written too.
import { randomBytes } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import type { Disposable } from '../common/events';
import { Logger, silentLogger } from '../common/log';
import type { AccountCatalog } from './catalog';
import type { ListingRecord } from './listingState';
import { ListingFiles, listingDir, type JournalTail } from './sharedListingFiles';
import { ListingLease } from './sharedListingLease';

export interface SharedListingOptions {
  /** Machine-wide directory (the extension's globalStorage: shared by every window). */
  root: string;
  startUrl: string;
  catalog: AccountCatalog;
  log?: Logger;
  /** How often the lister renews its lease, and after how long without it the lease is free. */
  heartbeatMs?: number;
  staleMs?: number;
  /** Poll for changes this often even when fs.watch reports nothing. */
  pollMs?: number;
  /** Records are written at most this long after they were found. */
  flushMs?: number;
}

export class SharedListing implements Disposable {
  readonly id = randomBytes(6).toString('hex');
  private readonly files: ListingFiles;
  private readonly lease: ListingLease;
  private readonly log: Logger;
  private readonly catalog: AccountCatalog;
  private tail: JournalTail;
  /**
   * The journal this window left at the last compaction, still read: another window may have appended
   * to it before it saw the new snapshot (an expanded account's roles), or after this window last read it.
   */
  private leftTail: JournalTail | undefined;
  private snapshotSeen: string | undefined;
  private passOpen = false;
  private leading = false;
  private acquiring = false;
  private passes = 0;
  private queued: ListingRecord[] = [];
  private writing: Promise<void> = Promise.resolve();
  private ticking: Promise<void> | undefined;
  private again = false;
  private watcher: FSWatcher | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  private readonly unsubscribe: Disposable;

  constructor(private readonly o: SharedListingOptions) {
    this.files = new ListingFiles(listingDir(o.root, o.startUrl));
    this.lease = new ListingLease(this.files.dir, { id: this.id, staleMs: o.staleMs ?? 10_000 });
    this.log = o.log ?? silentLogger;
    this.catalog = o.catalog;
    this.tail = { journal: this.files.firstJournal, offset: 0, rest: '' };
    this.unsubscribe = this.catalog.onDidRecord((r) => this.onRecord(r));
    this.catalog.setLister(this);
  }

  /** True while this window is the one listing. */
  get isLister(): boolean {
    return this.leading;
  }

  /** Settles once start() has listed, or found another window listing or nothing due. */
  ready: Promise<void> | undefined;

  /** Shows the shared listing, then lists what is due if no other window is listing. */
  start(): Promise<void> {
    this.ready ??= this.begin();
    return this.ready;
  }

  private async begin(): Promise<void> {
    await this.files.ensureDir();
    await this.sync();
    this.follow();
    if (this.passOpen && (await this.lease.heldByOther())) return this.log.info('[accounts] following the listing of another window');
    if (this.passOpen || this.catalog.needsUpdate()) await this.lead(false);
    else this.log.info(`[accounts] shared listing is fresh (${this.catalog.accounts.length} accounts): nothing to list`);
  }

  /** Refresh Accounts: this window lists everything, taking over from any other lister. */
  async refresh(): Promise<void> {
    await this.files.ensureDir();
    await this.lead(true);
  }

  /** Sign-out: the listing is forgotten on this machine. */
  async remove(): Promise<void> {
    this.stop();
    await this.files.remove().catch(() => undefined);
  }

  dispose(): void {
    this.stop();
    this.catalog.setLister(undefined);
    this.unsubscribe.dispose();
  }

  // --- internals ---

  private stop(): void {
    this.disposed = true;
    this.watcher?.close();
    this.timers.forEach(clearInterval);
    clearTimeout(this.flushTimer);
    if (this.leading) {
      this.leading = false;
      this.catalog.stopListing();
      void this.flush().then(() => this.lease.release());
    }
  }

  private follow(): void {
    try {
      this.watcher = watch(this.files.dir, { persistent: false }, () => this.tick());
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // no watching here (some remote file systems): the poll below is enough
    }
    this.timers.push(setInterval(() => this.tick(), this.o.pollMs ?? 1_000));
    this.timers.push(setInterval(() => void this.heartbeat(), this.o.heartbeatMs ?? 2_000));
    this.timers.forEach((t) => t.unref?.());
  }

  private async lead(force: boolean): Promise<void> {
    if (this.acquiring || (this.leading && !force)) return;
    this.acquiring = true;
    const got = await this.lease.acquire(force).finally(() => (this.acquiring = false));
    if (!got || this.disposed) return this.log.info('[accounts] another window is listing; following it');
    this.leading = true;
    this.passOpen = true;
    const pass = ++this.passes;
    this.log.info(`[accounts] this window lists for the machine (${force ? 'everything' : 'what is due'})`);
    try {
      await this.catalog.runPass(force);
    } finally {
      // Still ours, and not replaced by a newer pass here (Refresh during a listing).
      if (this.leading && pass === this.passes) {
        this.leading = false;
        this.passOpen = false;
        this.queued.push({ kind: 'done', at: Date.now() });
        await this.compact(false);
        await this.lease.release();
      }
    }
  }

  private async heartbeat(): Promise<void> {
    if (this.disposed) return;
    if (this.leading) {
      if (await this.lease.renew()) return;
      this.log.info('[accounts] another window took over the listing');
      this.leading = false;
      this.catalog.stopListing();
      return;
    }
    // The lister stopped mid-pass (window closed, crashed, asleep): continue where it stopped.
    if (this.passOpen && !(await this.lease.heldByOther())) void this.lead(false);
  }

  private onRecord(record: ListingRecord): void {
    if (this.disposed) return;
    // A lister writes everything; another window only what its user asked for (an expanded account).
    if (!this.leading && record.kind !== 'roles') return;
    this.queued.push(record);
    if (record.kind === 'accountsDone') void this.compact(true);
    else this.flushTimer ??= setTimeout(() => void this.flush(), this.o.flushMs ?? 200);
  }

  /** Writes queued records, in order, one append at a time. */
  private flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const records = this.queued;
    this.queued = [];
    this.writing = this.writing.then(() => this.files.append(this.tail.journal, this.id, records)).catch((e) => this.writeFailed(e));
    return this.writing;
  }

  /** A new snapshot of everything, and a fresh journal after it (at the end of the account pages and of a pass). */
  private compact(passOpen: boolean): Promise<void> {
    void this.flush();
    this.writing = this.writing
      .then(async () => {
        const previous = this.tail.journal;
        const journal = await this.files.writeSnapshot(this.catalog.snapshot(this.o.startUrl), passOpen);
        this.snapshotSeen = await this.files.snapshotSignature();
        this.moveTo(journal);
        await this.files.pruneJournals([previous, journal]);
      })
      .catch((e) => this.writeFailed(e));
    return this.writing;
  }

  private writeFailed(e: unknown): void {
    this.log.warn(`[accounts] could not write the shared listing (${(e as NodeJS.ErrnoException).code ?? (e as Error).name})`);
  }

  /** Coalesced: one sync at a time, and one more if something changed meanwhile. */
  private tick(): void {
    if (this.disposed) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = this.sync()
      .catch((e) => this.log.trace(`[accounts] shared listing read failed (${(e as Error).name})`))
      .finally(() => {
        this.ticking = undefined;
        if (this.again) {
          this.again = false;
          this.tick();
        }
      });
  }

  /** Applies what other windows wrote since the last look. */
  private async sync(): Promise<void> {
    await this.writing;
    const signature = await this.files.snapshotSignature();
    if (signature !== undefined && signature !== this.snapshotSeen) {
      const snapshot = await this.files.readSnapshot();
      this.snapshotSeen = signature;
      if (snapshot && snapshot.listing.startUrl.trim().replace(/\/+$/, '') === this.o.startUrl.trim().replace(/\/+$/, '')) {
        if (!this.leading) this.catalog.restore(snapshot.listing, true);
        this.passOpen = snapshot.passOpen;
        this.moveTo(snapshot.journal);
      }
    }
    const from = this.tail;
    const { entries, tail } = await this.files.readJournal(from);
    // A compaction meanwhile moved this window to a new journal: stay there.
    if (this.tail === from) this.tail = tail;
    for (const { writer, record } of entries) {
      if (record.kind === 'pass') this.passOpen = true;
      else if (record.kind === 'done') this.passOpen = false;
      if (writer !== this.id) this.catalog.apply(record);
    }
    // Late lines of the journal left behind: other windows' records only (its pass markers are history).
    const left = this.leftTail;
    if (!left) return;
    const late = await this.files.readJournal(left);
    if (this.leftTail === left) this.leftTail = late.tail;
    for (const { writer, record } of late.entries) if (writer !== this.id && record.kind !== 'pass' && record.kind !== 'done') this.catalog.apply(record);
  }

  /** Reads `journal` from its top from now on, and what is still to come in the one left. */
  private moveTo(journal: string): void {
    if (journal !== this.tail.journal) this.leftTail = this.tail;
    this.tail = { journal, offset: 0, rest: '' };
  }
}
