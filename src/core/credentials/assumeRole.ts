// Role chaining: STS AssumeRole signed with an Identity Center role's credentials, through the real
// SDK client (endpoint from the SDK's own resolution, so AWS_ENDPOINT_URL_STS applies).
// Errors carry our own words and non-secret names only: never keys, tokens or server text.
import * as l10n from '@vscode/l10n';
import type * as Sdk from '../aws/awsSdk';
import { ChainedRoleDefinition } from './chainedRoles';
import { IdcError } from '../common/errors';
import { INSECURE_ENDPOINT, guardTokenEndpoints } from '../aws/endpointGuard';
import { assumeCancelled, toAssumeRoleError } from './assumeRoleErrors';

export { toAssumeRoleError } from './assumeRoleErrors';
import { loadSdk } from '../aws/loadSdk';
import { networkSettings } from '../aws/network';
import { RoleCredentialsSecret, RoleRef } from '../common/model';

type StsConfig = ConstructorParameters<typeof Sdk.STSClient>[0];

export interface AssumeChainedRoleOptions {
  /**
   * Asks for the current MFA code (undefined: the user cancelled). Called once per AssumeRole;
   * again only if the answer was not 6 digits, with `problem` saying so.
   */
  mfaCode?: (def: ChainedRoleDefinition, problem?: string) => Promise<string | undefined>;
  /** STS region when the entry sets none (the Identity Center region). */
  region: string;
  /** RoleSessionName when the entry sets none (e.g. the user's sign-in name); else "awsidc-<source role>". */
  sessionName?: string;
  signal?: AbortSignal;
  requestTimeoutMs?: number;
  /** Builds the STS client (tests, or a caller wanting its own handler); it is destroyed after the call. */
  createClient?: (sdk: typeof Sdk, config: StsConfig) => Sdk.STSClient;
}

const MFA_PROMPTS = 3;
/** What an MFA device shows: six digits (the prompt and the AssumeRole call both check it). */
export const MFA_CODE = /^\d{6}$/;

export async function assumeChainedRole(
  def: ChainedRoleDefinition,
  sourceCreds: RoleCredentialsSecret,
  opts: AssumeChainedRoleOptions,
): Promise<RoleCredentialsSecret> {
  const source: RoleRef = { accountId: sourceCreds.accountId, roleName: sourceCreds.roleName };
  const region = def.region ?? opts.region;
  const sdk = await loadSdk();
  const tokenCode = def.mfaSerial ? await askMfaCode(def, opts) : undefined;
  if (opts.signal?.aborted) throw assumeCancelled(def);
  const config: StsConfig = {
    region,
    // An MFA code is single-use: a retry after a lost response would be refused, so never retry then.
    maxAttempts: tokenCode ? 1 : 3,
    // throwOnRequestTimeout: without it the SDK only warns about a stalled server and waits forever.
    // The proxy and CA settings every AWS call follows (aws/network.ts).
    requestHandler: sdk.createRequestHandler({
      requestTimeout: opts.requestTimeoutMs ?? 15_000,
      connectionTimeout: 5_000,
      throwOnRequestTimeout: true,
      settings: networkSettings,
    }),
    // No expiration on purpose: the broker decides freshness; STS says so if the keys are dead.
    credentials: { accessKeyId: sourceCreds.accessKeyId, secretAccessKey: sourceCreds.secretAccessKey, sessionToken: sourceCreds.sessionToken },
  };
  const client = opts.createClient?.(sdk, config) ?? new sdk.STSClient(config);
  // The session token goes only over https or to loopback (wherever AWS_ENDPOINT_URL* points).
  guardTokenEndpoints(client, 'STS');
  try {
    const out = await client.send(
      new sdk.AssumeRoleCommand({
        RoleArn: def.roleArn,
        RoleSessionName: def.roleSessionName ?? defaultSessionName(opts.sessionName, source),
        ExternalId: def.externalId,
        DurationSeconds: def.durationSeconds,
        SourceIdentity: def.sourceIdentity,
        SerialNumber: tokenCode ? def.mfaSerial : undefined,
        TokenCode: tokenCode,
        // Session policies: the session gets at most what both the role and these allow.
        Policy: def.policy,
        PolicyArns: def.policyArns?.map((arn) => ({ arn })),
      }),
      { abortSignal: opts.signal },
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
      throw new IdcError(
        'service',
        l10n.t({ message: 'Assuming "{0}": AWS STS answered without credentials. Try again.', args: [def.name], comment: ['{0}: a chained role name'] }),
      );
    }
    const target = roleFromArn(def.roleArn);
    return {
      ...target,
      via: source,
      chainName: def.name,
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration.getTime(),
    };
  } catch (e) {
    if (e instanceof IdcError && e.causeName === INSECURE_ENDPOINT) throw e;
    throw toAssumeRoleError(e, def, source, region);
  } finally {
    client.destroy();
  }
}

/** RoleSessionName from a preferred name or the source role: AWS's characters only, 2 to 64 long. */
export function defaultSessionName(preferred: string | undefined, source: RoleRef): string {
  const clean = (s: string) => s.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  const mine = preferred ? clean(preferred.trim()) : '';
  return mine.length >= 2 ? mine : clean(`awsidc-${source.roleName}`);
}

async function askMfaCode(def: ChainedRoleDefinition, opts: AssumeChainedRoleOptions): Promise<string> {
  if (!opts.mfaCode) {
    throw new IdcError(
      'cancelled',
      l10n.t({
        message: 'MFA code needed to assume "{0}": choose the role again to enter the code from {1}.',
        args: [def.name, def.mfaSerial ?? ''],
        comment: ['{0}: a chained role name; {1}: an MFA device ARN or serial number'],
      }),
    );
  }
  let problem: string | undefined;
  for (let i = 0; i < MFA_PROMPTS; i++) {
    const answer = await opts.mfaCode(def, problem);
    if (answer === undefined) {
      throw new IdcError(
        'cancelled',
        l10n.t({
          message: 'MFA code needed to assume "{0}": the prompt was cancelled. Choose the role again and enter the 6-digit code from {1}.',
          args: [def.name, def.mfaSerial ?? ''],
          comment: ['{0}: a chained role name; {1}: an MFA device ARN or serial number'],
        }),
      );
    }
    const code = answer.replace(/\s/g, '');
    if (MFA_CODE.test(code)) return code;
    problem = l10n.t('The MFA code is the 6 digits your device shows now.');
  }
  throw new IdcError(
    'denied',
    l10n.t({
      message: 'Assuming "{0}": the MFA code must be the 6 digits your device {1} shows. Choose the role again to retry.',
      args: [def.name, def.mfaSerial ?? ''],
      comment: ['{0}: a chained role name; {1}: an MFA device ARN or serial number'],
    }),
  );
}

function roleFromArn(arn: string): RoleRef {
  const m = arn.match(/^arn:[\w-]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/);
  if (!m)
    throw new IdcError(
      'unknown',
      l10n.t({
        message: '"{0}" is not a role ARN. Fix roleArn in awsIdc.chainedRoles.',
        args: [arn],
        comment: ['{0}: an ARN; roleArn and awsIdc.chainedRoles are setting names'],
      }),
    );
  return { accountId: m[1], roleName: m[2] };
}
