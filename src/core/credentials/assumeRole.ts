// Role chaining: STS AssumeRole signed with an Identity Center role's credentials, through the real
// SDK client (endpoint from the SDK's own resolution, so AWS_ENDPOINT_URL_STS applies).
// Errors carry our own words and non-secret names only: never keys, tokens or server text.
import * as l10n from '@vscode/l10n';
import type * as Sdk from '../aws/awsSdk';
import { ChainedRoleDefinition } from './chainedRoles';
import { IdcError, errorName, isAbort, toServiceError } from '../common/errors';
import { loadSdk } from '../aws/loadSdk';
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
  if (opts.signal?.aborted) throw cancelled(def);
  const config: StsConfig = {
    region,
    // An MFA code is single-use: a retry after a lost response would be refused, so never retry then.
    maxAttempts: tokenCode ? 1 : 3,
    // throwOnRequestTimeout: without it the SDK only warns about a stalled server and waits forever.
    requestHandler: { requestTimeout: opts.requestTimeoutMs ?? 15_000, connectionTimeout: 5_000, throwOnRequestTimeout: true },
    // No expiration on purpose: the broker decides freshness; STS says so if the keys are dead.
    credentials: { accessKeyId: sourceCreds.accessKeyId, secretAccessKey: sourceCreds.secretAccessKey, sessionToken: sourceCreds.sessionToken },
  };
  const client = opts.createClient?.(sdk, config) ?? new sdk.STSClient(config);
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

const cancelled = (def: ChainedRoleDefinition) =>
  new IdcError('cancelled', l10n.t({ message: 'Assuming "{0}" was cancelled.', args: [def.name], comment: ['{0}: a chained role name'] }));

const SOURCE_REFUSED = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'UnrecognizedClientException',
]);

/** What went wrong and what to change, from the error's name and our knowledge of the entry. */
export function toAssumeRoleError(e: unknown, def: ChainedRoleDefinition, source: RoleRef, region: string): IdcError {
  if (e instanceof IdcError) return e;
  const name = errorName(e);
  // The server's text is only read to classify, never shown: it may echo request values.
  const serverText = String((e as { message?: unknown })?.message ?? '');
  const step = l10n.t({
    message: 'Assuming "{0}" ({1}) from {2} in {3}',
    args: [def.name, def.roleArn, source.roleName, source.accountId],
    comment: [
      'The step that failed, at the start of an error message; {0}: a chained role name; {1}: its role ARN; {2}: the source role name; {3}: the source account id',
    ],
  });
  if (isAbort(e)) return cancelled(def);
  if (name === 'AccessDenied' || name === 'AccessDeniedException') {
    if (def.mfaSerial && /MultiFactorAuthentication|MFA|one.time/i.test(serverText)) {
      return new IdcError(
        'denied',
        l10n.t({
          message: '{0} failed: the MFA code was not accepted. Wait for the next code from {1} and try again (each code works once).',
          args: [step, def.mfaSerial],
          comment: ['{0}: the step, e.g. "Assuming "Deploy" (arn:…) from Admin in 123456789012"; {1}: an MFA device ARN or serial number'],
        }),
        name,
      );
    }
    const checks = [
      l10n.t({
        message: "the role's trust policy lets the Identity Center role (or account {0}) call sts:AssumeRole",
        args: [source.accountId],
        comment: ['One of the checks in "Check that …; that …"; {0}: an account id; sts:AssumeRole is an IAM action'],
      }),
      l10n.t({
        message: 'the permission set allows sts:AssumeRole on that role',
        comment: ['One of the checks in "Check that …; that …"; sts:AssumeRole is an IAM action'],
      }),
      def.externalId
        ? l10n.t({
            message: "the externalId matches the trust policy's sts:ExternalId",
            comment: ['One of the checks in "Check that …; that …"; externalId is a setting key'],
          })
        : l10n.t({
            message: 'the trust policy does not require an external id (if it does, add "externalId")',
            comment: ['One of the checks in "Check that …; that …"; externalId is a setting key'],
          }),
    ];
    if (def.mfaSerial)
      checks.push(
        l10n.t({
          message: '{0} is the MFA device the trust policy expects',
          args: [def.mfaSerial],
          comment: ['One of the checks in "Check that …; that …"; {0}: an MFA device ARN'],
        }),
      );
    if (def.sourceIdentity)
      checks.push(
        l10n.t({
          message: 'the trust policy also allows sts:SetSourceIdentity',
          comment: ['One of the checks in "Check that …; that …"; sts:SetSourceIdentity is an IAM action'],
        }),
      );
    return new IdcError(
      'denied',
      l10n.t({
        message: '{0} was denied. Check that {1}.',
        args: [step, checks.join(l10n.t({ message: '; that ', comment: ['Joins the checks in "Check that …; that …" (keep the spaces)'] }))],
        comment: ['{0}: the step, e.g. "Assuming "Deploy" (arn:…) from Admin in 123456789012"; {1}: the checks, joined with "; that "'],
      }),
      name,
    );
  }
  if (name === 'ValidationError') {
    if (/DurationSeconds|session limit/i.test(serverText)) {
      return new IdcError(
        'unknown',
        l10n.t({
          message:
            '{0} failed: durationSeconds is longer than allowed. A role assumed from another role lasts at most one hour (and no longer than its maximum session duration): lower durationSeconds in awsIdc.chainedRoles.',
          args: [step],
          comment: ['{0}: the step, e.g. "Assuming "Deploy" (arn:…) from Admin in 123456789012"; durationSeconds and awsIdc.chainedRoles are setting names'],
        }),
        name,
      );
    }
    return new IdcError(
      'unknown',
      l10n.t({
        message:
          '{0} failed: AWS STS refused a parameter (ValidationError). Check roleArn, roleSessionName, sourceIdentity, externalId and mfaSerial in awsIdc.chainedRoles.',
        args: [step],
        comment: [
          '{0}: the step, e.g. "Assuming "Deploy" (arn:…) from Admin in 123456789012"; roleArn, roleSessionName, sourceIdentity, externalId, mfaSerial and awsIdc.chainedRoles are setting names',
        ],
      }),
      name,
    );
  }
  if (SOURCE_REFUSED.has(name)) {
    return new IdcError(
      'unknown',
      l10n.t({
        message:
          "{0} failed: AWS STS did not accept the {1} credentials that signed the request ({2}). Try again (they are fetched anew); if it keeps failing, check this computer's clock or sign in again.",
        args: [step, source.roleName, name],
        comment: [
          '{0}: the step, e.g. "Assuming "Deploy" (arn:…) from Admin in 123456789012"; {1}: the source role name; {2}: an error name, e.g. ExpiredToken',
        ],
      }),
      name,
    );
  }
  if (name === 'RegionDisabledException') {
    return new IdcError(
      'badRegion',
      l10n.t({
        message:
          '{0} failed: AWS STS is not activated in {1} for account {2}. Set "region" on the entry to an activated region, or activate it in IAM account settings.',
        args: [step, region, source.accountId],
        comment: [
          '{0}: the step, e.g. "Assuming "Deploy" (arn:…) from Admin in 123456789012"; {1}: an AWS region; {2}: an account id; "region" is a setting key',
        ],
      }),
      name,
    );
  }
  return toServiceError(e, step, {
    service: 'AWS STS',
    where: l10n.t({ message: ' in {0}', args: [region], comment: ['Appended to "AWS STS" (keep the leading space); {0}: an AWS region'] }),
    endpointWhere: l10n.t({
      message: ' for {0}',
      args: [region],
      comment: ['Appended to "the AWS STS endpoint" (keep the leading space); {0}: an AWS region'],
    }),
    regionSetting: l10n.t({
      message: '"region" on the entry (or awsIdc.region)',
      comment: ['Completes "Check … and your network connection."; "region" and awsIdc.region are setting names'],
    }),
    proxyHint: l10n.t({
      message: ' (and AWS_ENDPOINT_URL_STS, if set).',
      comment: ['Ends the sentence "Check your network or proxy…" (keep the leading space); AWS_ENDPOINT_URL_STS is an environment variable'],
    }),
  });
}
