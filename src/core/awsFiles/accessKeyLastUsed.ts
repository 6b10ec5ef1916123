// When a long-term key was last used (IAM GetAccessKeyLastUsed), asked with the credentials of the
// Identity Center role that is to replace it: helps decide whether anything still depends on the key.
// The key id is read from where the key is at the moment of asking; only the id is sent, never the secret.
import * as l10n from '@vscode/l10n';
import { errorName } from '../common/errors';
import type { RoleCredentialsSecret } from '../common/model';
import { guardTokenEndpoints } from '../aws/endpointGuard';
import { loadReviewSdk, loadSdk } from '../aws/loadSdk';
import { networkSettings } from '../aws/network';
import type { LongTermKeyFinding } from './longTermKeys';

export type KeyLastUsed =
  | { kind: 'used'; date: Date; service: string; region: string }
  | { kind: 'never' }
  /** The role may not call iam:GetAccessKeyLastUsed (or the key is not in its account). */
  | { kind: 'denied'; message: string }
  | { kind: 'failed'; message: string };

/** The full key id where the finding is (file + profile, or the variable), or undefined if it is gone. */
export async function keyIdOf(finding: LongTermKeyFinding, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (finding.where === 'environment') return env[finding.variable ?? '']?.trim() || undefined;
  const { loadSharedConfigFiles } = await loadSdk();
  const other = `${finding.file}.not-read/none`;
  const files = await loadSharedConfigFiles({
    filepath: finding.where === 'credentials' ? finding.file : other,
    configFilepath: finding.where === 'config' ? finding.file : other,
    ignoreCache: true,
  });
  const sections = finding.where === 'credentials' ? files.credentialsFile : files.configFile;
  return sections[finding.profile ?? '']?.aws_access_key_id?.trim() || undefined;
}

/** IAM is global: its endpoint lives in the partition's first region. */
const iamRegion = (region: string): string => (region.startsWith('cn-') ? 'cn-north-1' : region.startsWith('us-gov-') ? 'us-gov-west-1' : 'us-east-1');

export async function keyLastUsed(keyId: string, creds: RoleCredentialsSecret, region: string, signal?: AbortSignal): Promise<KeyLastUsed> {
  const sdk = await loadReviewSdk();
  const client = new sdk.IAMClient({
    region: iamRegion(region),
    maxAttempts: 2,
    requestHandler: sdk.createRequestHandler({ requestTimeout: 10_000, connectionTimeout: 5_000, throwOnRequestTimeout: true, settings: networkSettings }),
    credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken },
  });
  guardTokenEndpoints(client, 'IAM');
  try {
    const out = await client.send(new sdk.GetAccessKeyLastUsedCommand({ AccessKeyId: keyId }), { abortSignal: signal });
    const used = out.AccessKeyLastUsed;
    return used?.LastUsedDate ? { kind: 'used', date: used.LastUsedDate, service: used.ServiceName ?? '', region: used.Region ?? '' } : { kind: 'never' };
  } catch (e) {
    const name = errorName(e);
    if (name === 'AccessDenied' || name === 'AccessDeniedException')
      return {
        kind: 'denied',
        message: l10n.t({
          message: "{0} / {1} may not read when the key was last used: that needs iam:GetAccessKeyLastUsed on the key's IAM user (in the key's own account).",
          args: [creds.accountId, creds.roleName],
          comment: ['{0}: an account id; {1}: a role name; iam:GetAccessKeyLastUsed is an IAM action'],
        }),
      };
    return {
      kind: 'failed',
      message: l10n.t({ message: 'When the key was last used could not be read ({0}).', args: [name], comment: ['{0}: an error name'] }),
    };
  } finally {
    client.destroy();
  }
}
