// Certificate and proxy failures of the network layer (aws/network*.ts), in words that say which
// setting or variable fixes them. The one error mapper (errors.ts) turns these into IdcErrors.
import * as l10n from '@vscode/l10n';

/** Node's codes for a certificate the client does not trust (TLS inspection by a company CA, mostly). */
const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** True when TLS failed because the server's certificate is not trusted or does not match. */
export function isTlsFailure(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && TLS_CODES.has(code);
}

/** Names the request handler (aws/networkHandler.ts) gives proxy failures; the proxy's host:port rides along. */
interface ProxyFailure {
  name?: string;
  code?: string;
  proxy?: string;
  proxySource?: string;
}

/** Certificate and proxy failures: what went wrong and which setting or variable fixes it. */
export function networkFailure(e: unknown, step: string, service: string): { message: string; causeName?: string } | undefined {
  const err = e as ProxyFailure;
  if (isTlsFailure(e))
    return {
      message: l10n.t({
        message:
          "{0} failed: the certificate presented for {1} is not trusted ({2}). If your network inspects TLS with a company certificate authority, add that CA to the operating system's certificate store, or name its PEM file in NODE_EXTRA_CA_CERTS, AWS_CA_BUNDLE or ca_bundle in ~/.aws/config, then try again.",
        args: [step, service, err.code],
        comment: [
          '{0}: the step, e.g. "Sign-in"; {1}: the AWS service; {2}: a TLS error code such as SELF_SIGNED_CERT_IN_CHAIN; NODE_EXTRA_CA_CERTS and AWS_CA_BUNDLE are environment variables, ca_bundle a config key',
        ],
      }),
      causeName: err.code,
    };
  const source = typeof err?.proxySource === 'string' && /^[A-Za-z_.]{1,32}$/.test(err.proxySource) ? err.proxySource : 'http.proxy';
  const proxy = typeof err?.proxy === 'string' ? err.proxy : '';
  if (err?.name === 'ProxyAuthenticationRequired')
    return {
      message: l10n.t({
        message:
          '{0} failed: the proxy {1} (from {2}) asked for credentials (HTTP 407). Put them in the proxy URL (http://user:password@host:port) or set http.proxyAuthorization, then try again.',
        args: [step, proxy, source],
        comment: ['{0}: the step, e.g. "Sign-in"; {1}: a proxy URL without credentials; {2}: where it was set, e.g. http.proxy or HTTPS_PROXY'],
      }),
      causeName: err.name,
    };
  if (err?.name === 'ProxyUnreachable')
    return {
      message: l10n.t({
        message: '{0} failed: the proxy {1} (from {2}) could not be reached ({3}). Check {2}, or clear it if this network has no proxy.',
        args: [step, proxy, source, safeCode(err.code)],
        comment: [
          '{0}: the step, e.g. "Sign-in"; {1}: a proxy URL without credentials; {2}: where it was set, e.g. http.proxy or HTTPS_PROXY; {3}: a network error code',
        ],
      }),
      causeName: err.name,
    };
  return undefined;
}

/** A network error code, if it looks like one (never text a server or proxy made up). */
function safeCode(code: string | undefined): string {
  return code && /^E[A-Z_]{2,30}$/.test(code) ? code : 'Error';
}
