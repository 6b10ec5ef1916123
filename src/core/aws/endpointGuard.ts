// Where tokens may travel. Every SSO OIDC, portal and STS request carries a secret (the client
// secret, a refresh or access token, a session token), and the SDK takes its address from
// AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE> or a profile's endpoint_url, none of which it checks.
// So the request the SDK is about to send (finalize step, after retries and signing pick it) is
// refused unless it is https, or http to a loopback address (a local emulator); https to a host
// that is not AWS is allowed but named to the user once.
import * as l10n from '@vscode/l10n';
import { IdcError } from '../common/errors';
import { isLoopbackHost } from '../common/validate';

/** Host suffixes of AWS service endpoints (commercial, China, GovCloud, dual-stack). */
const AWS_SUFFIXES = ['.amazonaws.com', '.amazonaws.com.cn', '.api.aws'];

export function isAwsHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return AWS_SUFFIXES.some((s) => h.endsWith(s));
}

/** Why a URL must not carry a token, or undefined when it may. */
export function tokenUrlProblem(protocol: string, hostname: string): 'scheme' | 'plainHttp' | undefined {
  const p = protocol.replace(/:$/, '').toLowerCase();
  if (p === 'https') return undefined;
  if (p !== 'http') return 'scheme';
  return isLoopbackHost(hostname) ? undefined : 'plainHttp';
}

/** causeName of the refusal (callers that re-word SDK errors pass it through as it is). */
export const INSECURE_ENDPOINT = 'InsecureEndpoint';

let notice: (message: string) => void = () => undefined;
const named = new Set<string>();

/** Where "tokens go to a host that is not AWS" is said (the adapter logs it and shows it once). */
export function setEndpointNotice(fn: (message: string) => void): void {
  notice = fn;
}

/** Throws before a token leaves for `service` at `hostname` over `protocol`; names a non-AWS https host once. */
export function checkTokenDestination(service: string, protocol: string, hostname: string): void {
  const problem = tokenUrlProblem(protocol, hostname);
  if (problem) {
    throw new IdcError(
      'badInput',
      l10n.t({
        message:
          'Refused to send AWS sign-in secrets to {0} over an unencrypted connection ({1}). Set AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_{2} or endpoint_url in your AWS config to an https URL (or http on 127.0.0.1), or unset them, then try again.',
        args: [hostname, protocol.replace(/:$/, ''), service],
        comment: ['{0}: a host name; {1}: a URL scheme such as http; {2}: SSO_OIDC, SSO or STS; AWS_ENDPOINT_URL… are environment variables'],
      }),
      INSECURE_ENDPOINT,
    );
  }
  const host = hostname.toLowerCase();
  if (isLoopbackHost(host) || isAwsHost(host) || named.has(host)) return;
  named.add(host);
  notice(
    l10n.t({
      message:
        'Your AWS sign-in tokens are being sent to {0}, which is not an AWS address (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_{1} or endpoint_url in your AWS config points there). If you did not set this up, unset it and sign out.',
      args: [host, service],
      comment: ['{0}: a host name; {1}: SSO_OIDC, SSO or STS; AWS_ENDPOINT_URL… are environment variables'],
    }),
  );
}

interface MiddlewareStackLike {
  add(middleware: never, options: { step: 'finalizeRequest'; priority: 'low'; name: string }): void;
}

/** Adds the check to an SDK client: on every attempt, after retries and signing, before a byte is sent. */
export function guardTokenEndpoints(client: { middlewareStack: MiddlewareStackLike }, service: 'SSO_OIDC' | 'SSO' | 'STS' | 'IAM' | 'CLOUDTRAIL'): void {
  const middleware =
    (next: (args: { request: unknown }) => Promise<unknown>) =>
    (args: { request: unknown }): Promise<unknown> => {
      const request = args.request as { protocol?: string; hostname?: string };
      checkTokenDestination(service, String(request?.protocol ?? ''), String(request?.hostname ?? ''));
      return next(args);
    };
  client.middlewareStack.add(middleware as never, { step: 'finalizeRequest', priority: 'low', name: 'awsIdcTokenEndpointGuard' });
}

/** The verification page the server names is opened in the browser: https, or http on loopback, only. */
export function checkVerificationUri(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || tokenUrlProblem(url.protocol, url.hostname) || url.username || url.password) {
    throw new IdcError(
      'service',
      l10n.t(
        'IAM Identity Center answered with a verification page that is not an https address, so it was not opened. Check AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_SSO_OIDC and endpoint_url in your AWS config, then sign in again.',
      ),
      'InsecureVerificationUri',
    );
  }
  return value;
}

/** For tests: forget which hosts were named. */
export function resetNamedHosts(): void {
  named.clear();
}
