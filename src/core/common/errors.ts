// Turns SDK and network failures into messages that say what happened and what to do.
// Only error names and our own words reach the message: never request data or tokens.

export type FailureKind =
  | 'cancelled'
  | 'denied'
  | 'codeExpired'
  | 'sessionEnded'
  | 'throttled'
  | 'network'
  | 'timeout'
  | 'badStartUrl'
  | 'badRegion'
  | 'badInput'
  | 'notFound'
  | 'service'
  | 'unknown';

export class IdcError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    /** The SDK error name or network code, for the log. */
    readonly causeName?: string,
  ) {
    super(message);
    this.name = 'IdcError';
  }
}

interface ErrorLike {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

const NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/** What errorName says when the name a server sent does not look like an error name. */
export const UNRECOGNISED_ERROR_NAME = 'UnrecognisedServerError';

/**
 * An error name as AWS and Node spell them: CamelCase words of letters (an acronym of up to four
 * capitals allowed), at most 64 characters (AccessDenied, InvalidGrantException, TimeoutError). The SDK takes the name from the server's
 * x-amzn-ErrorType header or body, so a server can put anything there, including the client secret
 * or a token it was sent; anything else is replaced by UNRECOGNISED_ERROR_NAME.
 */
const ERROR_NAME = /^(?:[A-Z]{1,4}[a-z]+)+$/;

/** The error's SDK name or network code, safe to log and show: never text a server made up. */
export function errorName(e: unknown): string {
  const err = e as ErrorLike;
  if (err?.code && NETWORK_CODES.has(err.code)) return err.code;
  const name = err?.name ?? 'Error';
  return typeof name === 'string' && name.length <= 64 && ERROR_NAME.test(name) ? name : UNRECOGNISED_ERROR_NAME;
}

export function isAbort(e: unknown): boolean {
  const name = (e as ErrorLike)?.name;
  return name === 'AbortError' || (e instanceof IdcError && e.kind === 'cancelled');
}

export function isThrottle(e: unknown): boolean {
  const err = e as ErrorLike;
  return err?.name === 'TooManyRequestsException' || err?.name === 'ThrottlingException' || err?.$metadata?.httpStatusCode === 429;
}

/** True when the sign-in itself is over (token unknown, revoked or expired), not just one call. */
export function isSessionEnded(e: unknown): boolean {
  const err = e as ErrorLike;
  if (e instanceof IdcError) return e.kind === 'sessionEnded';
  return err?.name === 'UnauthorizedException' || err?.name === 'InvalidGrantException' || err?.$metadata?.httpStatusCode === 401;
}

export function isNetwork(e: unknown): boolean {
  const err = e as ErrorLike;
  return (err?.code !== undefined && NETWORK_CODES.has(err.code)) || err?.name === 'TimeoutError' || err?.name === 'RequestTimeout';
}

/** How one AWS service's failures are worded in the branches every service shares. */
export interface ServiceWording {
  /** "IAM Identity Center", "AWS STS". */
  service: string;
  /** Where the call went, after the service name: " in region us-east-1", " in eu-west-1", or "". */
  where: string;
  /** Where the endpoint was looked for, after "the <service> endpoint". */
  endpointWhere: string;
  /** The setting to check when the endpoint's name does not resolve. */
  regionSetting: string;
  /** What follows "Check your network or proxy" when the service cannot be reached. */
  proxyHint: string;
}

/**
 * The one error mapper. Service-specific names are decided by the caller first; this maps what
 * every AWS call shares (throttling, DNS, timeouts, network, 5xx, anything else) to a user-facing IdcError.
 */
export function toServiceError(e: unknown, step: string, w: ServiceWording): IdcError {
  if (e instanceof IdcError) return e;
  const name = errorName(e);
  const status = (e as ErrorLike)?.$metadata?.httpStatusCode;
  if (isThrottle(e)) return new IdcError('throttled', `${step}: ${w.service} is throttling requests. Wait a minute, then try again.`, name);
  if (name === 'ENOTFOUND' || name === 'EAI_AGAIN') {
    return new IdcError(
      'badRegion',
      `${step} failed: the ${w.service} endpoint${w.endpointWhere} could not be found. Check ${w.regionSetting} and your network connection.`,
      name,
    );
  }
  if (name === 'TimeoutError' || name === 'RequestTimeout')
    return new IdcError('timeout', `${step} timed out waiting for ${w.service}${w.where}. Check your network and try again.`, name);
  if (isNetwork(e))
    return new IdcError('network', `${step} failed: ${w.service}${w.where} could not be reached (${name}). Check your network or proxy${w.proxyHint}`, name);
  if (status !== undefined && status >= 500)
    return new IdcError('service', `${step} failed: ${w.service} had an internal error (${status}). Try again in a moment.`, name);
  return new IdcError('unknown', `${step} failed (${name}). See "AWS Identity Center: Show Log" for details.`, name);
}

/** Maps any failure during an Identity Center step (e.g. "Sign-in", "Listing accounts") to a user-facing IdcError. */
export function toIdcError(e: unknown, step: string, target?: { startUrl?: string; region?: string }): IdcError {
  if (e instanceof IdcError) return e;
  const name = errorName(e);
  const where = target?.region ? ` in region ${target.region}` : '';
  if (isAbort(e)) return new IdcError('cancelled', `${step} was cancelled.`, name);
  if (name === 'AccessDeniedException')
    return new IdcError('denied', `${step} was denied in the browser. Run "AWS Identity Center: Sign In" to try again.`, name);
  if (name === 'ExpiredTokenException')
    return new IdcError('codeExpired', `${step} timed out: the code was not approved in time. Run "AWS Identity Center: Sign In" to get a new code.`, name);
  // Throttling wins over everything below; these names are never a network code or a timeout.
  if (!isThrottle(e)) {
    if (isSessionEnded(e)) return new IdcError('sessionEnded', `Your IAM Identity Center sign-in has ended. Sign in again to continue.`, name);
    if (name === 'InvalidRequestException' || name === 'InvalidClientException' || name === 'UnauthorizedClientException') {
      return new IdcError(
        'badStartUrl',
        `${step} failed: IAM Identity Center${where} did not accept the access portal URL ${target?.startUrl ?? ''}. Check awsIdc.startUrl and awsIdc.region (they must match your organisation's portal).`.replace(
          ' URL .',
          ' URL.',
        ),
        name,
      );
    }
    if (name === 'ResourceNotFoundException')
      return new IdcError('notFound', `${step} failed: the account or role is no longer assigned to you. Refresh the accounts list.`, name);
  }
  return toServiceError(e, step, {
    service: 'IAM Identity Center',
    where,
    endpointWhere: where,
    regionSetting: 'the region (awsIdc.region)',
    proxyHint: ' and try again.',
  });
}
