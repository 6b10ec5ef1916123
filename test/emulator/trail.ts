// The emulator's CloudTrail: every SigV4-signed call it answers is recorded with the key that
// signed it (from Credential=…), and LookupEvents serves that record as the real service would:
// per account and region, newest first, MaxResults ≤ 50 with NextToken paging, 2 calls per second
// per account and region (ThrottlingException), AccessDeniedException for roles seeded without
// cloudtrail:LookupEvents, and a delivery delay. The record holds identifiers, never secrets.
import type * as http from 'node:http';
import type { Context } from './context';
import { requestId, roleId } from './ids';
import type { ApiResult } from './responses';
import type { RoleKey } from './state';
import { TokenBucket } from './throttle';

export interface TrailRecord {
  seq: number;
  eventId: string;
  /** Epoch ms, the server's clock. */
  time: number;
  eventSource: string;
  eventName: string;
  readOnly: boolean;
  accessKeyId: string;
  accountId: string;
  roleName: string;
  sessionName: string;
  region: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  resources: { ResourceType: string; ResourceName: string }[];
}

/** What a signed call was, as its handler knows it. */
export interface SignedCall {
  eventSource: string;
  eventName: string;
  readOnly: boolean;
  resources?: { ResourceType: string; ResourceName: string }[];
}

/** Credential=AKID/date/region/service/aws4_request: the signing key and region. */
export function signingScope(authorization: string | undefined): { accessKeyId: string; region: string; service: string } | undefined {
  const m = authorization?.match(/Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\//);
  return m ? { accessKeyId: m[1], region: m[2], service: m[3] } : undefined;
}

export const jsonError = (type: string, message: string, status = 400): ApiResult => ({
  status,
  contentType: 'application/x-amz-json-1.1',
  headers: { 'x-amzn-errortype': type },
  body: JSON.stringify({ __type: type, message }),
  errorType: type,
});

export const jsonOk = (body: unknown): ApiResult => ({ status: 200, contentType: 'application/x-amz-json-1.1', body: JSON.stringify(body) });

const MAX_RESULTS = 50;

export class Trail {
  private records: TrailRecord[] = [];
  private seq = 0;
  private buckets = new Map<string, TokenBucket>();

  constructor(private readonly ctx: Context) {}

  /** Records a call signed by a key the emulator issued (calls with unknown keys reach no account's trail). */
  record(req: http.IncomingMessage, call: SignedCall, result: ApiResult): void {
    const scope = signingScope(header(req, 'authorization'));
    const key = scope && this.ctx.state.roleKeys.get(scope.accessKeyId);
    if (!scope || !key) return;
    this.records.push({
      seq: ++this.seq,
      eventId: requestId(),
      time: this.ctx.now(),
      ...call,
      resources: call.resources ?? [],
      accessKeyId: key.accessKeyId,
      accountId: key.accountId,
      roleName: key.roleName,
      sessionName: key.sessionName,
      region: scope.region,
      sourceIPAddress: (req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
      userAgent: header(req, 'user-agent') ?? '',
      errorCode: result.status >= 400 ? result.errorType : undefined,
      errorMessage: result.status >= 400 ? errorMessage(result.body) : undefined,
    });
  }

  list(): TrailRecord[] {
    return this.records.map((r) => ({ ...r }));
  }

  clear(): void {
    this.records = [];
    this.buckets.clear();
  }

  /** CloudTrail LookupEvents for `caller` (already authenticated), in the region it signed for. */
  lookupEvents(caller: RoleKey, region: string, body: Record<string, unknown>): ApiResult {
    const o = this.ctx.options;
    const bucketKey = `${caller.accountId}|${region}`;
    let bucket = this.buckets.get(bucketKey);
    if (!bucket) this.buckets.set(bucketKey, (bucket = new TokenBucket({ ratePerSec: o.cloudTrailRatePerSec, burst: Math.max(1, o.cloudTrailRatePerSec) })));
    if (!bucket.tryTake()) return jsonError('ThrottlingException', 'Rate exceeded');
    const arn = `arn:aws:sts::${caller.accountId}:assumed-role/${caller.roleName}/${caller.sessionName}`;
    if (o.cloudTrailDeniedRoles.some((r) => r === caller.roleName || r === `${caller.accountId}/${caller.roleName}`)) {
      return jsonError(
        'AccessDeniedException',
        `User: ${arn} is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action`,
      );
    }
    const max = body.MaxResults === undefined ? MAX_RESULTS : Number(body.MaxResults);
    if (!Number.isInteger(max) || max < 1 || max > MAX_RESULTS) return jsonError('InvalidMaxResultsException', 'MaxResults must be between 1 and 50');
    let before = Infinity;
    if (body.NextToken !== undefined) {
      const parsed = decodeToken(body.NextToken);
      if (parsed === undefined) return jsonError('InvalidNextTokenException', 'Invalid NextToken');
      before = parsed;
    }
    const filter = lookupFilter(body.LookupAttributes);
    if (typeof filter === 'string') return jsonError('InvalidLookupAttributesException', filter);
    const start = typeof body.StartTime === 'number' ? body.StartTime * 1000 : -Infinity;
    const end = typeof body.EndTime === 'number' ? body.EndTime * 1000 : Infinity;
    const delivered = this.ctx.now() - o.cloudTrailDelaySec * 1000;
    const matching = this.records
      .filter(
        (r) =>
          r.accountId === caller.accountId && r.region === region && r.seq < before && r.time <= delivered && r.time >= start && r.time <= end && filter(r),
      )
      .sort((a, b) => b.seq - a.seq);
    const page = matching.slice(0, max);
    const out: Record<string, unknown> = { Events: page.map(toEvent) };
    if (matching.length > max) out.NextToken = Buffer.from(JSON.stringify({ before: page[page.length - 1].seq })).toString('base64');
    return jsonOk(out);
  }
}

function decodeToken(raw: unknown): number | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    const v = (JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as { before?: unknown }).before;
    return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** LookupEvents takes at most one attribute; the ones the emulator knows are enough for the extension. */
function lookupFilter(raw: unknown): ((r: TrailRecord) => boolean) | string {
  if (raw === undefined) return () => true;
  if (!Array.isArray(raw) || raw.length > 1) return 'LookupAttributes takes at most one attribute';
  if (raw.length === 0) return () => true;
  const { AttributeKey: key, AttributeValue: value } = raw[0] as Record<string, unknown>;
  if (typeof value !== 'string') return 'AttributeValue is required';
  if (key === 'AccessKeyId') return (r) => r.accessKeyId === value;
  if (key === 'EventName') return (r) => r.eventName === value;
  if (key === 'ReadOnly') return (r) => String(r.readOnly) === value;
  if (key === 'EventSource') return (r) => r.eventSource === value;
  return `Unsupported attribute key ${String(key)}`;
}

function toEvent(r: TrailRecord): Record<string, unknown> {
  const record = {
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `${roleId(r.accountId, r.roleName)}:${r.sessionName}`,
      arn: `arn:aws:sts::${r.accountId}:assumed-role/${r.roleName}/${r.sessionName}`,
      accountId: r.accountId,
      accessKeyId: r.accessKeyId,
    },
    eventTime: new Date(r.time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: r.eventSource,
    eventName: r.eventName,
    awsRegion: r.region,
    sourceIPAddress: r.sourceIPAddress,
    userAgent: r.userAgent,
    ...(r.errorCode ? { errorCode: r.errorCode, errorMessage: r.errorMessage } : {}),
    requestParameters: null,
    responseElements: null,
    requestID: r.eventId,
    eventID: r.eventId,
    readOnly: r.readOnly,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: r.accountId,
  };
  return {
    EventId: r.eventId,
    EventName: r.eventName,
    ReadOnly: String(r.readOnly),
    AccessKeyId: r.accessKeyId,
    EventTime: r.time / 1000,
    EventSource: r.eventSource,
    Username: r.sessionName,
    Resources: r.resources,
    CloudTrailEvent: JSON.stringify(record),
  };
}

function errorMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // STS answers in XML
  }
  return body.match(/<Message>([^<]*)<\/Message>/)?.[1];
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
