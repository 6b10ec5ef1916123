// CloudTrail LookupEvents for one access key in one region, signed with the role's own
// credentials through the real SDK client (AWS_ENDPOINT_URL_CLOUDTRAIL applies). Paged with
// NextToken, newest first, paced to the service's 2 calls per second per account and region, with
// ThrottlingException backed off and retried on the same page. Bounded: a key with more events
// than `maxEvents` is cut (and says so), and no response can flood memory (cloudTrailEvents.ts).
import type * as Sdk from '../aws/awsSdkReview';
import { guardTokenEndpoints } from '../aws/endpointGuard';
import { loadReviewSdk } from '../aws/loadSdk';
import { networkSettings } from '../aws/network';
import { Pacer } from '../aws/pacer';
import { type Clock, sleep, systemClock } from '../common/clock';
import { errorName, isAbort, isThrottle } from '../common/errors';
import type { RoleCredentialsSecret } from '../common/model';
import { toTrailEvent, type TrailEvent } from './cloudTrailEvents';

/** LookupEvents: about 2 calls per second per account and region. */
export const LOOKUP_RATE_PER_SEC = 2;
const PAGE_SIZE = 50;
/** CloudTrail keeps management events this long. */
export const RETENTION_MS = 90 * 24 * 3600_000;
const MAX_RETRIES = 6;
const FIRST_BACKOFF_MS = 500;

export type RegionOutcome =
  | { kind: 'events'; events: TrailEvent[]; truncated: boolean }
  /** AccessDeniedException: the role may not call cloudtrail:LookupEvents. */
  | { kind: 'denied' }
  /** Anything else; `reason` is an error name, never server text. */
  | { kind: 'failed'; reason: string };

export interface LookupStats {
  calls: number;
  throttled: number;
}

/** One pacer per account and region: that is what the service limits, whoever's key is looked up. */
export class LookupPacers {
  private readonly pacers = new Map<string, Pacer>();
  readonly stats: LookupStats = { calls: 0, throttled: 0 };

  constructor(private readonly clock: Clock = systemClock) {}

  for(accountId: string, region: string): Pacer {
    const key = `${accountId}|${region}`;
    let pacer = this.pacers.get(key);
    // No catch-up burst: the service's bucket is only about two calls deep.
    if (!pacer) this.pacers.set(key, (pacer = new Pacer({ ratePerSec: LOOKUP_RATE_PER_SEC, minRatePerSec: 0.25, catchUpSlots: 0, clock: this.clock })));
    return pacer;
  }
}

export interface KeyLookup {
  accessKeyId: string;
  /** The account the key belongs to (the pacer's). */
  accountId: string;
  region: string;
  /** Credentials of the key's role, whichever key they are now. */
  credentials: RoleCredentialsSecret;
  /** Epoch ms: events before this are not asked for (the key did not exist yet). */
  since: number;
  /** Epoch ms: events after this neither (the key had expired). */
  until?: number;
}

export interface LookupOptions {
  pacers: LookupPacers;
  maxEvents?: number;
  signal?: AbortSignal;
  clock?: Clock;
  requestTimeoutMs?: number;
  createClient?: (sdk: typeof Sdk, config: CloudTrailConfig) => Sdk.CloudTrailClient;
}

type CloudTrailConfig = ConstructorParameters<typeof Sdk.CloudTrailClient>[0];

export async function lookupKeyEvents(k: KeyLookup, opts: LookupOptions): Promise<RegionOutcome> {
  const clock = opts.clock ?? systemClock;
  const maxEvents = opts.maxEvents ?? 500;
  const sdk = await loadReviewSdk();
  const config: CloudTrailConfig = {
    region: k.region,
    // Retries are ours: each one waits for the account's pacer like any other call.
    maxAttempts: 1,
    requestHandler: sdk.createRequestHandler({
      requestTimeout: opts.requestTimeoutMs ?? 15_000,
      connectionTimeout: 5_000,
      throwOnRequestTimeout: true,
      settings: networkSettings,
    }),
    credentials: { accessKeyId: k.credentials.accessKeyId, secretAccessKey: k.credentials.secretAccessKey, sessionToken: k.credentials.sessionToken },
  };
  const client = opts.createClient?.(sdk, config) ?? new sdk.CloudTrailClient(config);
  // The session token goes only over https or to loopback.
  guardTokenEndpoints(client, 'CLOUDTRAIL');
  const pacer = opts.pacers.for(k.accountId, k.region);
  const now = clock.now();
  const start = new Date(Math.max(k.since, now - RETENTION_MS));
  const end = k.until !== undefined && k.until < now ? new Date(k.until) : undefined;
  const events: TrailEvent[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const page = await pagedCall(() =>
        client.send(
          new sdk.LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: k.accessKeyId }],
            StartTime: start,
            EndTime: end,
            MaxResults: PAGE_SIZE,
            NextToken: nextToken,
          }),
          { abortSignal: opts.signal },
        ),
      );
      for (const raw of page.Events ?? []) {
        const event = toTrailEvent(raw);
        if (event) events.push(event);
      }
      // A token that does not change would page forever.
      nextToken = page.NextToken && page.NextToken !== nextToken ? page.NextToken : undefined;
    } while (nextToken && events.length < maxEvents);
  } catch (e) {
    if (isAbort(e)) throw e;
    return errorName(e) === 'AccessDeniedException' ? { kind: 'denied' } : { kind: 'failed', reason: errorName(e) };
  } finally {
    client.destroy();
  }
  events.sort((a, b) => b.time - a.time);
  return { kind: 'events', events: events.slice(0, maxEvents), truncated: !!nextToken || events.length > maxEvents };

  /** One page: waits for the pacer; throttling or a 5xx backs off and asks again. */
  async function pagedCall<T>(send: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      await pacer.acquire(opts.signal);
      opts.pacers.stats.calls++;
      try {
        const out = await send();
        pacer.succeeded();
        return out;
      } catch (e) {
        const retryable = isThrottle(e) || ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0) >= 500;
        if (!retryable || attempt >= MAX_RETRIES) throw e;
        if (isThrottle(e)) {
          opts.pacers.stats.throttled++;
          pacer.throttled();
        }
        await sleep(clock, Math.min(FIRST_BACKOFF_MS * 2 ** attempt, 8_000) * (0.5 + Math.random() / 2), opts.signal);
      }
    }
  }
}
