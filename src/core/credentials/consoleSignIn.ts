// Console sign-in with temporary credentials through the AWS federation endpoint.
// The credentials only ever go to AWS's own sign-in host of the role's partition; the browser
// gets a single-use sign-in token, never the keys.
import * as l10n from '@vscode/l10n';
import { IdcError, errorName, isTlsFailure, toServiceError } from '../common/errors';
import { loadSdk } from '../aws/loadSdk';
import { PROXY_AUTH_REQUIRED, PROXY_UNREACHABLE, networkSettings } from '../aws/network';
import type { RoleCredentialsSecret } from '../common/model';
import { FALLBACK_REGION } from '../common/region';
import { isLoopbackHttp } from '../common/validate';
import { consoleDestinationUrl } from './consoleDestination';

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

export function partitionOf(region: string): Partition {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  // ISO partitions have no public federation endpoint.
  if (/^(us-iso|us-isob|eu-isoe|us-isof)-/.test(region)) {
    throw new IdcError(
      'badInput',
      l10n.t({
        message: "The AWS console sign-in is not available for {0} from here. Open the console from your partition's own portal.",
        args: [region],
        comment: ['{0}: an AWS region'],
      }),
    );
  }
  return 'aws';
}

const SIGNIN_HOSTS: Record<Partition, string> = {
  aws: 'https://signin.aws.amazon.com',
  'aws-cn': 'https://signin.amazonaws.cn',
  'aws-us-gov': 'https://signin.amazonaws-us-gov.com',
};

/**
 * Where to trade credentials for a sign-in token, and where the browser lands. The sign-in host can
 * be replaced with AWS_ENDPOINT_URL_SIGNIN (set by whoever runs the editor, like the SDK's other
 * AWS_ENDPOINT_URL_* variables; tests point it at the local emulator), https or loopback only.
 */
export function federationEndpoint(region: string, env: NodeJS.ProcessEnv = process.env): { signin: string; console: string } {
  const partition = partitionOf(region || FALLBACK_REGION);
  const consoleUrl = consoleDestinationUrl(region || FALLBACK_REGION);
  const override = env.AWS_ENDPOINT_URL_SIGNIN?.trim();
  if (override && !override.startsWith('https://') && !isLoopbackHttp(override)) {
    throw new IdcError(
      'badInput',
      l10n.t({
        message: 'AWS_ENDPOINT_URL_SIGNIN must be an https URL (or http on 127.0.0.1). Fix or unset it, then try again.',
        comment: ['AWS_ENDPOINT_URL_SIGNIN is an environment variable'],
      }),
    );
  }
  return { signin: `${(override || SIGNIN_HOSTS[partition]).replace(/\/+$/, '')}/federation`, console: consoleUrl };
}

export async function consoleLoginUrl(
  creds: RoleCredentialsSecret,
  region: string,
  options: {
    signal?: AbortSignal;
    env?: NodeJS.ProcessEnv;
    /** A console path (consoleDestination.ts); default the console home. */ destination?: string;
  } = {},
): Promise<string> {
  const { signin } = federationEndpoint(region, options.env);
  const console = consoleDestinationUrl(region || FALLBACK_REGION, options.destination);
  const session = JSON.stringify({ sessionId: creds.accessKeyId, sessionKey: creds.secretAccessKey, sessionToken: creds.sessionToken });
  let response: { ok: boolean; status: number; json(): Promise<unknown> };
  try {
    response = await federationGet(new URL(signin), { Action: 'getSigninToken', Session: session }, options);
  } catch (e) {
    const name = errorName(e);
    // A certificate or proxy problem says which setting to look at (the one mapper words it).
    if (isTlsFailure(e) || name === PROXY_UNREACHABLE || name === PROXY_AUTH_REQUIRED) {
      throw toServiceError(e, l10n.t('Console sign-in'), { service: 'signin' });
    }
    throw new IdcError(
      'network',
      l10n.t({
        message: 'Could not reach the AWS sign-in service ({0}). Check your network connection and try again.',
        args: [new URL(signin).host],
        comment: ['{0}: a host name'],
      }),
      name,
    );
  }
  if (!response.ok) {
    throw new IdcError(
      'denied',
      l10n.t({
        message:
          "The AWS sign-in service refused the role's credentials (HTTP {0}). Try again in a minute; if it keeps failing, the role may not allow console access.",
        args: [response.status],
        comment: ['{0}: an HTTP status code'],
      }),
      `HTTP${response.status}`,
    );
  }
  const body = (await response.json().catch(() => ({}))) as { SigninToken?: unknown };
  if (typeof body.SigninToken !== 'string' || !body.SigninToken) {
    throw new IdcError('denied', l10n.t('The AWS sign-in service did not return a sign-in token. Try again.'));
  }
  const issuer = encodeURIComponent('https://github.com/aws-identity-center-sessions');
  return `${signin}?Action=login&Issuer=${issuer}&Destination=${encodeURIComponent(console)}&SigninToken=${encodeURIComponent(body.SigninToken)}`;
}

/**
 * One GET through the SDK's own request handler, so the federation endpoint follows the same proxy
 * and CA settings as every other AWS call (Node's fetch would ignore both).
 */
async function federationGet(
  url: URL,
  query: Record<string, string>,
  options: { signal?: AbortSignal },
): Promise<{ ok: boolean; status: number; json(): Promise<unknown> }> {
  const sdk = await loadSdk();
  const handler = sdk.createRequestHandler({ requestTimeout: 10_000, connectionTimeout: 5_000, throwOnRequestTimeout: true, settings: networkSettings });
  try {
    const { response } = await handler.handle(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port ? Number(url.port) : undefined,
        path: url.pathname,
        query,
        method: 'GET',
        headers: { host: url.host, accept: 'application/json' },
      } as never,
      { abortSignal: options.signal as never },
    );
    const chunks: Buffer[] = [];
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      // A sign-in token is a few KB; anything far larger is not an answer of the sign-in service.
      if (chunks.reduce((n, c) => n + c.length, 0) > 256 * 1024) throw Object.assign(new Error('response too large'), { name: 'ResponseTooLarge' });
    }
    const text = Buffer.concat(chunks).toString('utf8');
    return { ok: response.statusCode >= 200 && response.statusCode < 300, status: response.statusCode, json: async () => JSON.parse(text) };
  } finally {
    handler.destroy();
  }
}
