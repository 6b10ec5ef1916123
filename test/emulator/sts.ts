// STS (awsQuery): GetCallerIdentity and AssumeRole. The signature is not
// verified; the access key id in the SigV4 Credential= tells us who is calling.
// AssumeRole logs every parameter it was sent; assumeRoleRequirements stands in for trust policies.
import type { CallEntry } from './callLog';
import type { Context } from './context';
import { roleId } from './ids';
import { issueRoleKey } from './portal';
import { stsError, stsResult, xmlEscape, type ApiResult } from './responses';
import type { RoleKey } from './state';

export function accessKeyFromAuthorization(header: string | undefined): string | undefined {
  return header?.match(/Credential=([^/,\s]+)\//)?.[1];
}

/** Resolve the calling key; every outcome is logged with the key and whether it had expired. */
function caller(ctx: Context, authorization: string | undefined): RoleKey | ApiResult {
  const accessKeyId = accessKeyFromAuthorization(authorization);
  if (!accessKeyId) return stsError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
  const key = ctx.state.roleKeys.get(accessKeyId);
  if (!key) {
    return stsError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.', { accessKeyId });
  }
  const expiredKey = key.expiresAt <= ctx.now();
  if (expiredKey) {
    return stsError(403, 'ExpiredToken', 'The security token included in the request is expired', {
      accessKeyId,
      expiredKey,
      accountId: key.accountId,
      roleName: key.roleName,
    });
  }
  return key;
}

const keyLog = (k: RoleKey) => ({ accessKeyId: k.accessKeyId, expiredKey: false, accountId: k.accountId, roleName: k.roleName });
const assumedArn = (k: { accountId: string; roleName: string; sessionName: string }) =>
  `arn:aws:sts::${k.accountId}:assumed-role/${k.roleName}/${k.sessionName}`;

export function getCallerIdentity(ctx: Context, authorization: string | undefined): ApiResult {
  const k = caller(ctx, authorization);
  if ('status' in k) return k;
  const inner =
    `    <UserId>${roleId(k.accountId, k.roleName)}:${xmlEscape(k.sessionName)}</UserId>\n` +
    `    <Account>${k.accountId}</Account>\n    <Arn>${xmlEscape(assumedArn(k))}</Arn>\n`;
  return stsResult('GetCallerIdentity', inner, keyLog(k));
}

export function assumeRole(ctx: Context, params: URLSearchParams, authorization: string | undefined): ApiResult {
  const k = caller(ctx, authorization);
  if ('status' in k) return k;
  const log = { ...keyLog(k), ...assumeRoleParams(params) };
  const roleArn = params.get('RoleArn') ?? '';
  const sessionName = params.get('RoleSessionName') ?? '';
  const m = roleArn.match(/^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/);
  if (!m) return stsError(400, 'ValidationError', `Invalid RoleArn: ${roleArn}`, log);
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    return stsError(400, 'ValidationError', 'RoleSessionName must be 2-64 characters of [\\w+=,.@-]', log);
  }
  const duration = params.has('DurationSeconds') ? Number(params.get('DurationSeconds')) : ctx.options.roleCredentialTtlSec;
  if (params.has('DurationSeconds') && !(Number.isInteger(duration) && duration >= 900 && duration <= 43200)) {
    return stsError(400, 'ValidationError', 'DurationSeconds must be between 900 and 43200', log);
  }
  // Every caller here is a role session, so AWS's role-chaining cap of one hour always applies.
  if (params.has('DurationSeconds') && duration > 3600) {
    return stsError(400, 'ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.', log);
  }
  const packed = packedPolicySize(params, log);
  if (typeof packed !== 'number') return packed;
  const refused = checkRequirements(ctx, params, roleArn, assumedArn(k), log);
  if (refused) return refused;
  const [, accountId, roleName] = m;
  const key = issueRoleKey(ctx, accountId, roleName, sessionName, duration, 'AssumeRole');
  const expiration = new Date(key.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const inner =
    '    <Credentials>\n' +
    `      <AccessKeyId>${key.accessKeyId}</AccessKeyId>\n` +
    `      <SecretAccessKey>${xmlEscape(key.secretAccessKey)}</SecretAccessKey>\n` +
    `      <SessionToken>${xmlEscape(key.sessionToken)}</SessionToken>\n` +
    `      <Expiration>${expiration}</Expiration>\n` +
    '    </Credentials>\n    <AssumedRoleUser>\n' +
    `      <AssumedRoleId>${roleId(accountId, roleName)}:${xmlEscape(sessionName)}</AssumedRoleId>\n` +
    `      <Arn>${xmlEscape(assumedArn(key))}</Arn>\n    </AssumedRoleUser>\n` +
    (packed > 0 ? `    <PackedPolicySize>${packed}</PackedPolicySize>\n` : '');
  // Log the caller's key (the one that signed), plus the role that was assumed.
  return stsResult('AssumeRole', inner, { ...log, accountId, roleName });
}

/** What AssumeRole was asked, for the call log (only the parameters that were sent). */
function assumeRoleParams(params: URLSearchParams): Partial<CallEntry> {
  const out: Partial<CallEntry> = {};
  const put = (key: 'roleArn' | 'roleSessionName' | 'externalId' | 'sourceIdentity' | 'serialNumber' | 'tokenCode', name: string) => {
    const v = params.get(name);
    if (v !== null) out[key] = v;
  };
  put('roleArn', 'RoleArn');
  put('roleSessionName', 'RoleSessionName');
  put('externalId', 'ExternalId');
  put('sourceIdentity', 'SourceIdentity');
  put('serialNumber', 'SerialNumber');
  put('tokenCode', 'TokenCode');
  if (params.has('DurationSeconds')) out.durationSeconds = Number(params.get('DurationSeconds'));
  const policy = params.get('Policy');
  if (policy !== null) out.policy = policy;
  const arns = policyArns(params);
  if (arns.length) out.policyArns = arns;
  return out;
}

function policyArns(params: URLSearchParams): string[] {
  const arns: string[] = [];
  for (let n = 1; params.has(`PolicyArns.member.${n}.arn`); n++) arns.push(params.get(`PolicyArns.member.${n}.arn`)!);
  return arns;
}

/**
 * Session policies as STS checks them: Policy is JSON of at most 2,048 characters (else ValidationError),
 * a policy document (else MalformedPolicyDocument), at most 10 PolicyArns; the packed size is a percentage
 * of the limit (here: the compact JSON's length plus 100 per managed policy, of 2,048), over 100 refused.
 */
function packedPolicySize(params: URLSearchParams, log: Partial<CallEntry>): number | ApiResult {
  const policy = params.get('Policy');
  const arns = policyArns(params);
  if (arns.length > 10)
    return stsError(400, 'ValidationError', "Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10", log);
  if (arns.some((a) => !/^arn:aws[\w-]*:iam::(\d{12}|aws):policy\/[\w+=,.@/-]+$/.test(a))) {
    return stsError(400, 'ValidationError', 'Invalid policy ARN in PolicyArns', log);
  }
  if (policy === null) return arns.length ? Math.ceil((arns.length * 100 * 100) / 2048) : 0;
  if (policy.length > 2048)
    return stsError(400, 'ValidationError', "Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048", log);
  let doc: unknown;
  try {
    doc = JSON.parse(policy);
  } catch {
    return stsError(400, 'MalformedPolicyDocument', 'The policy is not in the valid JSON format.', log);
  }
  const statements = (doc as { Statement?: unknown } | null)?.Statement;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || !statements || typeof statements !== 'object') {
    return stsError(400, 'MalformedPolicyDocument', 'Syntax errors in policy.', log);
  }
  const size = Math.ceil(((JSON.stringify(doc).length + arns.length * 100) * 100) / 2048);
  if (size > 100) return stsError(400, 'PackedPolicyTooLarge', `Packed size of the policy: ${size}%`, log);
  return size;
}

/** The assumeRoleRequirements knob: AWS's answers for a trust policy's ExternalId and MFA conditions. */
function checkRequirements(ctx: Context, params: URLSearchParams, roleArn: string, callerArn: string, log: Partial<CallEntry>): ApiResult | undefined {
  const req = ctx.options.assumeRoleRequirements[roleArn];
  if (!req) return undefined;
  const notAuthorized = () => stsError(403, 'AccessDenied', `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, log);
  if (req.externalId !== undefined && params.get('ExternalId') !== req.externalId) return notAuthorized();
  if (req.mfaSerial === undefined && req.mfaCode === undefined) return undefined;
  const serial = params.get('SerialNumber');
  const code = params.get('TokenCode');
  if (serial === null || code === null) return notAuthorized(); // aws:MultiFactorAuthPresent is false
  if ((req.mfaSerial !== undefined && serial !== req.mfaSerial) || (req.mfaCode !== undefined && code !== req.mfaCode)) {
    return stsError(403, 'AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.', log);
  }
  return undefined;
}

/**
 * IAM GetAccessKeyLastUsed (awsQuery like STS, served on the same endpoint: AWS_ENDPOINT_URL_IAM),
 * signed by a role session; roles in accessKeyLastUsed.deniedRoles get AccessDenied as IAM answers.
 */
export function getAccessKeyLastUsed(ctx: Context, params: URLSearchParams, authorization: string | undefined): ApiResult {
  const k = caller(ctx, authorization);
  if ('status' in k) return k;
  const keyId = params.get('AccessKeyId') ?? '';
  const log = { ...keyLog(k) };
  if (ctx.options.accessKeyLastUsed.deniedRoles.includes(k.roleName)) {
    return stsError(
      403,
      'AccessDenied',
      `User: ${assumedArn(k)} is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key ${keyId} because no identity-based policy allows the iam:GetAccessKeyLastUsed action`,
      log,
    );
  }
  const known = ctx.options.accessKeyLastUsed.keys[keyId];
  if (!known) return stsError(400, 'AccessDenied', `The access key ${keyId} does not belong to account ${k.accountId}`, log);
  const used = known.lastUsedDate
    ? `      <LastUsedDate>${xmlEscape(known.lastUsedDate)}</LastUsedDate>\n      <ServiceName>${xmlEscape(known.serviceName ?? 'N/A')}</ServiceName>\n      <Region>${xmlEscape(known.region ?? 'N/A')}</Region>\n`
    : '      <ServiceName>N/A</ServiceName>\n      <Region>N/A</Region>\n';
  return stsResult(
    'GetAccessKeyLastUsed',
    `    <UserName>${xmlEscape(known.userName)}</UserName>\n    <AccessKeyLastUsed>\n${used}    </AccessKeyLastUsed>\n`,
    log,
  );
}
