// Session policies of a chained role (awsIdc.chainedRoles "policy" and "policyArns"): passed to
// AssumeRole so the session can do at most what both its role and these policies allow.
// STS limits (AssumeRole API reference): Policy is JSON of at most 2,048 characters of tab, LF,
// CR and U+0020–U+00FF; at most 10 PolicyArns; and the packed (compressed) size of the policies
// and session tags, which only STS measures, answered with PackedPolicyTooLarge.
import * as l10n from '@vscode/l10n';

export const MAX_POLICY_CHARS = 2048;
export const MAX_POLICY_ARNS = 10;
const POLICY_CHARS = /^[\t\n\r\u0020-\u00ff]*$/;
const POLICY_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}|aws):policy\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/;

export interface SessionPolicy {
  /** The session policy as sent: compact JSON. */
  policy?: string;
  /** Managed policy ARNs used as session policies. */
  policyArns?: string[];
}

/** Reads "policy" (a JSON object, or a string holding one) and "policyArns"; problems go to `errors`. */
export function parseSessionPolicy(entry: Record<string, unknown>, errors: string[]): SessionPolicy {
  const out: SessionPolicy = {};
  const policy = parsePolicy(entry.policy, errors);
  if (policy !== undefined) out.policy = policy;
  const arns = parsePolicyArns(entry.policyArns, errors);
  if (arns !== undefined) out.policyArns = arns;
  return out;
}

function parsePolicy(raw: unknown, errors: string[]): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      errors.push(
        l10n.t({
          message: '"policy" is not valid JSON: write the policy document as a JSON object ({ "Version": "2012-10-17", "Statement": [ … ] })',
          comment: ['"policy" is a setting key; the JSON example stays as it is'],
        }),
      );
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    errors.push(
      l10n.t({
        message: '"policy" must be an IAM policy document: a JSON object with "Version" and "Statement"',
        comment: ['"policy", "Version" and "Statement" are JSON keys'],
      }),
    );
    return undefined;
  }
  const packed = JSON.stringify(value);
  if (packed.length > MAX_POLICY_CHARS) {
    errors.push(
      l10n.t({
        message: '"policy" is {0} characters without spaces; AWS STS accepts at most {1}: shorten it or move statements into a managed policy in "policyArns"',
        args: [packed.length, MAX_POLICY_CHARS],
        comment: ['"policy" and "policyArns" are setting keys; {0} and {1}: numbers of characters'],
      }),
    );
    return undefined;
  }
  if (!POLICY_CHARS.test(packed)) {
    errors.push(
      l10n.t({
        message: '"policy" may only use characters up to U+00FF (Latin-1), as AWS STS requires',
        comment: ['"policy" is a setting key; U+00FF is a Unicode code point'],
      }),
    );
    return undefined;
  }
  return packed;
}

function parsePolicyArns(raw: unknown, errors: string[]): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  const list = Array.isArray(raw) ? raw : undefined;
  const bad = list ? list.filter((a) => typeof a !== 'string' || !POLICY_ARN.test(a.trim())) : [];
  if (!list || bad.length > 0) {
    errors.push(
      l10n.t({
        message: '"policyArns" must be a list of IAM policy ARNs like arn:aws:iam::aws:policy/ReadOnlyAccess or arn:aws:iam::123456789012:policy/MyPolicy',
        comment: ['"policyArns" is a setting key; the ARNs are examples to keep as they are'],
      }),
    );
    return undefined;
  }
  if (list.length > MAX_POLICY_ARNS) {
    errors.push(
      l10n.t({
        message: '"policyArns" lists {0} policies; AWS STS accepts at most {1}',
        args: [list.length, MAX_POLICY_ARNS],
        comment: ['"policyArns" is a setting key; {0} and {1}: numbers'],
      }),
    );
    return undefined;
  }
  const arns = [...new Set(list.map((a) => (a as string).trim()))];
  return arns.length ? arns : undefined;
}

/** Whether a chained role's sessions are scoped down by a session policy (for the tree). */
export const isScopedDown = (p: SessionPolicy): boolean => p.policy !== undefined || (p.policyArns?.length ?? 0) > 0;
