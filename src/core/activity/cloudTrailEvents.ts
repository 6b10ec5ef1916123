// CloudTrail events as the review shows and caches them: only the fields a reviewer reads, each a
// bounded string, taken defensively from what LookupEvents returned (its CloudTrailEvent is a JSON
// string any caller in the account shapes: a huge or hostile one must not flood memory or the view).
import { oneLineLabel } from '../common/labels';

export interface TrailEvent {
  id: string;
  /** Epoch ms. */
  time: number;
  /** e.g. dynamodb.amazonaws.com */
  source: string;
  /** e.g. DeleteTable */
  name: string;
  /** false: a write; undefined when CloudTrail did not say. */
  readOnly?: boolean;
  resources: string[];
  errorCode?: string;
  sourceIp?: string;
  userAgent?: string;
}

/** The CloudTrailEvent JSON is parsed only up to this size; a bigger one keeps the top-level fields. */
export const MAX_RECORD_CHARS = 64 * 1024;
const MAX_RESOURCES = 5;

/** Access refused (IAM, SCP, resource policy, or EC2's wording): counted as denied, not just failed. */
export function isDenial(errorCode: string | undefined): boolean {
  return !!errorCode && /AccessDenied|UnauthorizedOperation|Forbidden|NotAuthorized/i.test(errorCode);
}

/** One SDK `Event` as a TrailEvent, or undefined when it lacks an id, a time or a name. */
export function toTrailEvent(raw: unknown): TrailEvent | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const e = raw as Record<string, unknown>;
  const record = parseRecord(e.CloudTrailEvent);
  const time = e.EventTime instanceof Date ? e.EventTime.getTime() : typeof e.EventTime === 'number' ? e.EventTime * 1000 : NaN;
  const id = text(e.EventId, 64);
  const name = text(e.EventName, 128) ?? text(record.eventName, 128);
  if (!id || !name || !Number.isFinite(time)) return undefined;
  const event: TrailEvent = {
    id,
    time,
    source: text(e.EventSource, 128) ?? text(record.eventSource, 128) ?? '',
    name,
    resources: resources(e.Resources),
  };
  const readOnly = e.ReadOnly === 'true' || record.readOnly === true ? true : e.ReadOnly === 'false' || record.readOnly === false ? false : undefined;
  if (readOnly !== undefined) event.readOnly = readOnly;
  const errorCode = text(record.errorCode, 128);
  const sourceIp = text(record.sourceIPAddress, 64);
  const userAgent = text(record.userAgent, 200);
  if (errorCode) event.errorCode = errorCode;
  if (sourceIp) event.sourceIp = sourceIp;
  if (userAgent) event.userAgent = userAgent;
  return event;
}

/** A cached event read back: the same checks, on our own shape. */
export function sanitizeTrailEvent(raw: unknown): TrailEvent | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const e = raw as Record<string, unknown>;
  const id = text(e.id, 64);
  const name = text(e.name, 128);
  if (!id || !name || typeof e.time !== 'number' || !Number.isFinite(e.time)) return undefined;
  const event: TrailEvent = { id, time: e.time, source: text(e.source, 128) ?? '', name, resources: [] };
  if (Array.isArray(e.resources))
    event.resources = e.resources
      .slice(0, MAX_RESOURCES)
      .map((r) => text(r, 256))
      .filter((r): r is string => !!r);
  if (typeof e.readOnly === 'boolean') event.readOnly = e.readOnly;
  for (const [key, max] of [
    ['errorCode', 128],
    ['sourceIp', 64],
    ['userAgent', 200],
  ] as const) {
    const value = text(e[key], max);
    if (value) event[key] = value;
  }
  return event;
}

function parseRecord(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'string' || raw.length > MAX_RECORD_CHARS) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function resources(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .slice(0, MAX_RESOURCES)
    .map((r) => text((r as Record<string, unknown> | null)?.ResourceName, 256))
    .filter((r): r is string => !!r);
}

const text = (v: unknown, max: number): string | undefined => (typeof v === 'string' && oneLineLabel(v, max)) || undefined;
