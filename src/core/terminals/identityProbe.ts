// Show Terminal Identity: the harmless command typed in the user's terminal, and the reading of
// what it printed. The command prints variable NAMES only (values never, but AWS_PROFILE's and the
// region), the caller ARN, and `aws configure list` with its masked key columns blanked out.
import { observeEnviron, WATCHED_VARIABLES, winningOverride, type Override } from './peerOverrides';

/** POSIX sh; shown to the user as typed, so it is kept readable. */
export const IDENTITY_COMMAND = [
  `for v in ${WATCHED_VARIABLES.join(' ')}; do eval "[ -n \\"\\$$v\\" ]" && echo "awsidc-set: $v"; done`,
  'echo "awsidc-profile: $AWS_PROFILE"',
  'echo "awsidc-region: ${AWS_REGION:-$AWS_DEFAULT_REGION}"',
  'if command -v aws >/dev/null; then echo "awsidc-arn: $(aws ${AWS_ENDPOINT_URL_STS:+--endpoint-url "$AWS_ENDPOINT_URL_STS"} sts get-caller-identity --query Arn --output text 2>&1 | tail -n 1)"; aws configure list 2>&1 | sed -E "s/[*]+[^ ]*/****/g"; else echo "awsidc-arn: (no aws)"; fi',
].join('; ');

export interface TerminalIdentity {
  /** The caller ARN, when the AWS CLI got one. */
  arn?: string;
  accountId?: string;
  /** The CLI's last line when it did not (an error message; holds no secret). */
  error?: string;
  /** False when `aws` is not installed there. */
  cli: boolean;
  /** `aws configure list`'s type of the access key (env, container-role, shared-credentials-file, custom-process…). */
  source?: string;
  /** Credential variables set (non-empty) in the terminal. */
  set: string[];
  profile?: string;
  region?: string;
  /** What wins over the active role there, if anything. */
  override?: Override;
}

/** VT sequences and carriage returns out of a terminal's output. */
export function plainText(data: string): string {
  return data.replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]|\r/g, '');
}

export function parseIdentity(output: string, ourProfile: string | undefined): TerminalIdentity {
  const lines = plainText(output).split('\n');
  const value = (key: string): string | undefined =>
    lines
      .find((l) => l.startsWith(`awsidc-${key}: `))
      ?.slice(key.length + 9)
      .trim() || undefined;
  const set = lines.filter((l) => l.startsWith('awsidc-set: ')).map((l) => l.slice(12).trim());
  const profile = value('profile');
  const env = observeEnviron(set.map((n) => `${n}=${n === 'AWS_PROFILE' ? (profile ?? '') : 'x'}`).join('\0'));
  const arnLine = value('arn');
  const cli = arnLine !== '(no aws)';
  const arn = arnLine && /^arn:aws[\w-]*:(sts|iam)::\d{12}:\S+$/.test(arnLine) ? arnLine : undefined;
  const accessKey = lines
    .find((l) => /^\s*access_key\s/.test(l))
    ?.trim()
    .split(/\s+/);
  return {
    arn,
    accountId: arn?.split(':')[4],
    error: cli && !arn && arnLine ? arnLine.slice(0, 300) : undefined,
    cli,
    source: accessKey && accessKey[1] !== '<not' ? accessKey[2] : undefined,
    set,
    profile: env.profile,
    region: value('region'),
    override: winningOverride(env, ourProfile),
  };
}

/** Whether an ARN is a session of this account and role (IAM names Identity Center roles AWSReservedSSO_<name>_<id>). */
export function isRoleSession(arn: string | undefined, role: { accountId: string; roleName: string }): boolean {
  const prefix = `arn:aws:sts::${role.accountId}:assumed-role/`;
  if (!arn?.startsWith(prefix)) return false;
  const name = arn.slice(prefix.length).split('/')[0];
  return name === role.roleName || (name.startsWith(`AWSReservedSSO_${role.roleName}_`) && !name.slice(16 + role.roleName.length).includes('_'));
}
