// The files of the listing shared by every window of this machine, one directory per portal:
//   snapshot.json   the whole listing at some point (written atomically by the listing window),
//                   naming the journal that continues it;
//   j-<id>.jsonl    an append-only journal of what was listed since: one JSON record per line.
// A page of accounts or one account's roles is one short line, so 10,000 accounts never rewrite
// megabytes per page. Readers keep an offset and take whole lines only; a damaged line, a torn last
// line, a missing or unreadable file yield less, never an error. No secrets are ever written here.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeAtomic } from '../awsFiles/files';
import { parseListing, parseRecord, type CachedListing, type ListingRecord } from './listingState';
import { portalId } from '../common/model';

const SNAPSHOT = 'snapshot.json';
const FIRST_JOURNAL = 'j-000000000000.jsonl';
const JOURNAL_NAME = /^j-[0-9a-f]{12}\.jsonl$/;
/** Never read more than this of a journal at once (a runaway file must not fill memory). */
const MAX_READ = 8 * 1024 * 1024;

/** The directory of one portal's shared listing: same portal (validate.ts sameStartUrl), same directory. */
export function listingDir(root: string, startUrl: string): string {
  // One directory per portal: the same normalised start URL the sign-ins are keyed by.
  return path.join(root, 'listing', createHash('sha256').update(portalId(startUrl)).digest('hex').slice(0, 16));
}

export interface SharedSnapshot {
  listing: CachedListing;
  /** The journal that continues it. */
  journal: string;
  /** A listing pass was under way when it was written. */
  passOpen: boolean;
}

export interface JournalEntry {
  writer: string;
  record: ListingRecord;
}

/** Where a reader is: which journal, how far, and a torn last line kept until its end arrives. */
export interface JournalTail {
  journal: string;
  offset: number;
  rest: string;
}

export class ListingFiles {
  constructor(readonly dir: string) {}

  get firstJournal(): string {
    return FIRST_JOURNAL;
  }

  async ensureDir(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
  }

  /** A cheap signature of the snapshot file, to re-read it only when it changed. */
  async snapshotSignature(): Promise<string | undefined> {
    try {
      const s = await fs.stat(path.join(this.dir, SNAPSHOT));
      return `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch {
      return undefined;
    }
  }

  async readSnapshot(): Promise<SharedSnapshot | undefined> {
    try {
      const raw = JSON.parse(await fs.readFile(path.join(this.dir, SNAPSHOT), 'utf8')) as Record<string, unknown>;
      const listing = parseListing(raw);
      const journal = typeof raw.journal === 'string' && JOURNAL_NAME.test(raw.journal) ? raw.journal : undefined;
      return listing && journal ? { listing, journal, passOpen: raw.passOpen === true } : undefined;
    } catch {
      return undefined; // absent, torn by a crash mid-copy, or not ours: as if there were none
    }
  }

  /** Starts a new journal and points a new snapshot at it; returns the new journal's name. */
  async writeSnapshot(listing: CachedListing, passOpen: boolean): Promise<string> {
    const journal = `j-${randomBytes(6).toString('hex')}.jsonl`;
    await fs.writeFile(path.join(this.dir, journal), '', { mode: 0o600, flag: 'wx' });
    await writeAtomic(path.join(this.dir, SNAPSHOT), JSON.stringify({ ...listing, journal, passOpen }), 0o600);
    return journal;
  }

  /** Appends records as whole lines, in one write (O_APPEND: concurrent appenders never overwrite each other). */
  async append(journal: string, writer: string, records: ListingRecord[]): Promise<void> {
    if (records.length === 0) return;
    const text = records.map((record) => JSON.stringify({ w: writer, r: record })).join('\n') + '\n';
    await fs.appendFile(path.join(this.dir, journal), text, { mode: 0o600 });
  }

  /** New whole lines of the journal since `tail`, and where the reader is now. */
  async readJournal(tail: JournalTail): Promise<{ entries: JournalEntry[]; tail: JournalTail }> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(path.join(this.dir, tail.journal), 'r');
    } catch {
      return { entries: [], tail };
    }
    try {
      const { size } = await handle.stat();
      // Shorter than what was read: not the file we were reading; start again from its top.
      const offset = size < tail.offset ? 0 : tail.offset;
      const rest = size < tail.offset ? '' : tail.rest;
      const length = Math.min(size - offset, MAX_READ);
      if (length <= 0) return { entries: [], tail: { journal: tail.journal, offset, rest } };
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      const text = rest + buffer.toString('utf8', 0, bytesRead);
      const lines = text.split('\n');
      const torn = lines.pop() ?? '';
      return {
        entries: lines.map(parseLine).filter((e): e is JournalEntry => e !== undefined),
        tail: { journal: tail.journal, offset: offset + bytesRead, rest: torn },
      };
    } finally {
      await handle.close();
    }
  }

  /** Removes journals other than `keep` (older snapshots' journals; readers moved on). */
  async pruneJournals(keep: string[]): Promise<void> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    await Promise.all(names.filter((n) => JOURNAL_NAME.test(n) && !keep.includes(n)).map((n) => fs.rm(path.join(this.dir, n), { force: true })));
  }

  /** Everything of this portal's listing (sign-out). */
  async remove(): Promise<void> {
    // A write still landing from the listing just stopped can refill the folder: rm retries then.
    await fs.rm(this.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  }
}

function parseLine(line: string): JournalEntry | undefined {
  if (line.length === 0) return undefined;
  try {
    const raw = JSON.parse(line) as { w?: unknown; r?: unknown };
    const record = parseRecord(raw.r);
    return typeof raw.w === 'string' && record ? { writer: raw.w, record } : undefined;
  } catch {
    return undefined;
  }
}
