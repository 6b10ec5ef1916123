// The sentences every AWS service shares when it cannot be found, answers too late or cannot be
// reached, one whole sentence per service and case (a translator never sees a fragment).
import * as l10n from '@vscode/l10n';

/** Which service a call went to, and where. */
export type ServiceWording =
  /** IAM Identity Center (OIDC and the portal), in the sign-in's region when known. */
  | { service: 'identityCenter'; region?: string }
  /** AWS STS in the region of a chained role. */
  | { service: 'sts'; region: string }
  /** The AWS sign-in (federation) service of the console. */
  | { service: 'signin' };

/** The service's name as messages show it. */
export function serviceName(w: ServiceWording): string {
  if (w.service === 'identityCenter') return 'IAM Identity Center';
  if (w.service === 'sts') return 'AWS STS';
  return l10n.t('the AWS sign-in service');
}

const STEP = '{0}: the step that failed, e.g. "Sign-in" or "Listing accounts"';
const REGION = 'an AWS region, e.g. us-east-1';

/** The endpoint's name did not resolve (ENOTFOUND). */
export function endpointNotFound(step: string, w: ServiceWording): string {
  if (w.service === 'identityCenter')
    return w.region
      ? l10n.t({
          message:
            '{0} failed: the IAM Identity Center endpoint in region {1} could not be found. Check the region (awsIdc.region) and your network connection.',
          args: [step, w.region],
          comment: [STEP, `{1}: ${REGION}; awsIdc.region is a setting id`],
        })
      : l10n.t({
          message: '{0} failed: the IAM Identity Center endpoint could not be found. Check the region (awsIdc.region) and your network connection.',
          args: [step],
          comment: [STEP, 'awsIdc.region is a setting id'],
        });
  if (w.service === 'sts')
    return l10n.t({
      message: '{0} failed: the AWS STS endpoint for {1} could not be found. Check "region" on the entry (or awsIdc.region) and your network connection.',
      args: [step, w.region],
      comment: [STEP, `{1}: ${REGION}; "region" and awsIdc.region are setting names`],
    });
  return l10n.t({
    message: '{0} failed: the AWS sign-in service endpoint could not be found. Check AWS_ENDPOINT_URL_SIGNIN and your network connection.',
    args: [step],
    comment: [STEP, 'AWS_ENDPOINT_URL_SIGNIN is an environment variable'],
  });
}

/** The service did not answer in time. */
export function serviceTimedOut(step: string, w: ServiceWording): string {
  if (w.service === 'identityCenter')
    return w.region
      ? l10n.t({
          message: '{0} timed out waiting for IAM Identity Center in region {1}. Check your network and try again.',
          args: [step, w.region],
          comment: [STEP, `{1}: ${REGION}`],
        })
      : l10n.t({ message: '{0} timed out waiting for IAM Identity Center. Check your network and try again.', args: [step], comment: [STEP] });
  if (w.service === 'sts')
    return l10n.t({
      message: '{0} timed out waiting for AWS STS in {1}. Check your network and try again.',
      args: [step, w.region],
      comment: [STEP, `{1}: ${REGION}`],
    });
  return l10n.t({ message: '{0} timed out waiting for the AWS sign-in service. Check your network and try again.', args: [step], comment: [STEP] });
}

/** The service could not be reached (`code`: a network error code such as ECONNREFUSED). */
export function serviceUnreachable(step: string, w: ServiceWording, code: string): string {
  const codeComment = 'a network error code such as ECONNREFUSED';
  if (w.service === 'identityCenter')
    return w.region
      ? l10n.t({
          message: '{0} failed: IAM Identity Center in region {1} could not be reached ({2}). Check your network or proxy and try again.',
          args: [step, w.region, code],
          comment: [STEP, `{1}: ${REGION}; {2}: ${codeComment}`],
        })
      : l10n.t({
          message: '{0} failed: IAM Identity Center could not be reached ({1}). Check your network or proxy and try again.',
          args: [step, code],
          comment: [STEP, `{1}: ${codeComment}`],
        });
  if (w.service === 'sts')
    return l10n.t({
      message: '{0} failed: AWS STS in {1} could not be reached ({2}). Check your network or proxy (and AWS_ENDPOINT_URL_STS, if set).',
      args: [step, w.region, code],
      comment: [STEP, `{1}: ${REGION}; {2}: ${codeComment}; AWS_ENDPOINT_URL_STS is an environment variable`],
    });
  return l10n.t({
    message: '{0} failed: the AWS sign-in service could not be reached ({1}). Check your network or proxy and try again.',
    args: [step, code],
    comment: [STEP, `{1}: ${codeComment}`],
  });
}
