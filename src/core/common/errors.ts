// Turns SDK and network failures into messages that say what happened and what to do.
// Only error names and our own words reach the message: never request data or tokens.
import { isTlsFailure, networkFailure } from './networkErrors';
import { endpointNotFound, serviceName, serviceTimedOut, serviceUnreachable, type ServiceWording } from './serviceMessages';

export type { ServiceWording } from './serviceMessages';
import * as l10n from '@vscode/l10n';

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

export { isTlsFailure };

/** The error's SDK name or network code, safe to log and show: never text a server made up. */
export function errorName(e: unknown): string {
  const err = e as ErrorLike;
  if (err?.code && (NETWORK_CODES.has(err.code) || isTlsFailure(e))) return err.code;
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

/**
 * The one error mapper. Service-specific names are decided by the caller first; this maps what
 * every AWS call shares (throttling, DNS, timeouts, network, 5xx, anything else) to a user-facing IdcError.
 */
export function toServiceError(e: unknown, step: string, w: ServiceWording): IdcError {
  if (e instanceof IdcError) return e;
  const name = errorName(e);
  const status = (e as ErrorLike)?.$metadata?.httpStatusCode;
  const service = serviceName(w);
  const network = networkFailure(e, step, service);
  if (network) return new IdcError('network', network.message, network.causeName);
  if (isThrottle(e))
    return new IdcError(
      'throttled',
      l10n.t({
        message: '{0}: {1} is throttling requests. Wait a minute, then try again.',
        args: [step, service],
        comment: ['{0}: the step that failed, e.g. "Sign-in" or "Listing accounts"; {1}: the AWS service, e.g. "IAM Identity Center" or "AWS STS"'],
      }),
      name,
    );
  if (name === 'ENOTFOUND' || name === 'EAI_AGAIN') return new IdcError('badRegion', endpointNotFound(step, w), name);
  if (name === 'TimeoutError' || name === 'RequestTimeout') return new IdcError('timeout', serviceTimedOut(step, w), name);
  if (isNetwork(e)) return new IdcError('network', serviceUnreachable(step, w, name), name);
  if (status !== undefined && status >= 500)
    return new IdcError(
      'service',
      l10n.t({
        message: '{0} failed: {1} had an internal error ({2}). Try again in a moment.',
        args: [step, service, status],
        comment: ['{0}: the step, e.g. "Sign-in"; {1}: the AWS service; {2}: the HTTP status code, e.g. 503'],
      }),
      name,
    );
  return new IdcError(
    'unknown',
    l10n.t({
      message: '{0} failed ({1}). See "AWS Identity Center: Show Log" for details.',
      args: [step, name],
      comment: ['{0}: the step, e.g. "Sign-in"; {1}: the error name, e.g. "InternalFailure"; "AWS Identity Center: Show Log" is a command title'],
    }),
    name,
  );
}

/** Maps any failure during an Identity Center step (e.g. "Sign-in", "Listing accounts") to a user-facing IdcError. */
export function toIdcError(e: unknown, step: string, target?: { startUrl?: string; region?: string }): IdcError {
  if (e instanceof IdcError) return e;
  const name = errorName(e);
  if (isAbort(e))
    return new IdcError(
      'cancelled',
      l10n.t({ message: '{0} was cancelled.', args: [step], comment: ['{0}: the step, e.g. "Sign-in" or "Listing accounts"'] }),
      name,
    );
  if (name === 'AccessDeniedException')
    return new IdcError(
      'denied',
      l10n.t({
        message: '{0} was denied in the browser. Run "AWS Identity Center: Sign In" to try again.',
        args: [step],
        comment: ['{0}: the step, e.g. "Sign-in"; "AWS Identity Center: Sign In" is a command title'],
      }),
      name,
    );
  if (name === 'ExpiredTokenException')
    return new IdcError(
      'codeExpired',
      l10n.t({
        message: '{0} timed out: the code was not approved in time. Run "AWS Identity Center: Sign In" to get a new code.',
        args: [step],
        comment: ['{0}: the step, e.g. "Sign-in"; "AWS Identity Center: Sign In" is a command title'],
      }),
      name,
    );
  // Throttling wins over everything below; these names are never a network code or a timeout.
  if (!isThrottle(e)) {
    if (isSessionEnded(e)) return new IdcError('sessionEnded', l10n.t('Your IAM Identity Center sign-in has ended. Sign in again to continue.'), name);
    if (name === 'InvalidRequestException' || name === 'InvalidClientException' || name === 'UnauthorizedClientException') {
      return new IdcError('badStartUrl', startUrlRefused(step, target), name);
    }
    if (name === 'ResourceNotFoundException')
      return new IdcError(
        'notFound',
        l10n.t({
          message: '{0} failed: the account or role is no longer assigned to you. Refresh the accounts list.',
          args: [step],
          comment: ['{0}: the step, e.g. "Listing roles"'],
        }),
        name,
      );
  }
  return toServiceError(e, step, { service: 'identityCenter', region: target?.region });
}

/** IAM Identity Center refused the start URL (or the client): one sentence per what is known. */
function startUrlRefused(step: string, target?: { startUrl?: string; region?: string }): string {
  const region = target?.region;
  const url = target?.startUrl;
  const step0 = '{0}: the step, e.g. "Sign-in"; awsIdc.startUrl and awsIdc.region are setting ids';
  if (region && url)
    return l10n.t({
      message:
        "{0} failed: IAM Identity Center in region {1} did not accept the access portal URL {2}. Check awsIdc.startUrl and awsIdc.region (they must match your organisation's portal).",
      args: [step, region, url],
      comment: [step0, '{1}: an AWS region, e.g. us-east-1; {2}: the access portal URL'],
    });
  if (region)
    return l10n.t({
      message:
        "{0} failed: IAM Identity Center in region {1} did not accept the access portal URL. Check awsIdc.startUrl and awsIdc.region (they must match your organisation's portal).",
      args: [step, region],
      comment: [step0, '{1}: an AWS region, e.g. us-east-1'],
    });
  if (url)
    return l10n.t({
      message:
        "{0} failed: IAM Identity Center did not accept the access portal URL {1}. Check awsIdc.startUrl and awsIdc.region (they must match your organisation's portal).",
      args: [step, url],
      comment: [step0, '{1}: the access portal URL'],
    });
  return l10n.t({
    message:
      "{0} failed: IAM Identity Center did not accept the access portal URL. Check awsIdc.startUrl and awsIdc.region (they must match your organisation's portal).",
    args: [step],
    comment: [step0],
  });
}
