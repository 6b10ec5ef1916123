// Queue of injected faults. Each matching AWS call consumes one unit, so a
// test can say "the next 2 ListAccounts fail with 503" and nothing more.
import type { FaultKind, FaultSpec, Operation } from './options';
import { oidcError, portalError, stsError, type ApiResult } from './responses';
import { jsonError } from './trail';

export interface PendingFault {
  operation: Operation | '*';
  kind: FaultKind;
  remaining: number;
}

const KINDS: FaultKind[] = ['500', '503', '429', 'reset', 'stall', '401', 'drip', 'echo'];

export class FaultQueue {
  private faults: PendingFault[] = [];

  add(spec: FaultSpec): void {
    if (!KINDS.includes(spec.kind)) throw new Error(`unknown fault kind: ${String(spec.kind)}`);
    const count = spec.count ?? 1;
    if (!(count > 0)) throw new Error('fault count must be > 0');
    this.faults.push({ operation: spec.operation ?? '*', kind: spec.kind, remaining: count });
  }

  /** First queued fault matching the operation, consuming one unit. */
  take(operation: Operation): FaultKind | undefined {
    const f = this.faults.find((x) => x.remaining > 0 && (x.operation === '*' || x.operation === operation));
    if (!f) return undefined;
    f.remaining--;
    this.faults = this.faults.filter((x) => x.remaining > 0);
    return f.kind;
  }

  list(): PendingFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }
}

export type Service = 'oidc' | 'portal' | 'sts' | 'json';

/** The error response a fault produces, shaped like each service's own errors. */
export function faultResponse(service: Service, kind: '500' | '503' | '429' | '401'): ApiResult {
  if (service === 'sts') {
    if (kind === '500') return stsError(500, 'InternalFailure', 'An internal error occurred (injected fault)');
    if (kind === '503') return stsError(503, 'ServiceUnavailable', 'Service unavailable (injected fault)');
    // Real STS throttles with 400 + code Throttling; the SDK classifies that code as throttling.
    if (kind === '429') return stsError(400, 'Throttling', 'Rate exceeded (injected fault)');
    return stsError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid. (injected fault)');
  }
  if (service === 'json') {
    if (kind === '500') return jsonError('InternalFailure', 'An internal error occurred (injected fault)', 500);
    if (kind === '503') return jsonError('ServiceUnavailable', 'Service unavailable (injected fault)', 503);
    if (kind === '429') return jsonError('ThrottlingException', 'Rate exceeded (injected fault)');
    return jsonError('UnrecognizedClientException', 'The security token included in the request is invalid. (injected fault)');
  }
  const error = service === 'oidc' ? oidcError : portalError;
  if (kind === '500') return error(500, 'InternalServerException', 'Internal server error (injected fault)');
  if (kind === '503') return error(503, 'ServiceUnavailableException', 'Service unavailable (injected fault)');
  if (kind === '429') return error(429, 'TooManyRequestsException', 'Too many requests (injected fault)');
  // The only 401 in SSO OIDC is InvalidClientException; the portal's is UnauthorizedException.
  return service === 'oidc'
    ? error(401, 'InvalidClientException', 'Invalid client (injected fault)')
    : error(401, 'UnauthorizedException', 'Session token not found or invalid (injected fault)');
}
