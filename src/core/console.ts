// Console sign-in with temporary credentials through the AWS federation endpoint.
// The sign-in token only ever goes to AWS's own sign-in host and then into the browser URL.
import type { RoleCredentialsSecret } from './model';

export function federationEndpoint(region: string): { signin: string; console: string } {
  if (region.startsWith('us-gov-')) return { signin: 'https://signin.amazonaws-us-gov.com/federation', console: 'https://console.amazonaws-us-gov.com/' };
  if (region.startsWith('cn-')) return { signin: 'https://signin.amazonaws.cn/federation', console: 'https://console.amazonaws.cn/' };
  return { signin: 'https://signin.aws.amazon.com/federation', console: `https://${region || 'us-east-1'}.console.aws.amazon.com/` };
}

export async function consoleLoginUrl(
  creds: RoleCredentialsSecret,
  region: string,
  fetchImpl: typeof fetch = fetch,
  signal?: AbortSignal,
): Promise<string> {
  const { signin, console } = federationEndpoint(region);
  const session = JSON.stringify({ sessionId: creds.accessKeyId, sessionKey: creds.secretAccessKey, sessionToken: creds.sessionToken });
  const response = await fetchImpl(`${signin}?Action=getSigninToken&Session=${encodeURIComponent(session)}`, { signal });
  if (!response.ok) throw new Error(`The AWS sign-in service answered ${response.status}.`);
  const body = (await response.json()) as { SigninToken?: string };
  if (!body.SigninToken) throw new Error('The AWS sign-in service did not return a sign-in token.');
  const issuer = encodeURIComponent('https://github.com/aws-identity-center-sessions');
  return `${signin}?Action=login&Issuer=${issuer}&Destination=${encodeURIComponent(console)}&SigninToken=${encodeURIComponent(body.SigninToken)}`;
}
