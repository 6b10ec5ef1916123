// Issue 28's benchmark: 200 hand-outs reviewed in CloudTrail under LookupEvents' limit of 2 calls
// per second per account and region (the emulator enforces it, with its latency per call). Ours
// (reviewHandouts: one pacer per account and region, throttling backed off) against a naive
// baseline (every key at once, the SDK's own retries) and the lower bound (calls ÷ 2 per second,
// in the busiest account). The keys' events are made by real signed STS calls, not seeded.
import { CloudTrailClient, paginateLookupEvents } from '@aws-sdk/client-cloudtrail';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CloudTrailCache } from '../src/core/activity/cloudTrailCache';
import { LOOKUP_RATE_PER_SEC, LookupPacers } from '../src/core/activity/cloudTrailLookup';
import { reviewHandouts, type Handout } from '../src/core/activity/cloudTrailReview';
import type { RoleCredentialsSecret } from '../src/core/common/model';
import { Emulator } from '../test/emulator/server';
import { handoutOf, roleKey } from '../test/support/cloudTrailFixtures';
import { fmt, markdown } from './report';

const REGION = 'us-east-1';
const PAGE = 50;

export interface TrailRow {
  scenario: string;
  keys: number;
  ms: number;
  calls: number;
  throttled: number;
  /** Keys whose events were all found; fewer means the scenario gave up on some. */
  complete: number;
  vsLowerBound?: number;
}

const sdkCredentials = (c: RoleCredentialsSecret) => ({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken });

/** `keys` hand-outs over `accounts` accounts; every third key has more than a page of events. */
export async function cloudTrailSection(opts: {
  keys: number;
  accounts: number;
  latencyMs: number;
  progress: (m: string) => void;
}): Promise<{ rows: TrailRow[]; table: string }> {
  const em = await Emulator.start({ accounts: opts.accounts, specialCases: false });
  const saved = process.env.AWS_ENDPOINT_URL_CLOUDTRAIL;
  const savedSts = process.env.AWS_ENDPOINT_URL_STS;
  process.env.AWS_ENDPOINT_URL_CLOUDTRAIL = em.url;
  process.env.AWS_ENDPOINT_URL_STS = em.url;
  try {
    const accounts = em.accounts().map((a) => a.accountId);
    const keys = Array.from({ length: opts.keys }, (_, i) => ({
      creds: roleKey(em, accounts[i % accounts.length], 'Developer'),
      events: i % 3 === 0 ? 60 : 5,
    }));
    opts.progress(`CloudTrail: ${keys.length} keys make ${keys.reduce((n, k) => n + k.events, 0)} signed calls…`);
    await makeCalls(keys);
    em.configure({ latencyMs: opts.latencyMs });
    const perAccount = new Map<string, number>();
    for (const k of keys) perAccount.set(k.creds.accountId, (perAccount.get(k.creds.accountId) ?? 0) + Math.max(1, Math.ceil(k.events / PAGE)));
    const boundCalls = [...perAccount.values()].reduce((a, b) => a + b, 0);
    // One account's calls go at 2 per second (the first two in the first instant); accounts run side by side.
    const boundMs = Math.max(...[...perAccount.values()].map((n) => ((n - 1) / LOOKUP_RATE_PER_SEC) * 1000)) + opts.latencyMs;
    const handouts = keys.map((k) => handoutOf(k.creds, 'bench'));
    const expected = new Map(keys.map((k) => [k.creds.accessKeyId, k.events]));
    const byKey = new Map(keys.map((k) => [k.creds.accessKeyId, k.creds]));

    const rows: TrailRow[] = [];
    const measure = async (scenario: string, run: () => Promise<Map<string, number>>) => {
      em.clearCalls();
      opts.progress(`CloudTrail: ${scenario}…`);
      const started = performance.now();
      const found = await run();
      const ms = performance.now() - started;
      const calls = em.calls({ operation: 'LookupEvents' });
      const row: TrailRow = {
        scenario,
        keys: keys.length,
        ms,
        calls: calls.length,
        throttled: calls.filter((c) => c.errorType === 'ThrottlingException').length,
        complete: [...expected].filter(([key, n]) => found.get(key) === n).length,
        vsLowerBound: ms / boundMs,
      };
      opts.progress(`  ${fmt.ms(ms)}, ${row.calls} calls, ${row.throttled} throttled, ${row.complete}/${keys.length} keys complete`);
      rows.push(row);
      await new Promise((r) => setTimeout(r, 1_500)); // the buckets fill up again before the next scenario
    };
    await measure('ours: paced per account and region', async () => {
      const reviews = await reviewHandouts(handouts, {
        credentials: async (h: Handout) => byKey.get(h.accessKeyId)!,
        regions: () => [REGION],
        cache: new CloudTrailCache(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'awsidc-bench-trail-')), 'cache.json')),
        pacers: new LookupPacers(),
        refresh: true,
        lookup: { maxEvents: 1000 },
      });
      return new Map(reviews.map((r) => [r.accessKeyId, r.regions[0].result.kind === 'events' ? r.regions[0].result.events.length : -1]));
    });
    await measure('baseline: every key at once, SDK retries', async () => {
      const found = new Map<string, number>();
      await Promise.all(
        keys.map(async (k) => {
          const client = new CloudTrailClient({ region: REGION, credentials: sdkCredentials(k.creds) });
          let n = 0;
          try {
            for await (const page of paginateLookupEvents(
              { client, pageSize: PAGE },
              { LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: k.creds.accessKeyId }] },
            ))
              n += page.Events?.length ?? 0;
            found.set(k.creds.accessKeyId, n);
          } catch {
            found.set(k.creds.accessKeyId, -1);
          } finally {
            client.destroy();
          }
        }),
      );
      return found;
    });
    rows.push({
      scenario: 'lower bound: calls ÷ 2/s in the busiest account',
      keys: keys.length,
      ms: boundMs,
      calls: boundCalls,
      throttled: 0,
      complete: keys.length,
    });
    const table = markdown(
      ['scenario', 'keys', 'time', 'LookupEvents calls', 'throttled', 'keys complete', 'vs lower bound'],
      rows.map((r) => [
        r.scenario,
        String(r.keys),
        fmt.ms(r.ms),
        String(r.calls),
        String(r.throttled),
        `${r.complete}/${r.keys}`,
        r.vsLowerBound === undefined ? '—' : `${r.vsLowerBound.toFixed(2)}×${r.complete < r.keys ? ' (incomplete)' : ''}`,
      ]),
    );
    return { rows, table };
  } finally {
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_CLOUDTRAIL;
    else process.env.AWS_ENDPOINT_URL_CLOUDTRAIL = saved;
    if (savedSts === undefined) delete process.env.AWS_ENDPOINT_URL_STS;
    else process.env.AWS_ENDPOINT_URL_STS = savedSts;
    await em.stop();
  }
}

/** Real signed calls, so the emulator's record is made the way CloudTrail's is. */
async function makeCalls(keys: { creds: RoleCredentialsSecret; events: number }[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < keys.length) {
        const k = keys[next++];
        const sts = new STSClient({ region: REGION, credentials: sdkCredentials(k.creds) });
        for (let i = 0; i < k.events; i++) await sts.send(new GetCallerIdentityCommand({}));
        sts.destroy();
      }
    }),
  );
}

// `node out/bench/cloudTrail.js`: this section alone.
if (require.main === module) {
  const t0 = Date.now();
  cloudTrailSection({
    keys: 200,
    accounts: 4,
    latencyMs: 50,
    progress: (m) => process.stderr.write(`[bench ${((Date.now() - t0) / 1000).toFixed(0)} s] ${m}\n`),
  }).then(
    ({ table }) => process.stdout.write(`${table}\n`),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
