// Response builders per protocol. Handlers return an ApiResult instead of
// writing to the socket so the server can log, delay and fault uniformly.
import type { CallEntry } from './callLog';
import { requestId } from './ids';

export interface ApiResult {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
  errorType?: string;
  /** Identifiers to add to the call log entry (never secret values). */
  log?: Partial<CallEntry>;
}

export function json(body: unknown, status = 200, log?: Partial<CallEntry>): ApiResult {
  return { status, contentType: 'application/json', body: JSON.stringify(body), log };
}

const OAUTH_ERROR: Record<string, string> = {
  InvalidRequestException: 'invalid_request',
  InvalidClientException: 'invalid_client',
  InvalidGrantException: 'invalid_grant',
  UnauthorizedClientException: 'unauthorized_client',
  UnsupportedGrantTypeException: 'unsupported_grant_type',
  InvalidScopeException: 'invalid_scope',
  InvalidClientMetadataException: 'invalid_client_metadata',
  AuthorizationPendingException: 'authorization_pending',
  SlowDownException: 'slow_down',
  AccessDeniedException: 'access_denied',
  ExpiredTokenException: 'expired_token',
  InternalServerException: 'server_error',
};

/** SSO OIDC error: OAuth-style body; the SDK picks the class from x-amzn-errortype only. */
export function oidcError(status: number, type: string, description: string, log?: Partial<CallEntry>): ApiResult {
  return {
    status,
    contentType: 'application/json',
    headers: { 'x-amzn-errortype': type },
    body: JSON.stringify({ error: OAUTH_ERROR[type] ?? type, error_description: description }),
    errorType: type,
    log,
  };
}

/** SSO portal error: single `message` member. */
export function portalError(status: number, type: string, message: string, log?: Partial<CallEntry>): ApiResult {
  return {
    status,
    contentType: 'application/json',
    headers: { 'x-amzn-errortype': type },
    body: JSON.stringify({ message }),
    errorType: type,
    log,
  };
}

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** STS awsQuery success: <OpResponse><OpResult>inner</OpResult><ResponseMetadata/></OpResponse>. */
export function stsResult(operation: string, innerXml: string, log?: Partial<CallEntry>): ApiResult {
  const body =
    `<${operation}Response xmlns="${STS_NS}">\n  <${operation}Result>\n${innerXml}  </${operation}Result>\n` +
    `  <ResponseMetadata>\n    <RequestId>${requestId()}</RequestId>\n  </ResponseMetadata>\n</${operation}Response>\n`;
  return { status: 200, contentType: 'text/xml', body, log };
}

export function stsError(status: number, code: string, message: string, log?: Partial<CallEntry>): ApiResult {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  const body =
    `<ErrorResponse xmlns="${STS_NS}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${xmlEscape(code)}</Code>\n` +
    `    <Message>${xmlEscape(message)}</Message>\n  </Error>\n  <RequestId>${requestId()}</RequestId>\n</ErrorResponse>\n`;
  return { status, contentType: 'text/xml', body, errorType: code, log };
}
