// What went wrong with an STS AssumeRole for a chained role, and what to change: from the error's
// name and our knowledge of the entry. Never keys, tokens or server text.
import * as l10n from '@vscode/l10n';
import { IdcError, errorName, isAbort, toServiceError } from '../common/errors';
import type { RoleRef } from '../common/model';
import type { ChainedRoleDefinition } from './chainedRoles';

export const assumeCancelled = (def: ChainedRoleDefinition): IdcError =>
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
  if (isAbort(e)) return assumeCancelled(def);
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
        message: "Check that the role's trust policy lets the Identity Center role (or account {0}) call sts:AssumeRole.",
        args: [source.accountId],
        comment: ['One of the checks listed after "… was denied."; {0}: an account id; sts:AssumeRole is an IAM action'],
      }),
      l10n.t({
        message: 'Check that the permission set allows sts:AssumeRole on that role.',
        comment: ['One of the checks listed after "… was denied."; sts:AssumeRole is an IAM action'],
      }),
      def.externalId
        ? l10n.t({
            message: "Check that the externalId matches the trust policy's sts:ExternalId.",
            comment: ['One of the checks listed after "… was denied."; externalId is a setting key'],
          })
        : l10n.t({
            message: 'Check that the trust policy does not require an external id (if it does, add "externalId").',
            comment: ['One of the checks listed after "… was denied."; externalId is a setting key'],
          }),
    ];
    if (def.mfaSerial)
      checks.push(
        l10n.t({
          message: 'Check that {0} is the MFA device the trust policy expects.',
          args: [def.mfaSerial],
          comment: ['One of the checks listed after "… was denied."; {0}: an MFA device ARN'],
        }),
      );
    if (def.sourceIdentity)
      checks.push(
        l10n.t({
          message: 'Check that the trust policy also allows sts:SetSourceIdentity.',
          comment: ['One of the checks listed after "… was denied."; sts:SetSourceIdentity is an IAM action'],
        }),
      );
    return new IdcError(
      'denied',
      l10n.t({
        message: '{0} was denied. {1}',
        // Each check is a whole sentence of its own: nothing is joined inside a sentence.
        args: [step, checks.join(' ')],
        comment: ['{0}: the step, e.g. "Assuming "Deploy" (arn:…) from Admin in 123456789012"; {1}: whole sentences, each one check ("Check that …")'],
      }),
      name,
    );
  }
  if (name === 'MalformedPolicyDocumentException' || name === 'MalformedPolicyDocument') {
    return new IdcError(
      'badInput',
      l10n.t({
        message:
          '{0} failed: AWS STS found the session policy malformed. Fix "policy" of "{1}" in awsIdc.chainedRoles (a valid IAM policy document: Version, Statement with Effect, Action and Resource).',
        args: [step, def.name],
        comment: [
          '{0}: the step, e.g. "Assuming "Deploy" (arn:…) from Admin in 123456789012"; {1}: a chained role name; "policy", awsIdc.chainedRoles, Version, Statement, Effect, Action, Resource are names to keep',
        ],
      }),
      name,
    );
  }
  if (name === 'PackedPolicyTooLargeException' || name === 'PackedPolicyTooLarge') {
    return new IdcError(
      'badInput',
      l10n.t({
        message:
          '{0} failed: the session policies of "{1}" are too large once AWS STS packs them. Shorten "policy" or list fewer "policyArns" for it in awsIdc.chainedRoles.',
        args: [step, def.name],
        comment: [
          '{0}: the step, e.g. "Assuming "Deploy" (arn:…) from Admin in 123456789012"; {1}: a chained role name; "policy", "policyArns" and awsIdc.chainedRoles are setting names',
        ],
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
          '{0} failed: AWS STS refused a parameter (ValidationError). Check roleArn, roleSessionName, sourceIdentity, externalId, mfaSerial, policy and policyArns in awsIdc.chainedRoles.',
        args: [step],
        comment: [
          '{0}: the step, e.g. "Assuming "Deploy" (arn:…) from Admin in 123456789012"; roleArn, roleSessionName, sourceIdentity, externalId, mfaSerial, policy, policyArns and awsIdc.chainedRoles are setting names',
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
  return toServiceError(e, step, { service: 'sts', region });
}
