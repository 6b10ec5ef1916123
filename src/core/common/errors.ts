// Turns SDK and network failures into messages that say what happened and what to do.
// Only error names and our own words reach the message: never request data or tokens.
import { isTlsFailure, networkFailure } from './networkErrors';
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
  const network = networkFailure(e, step, w.service);
  if (network) return new IdcError('network', network.message, network.causeName);
  if (isThrottle(e))
    return new IdcError(
      'throttled',
      l10n.t({
        message: '{0}: {1} is throttling requests. Wait a minute, then try again.',
        args: [step, w.service],
        comment: ['{0}: the step that failed, e.g. "Sign-in" or "Listing accounts"; {1}: the AWS service, e.g. "IAM Identity Center" or "AWS STS"'],
      }),
      name,
    );
  if (name === 'ENOTFOUND' || name === 'EAI_AGAIN') {
    return new IdcError(
      'badRegion',
      l10n.t({
        message: '{0} failed: the {1} endpoint{2} could not be found. Check {3} and your network connection.',
        args: [step, w.service, w.endpointWhere, w.regionSetting],
        comment: [
          '{0}: the step that failed, e.g. "Sign-in"; {1}: the AWS service, e.g. "AWS STS"; {2}: where it was looked for, e.g. " in region us-east-1" (leading space) or empty; {3}: the setting to check, e.g. "the region (awsIdc.region)"',
        ],
      }),
      name,
    );
  }
  if (name === 'TimeoutError' || name === 'RequestTimeout')
    return new IdcError(
      'timeout',
      l10n.t({
        message: '{0} timed out waiting for {1}{2}. Check your network and try again.',
        args: [step, w.service, w.where],
        comment: [
          '{0}: the step, e.g. "Sign-in"; {1}: the AWS service, e.g. "IAM Identity Center"; {2}: where, e.g. " in region us-east-1" (leading space) or empty',
        ],
      }),
      name,
    );
  if (isNetwork(e))
    return new IdcError(
      'network',
      l10n.t({
        message: '{0} failed: {1}{2} could not be reached ({3}). Check your network or proxy{4}',
        args: [step, w.service, w.where, name, w.proxyHint],
        comment: [
          '{0}: the step, e.g. "Sign-in"; {1}: the AWS service; {2}: where, e.g. " in region us-east-1" (leading space) or empty; {3}: a network error code such as ECONNREFUSED; {4}: the end of the sentence, e.g. " and try again."',
        ],
      }),
      name,
    );
  if (status !== undefined && status >= 500)
    return new IdcError(
      'service',
      l10n.t({
        message: '{0} failed: {1} had an internal error ({2}). Try again in a moment.',
        args: [step, w.service, status],
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
  const where = target?.region
    ? l10n.t({
        message: ' in region {0}',
        args: [target.region],
        comment: ['Appended to a service name (keep the leading space); {0}: an AWS region, e.g. us-east-1'],
      })
    : '';
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
      return new IdcError(
        'badStartUrl',
        l10n
          .t({
            message:
              "{0} failed: IAM Identity Center{1} did not accept the access portal URL {2}. Check awsIdc.startUrl and awsIdc.region (they must match your organisation's portal).",
            args: [step, where, target?.startUrl ?? ''],
            comment: [
              '{0}: the step, e.g. "Sign-in"; {1}: " in region us-east-1" (leading space) or empty; {2}: the access portal URL (may be empty); awsIdc.startUrl and awsIdc.region are setting ids',
            ],
          })
          .replace(' URL .', ' URL.'),
        name,
      );
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
  return toServiceError(e, step, {
    service: 'IAM Identity Center',
    where,
    endpointWhere: where,
    regionSetting: l10n.t({
      message: 'the region (awsIdc.region)',
      comment: ['Completes "Check … and your network connection."; awsIdc.region is a setting id'],
    }),
    proxyHint: l10n.t({ message: ' and try again.', comment: ['Ends the sentence "Check your network or proxy…" (keep the leading space)'] }),
  });
}
