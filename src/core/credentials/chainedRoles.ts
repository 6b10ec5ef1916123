// Role chaining settings (awsIdc.chainedRoles): roles assumed with STS AssumeRole from an Identity
// Center role. Parsing is pure and tolerant: a bad entry is skipped with one message saying what to fix.
import * as l10n from '@vscode/l10n';
import { RoleRef } from '../common/model';
import { checkRegion } from '../common/validate';
import { parseSessionPolicy, type SessionPolicy } from './sessionPolicy';

export interface ChainedRoleDefinition extends SessionPolicy {
  /** Unique label, shown in the tree under the source role. */
  name: string;
  roleArn: string;
  /** The Identity Center role whose credentials call AssumeRole. */
  source: { accountId: string; roleName: string };
  externalId?: string;
  /** MFA device ARN or hardware token serial; a code is prompted for on every AssumeRole. */
  mfaSerial?: string;
  durationSeconds?: number;
  sourceIdentity?: string;
  roleSessionName?: string;
  /** STS region for the call (default: the Identity Center region). */
  region?: string;
}

export interface ParsedChainedRoles {
  roles: ChainedRoleDefinition[];
  problems: string[];
}

const SETTING = 'awsIdc.chainedRoles';
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const MFA_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:mfa\/[\w+=,.@/-]{1,512}$/;
const HARDWARE_SERIAL = /^[\w+=,.@-]{9,256}$/;
const ACCOUNT_ID = /^\d{12}$/;
const SOURCE_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const SESSION_TEXT = /^[\w+=,.@-]{2,64}$/; // sourceIdentity and roleSessionName share AWS's pattern
/** AWS caps sessions of roles assumed by another role at one hour. */
export const MAX_CHAINED_SECONDS = 3600;
export const MIN_SESSION_SECONDS = 900;

const KNOWN_KEYS = new Set([
  'name',
  'roleArn',
  'source',
  'externalId',
  'mfaSerial',
  'durationSeconds',
  'sourceIdentity',
  'roleSessionName',
  'region',
  'policy',
  'policyArns',
]);

export function parseChainedRoles(raw: unknown): ParsedChainedRoles {
  const out: ParsedChainedRoles = { roles: [], problems: [] };
  if (raw === undefined || raw === null) return out;
  if (!Array.isArray(raw)) {
    out.problems.push(
      l10n.t({
        message: '{0} must be a list of entries like [{ "name": …, "roleArn": …, "source": { "accountId": …, "roleName": … } }]; it was ignored.',
        args: [SETTING],
        comment: ['{0}: the setting id awsIdc.chainedRoles; the JSON example stays as it is'],
      }),
    );
    return out;
  }
  const seen = new Map<string, number>();
  raw.forEach((entry, i) => {
    const label = entryLabel(entry, i);
    const { def, errors, notes } = parseEntry(entry);
    if (def) {
      const earlier = seen.get(def.name.toLowerCase());
      if (earlier !== undefined)
        errors.push(
          l10n.t({
            message: 'the name "{0}" is already used by entry {1}: give each entry its own name',
            args: [def.name, earlier + 1],
            comment: ['One of the problems of a settings entry, joined with "; "; {0}: the entry name; {1}: the number of the other entry'],
          }),
        );
      else seen.set(def.name.toLowerCase(), i);
    }
    if (errors.length > 0) {
      out.problems.push(
        l10n.t({
          message: '{0} was skipped: {1}.',
          args: [label, [...errors, ...notes].join('; ')],
          comment: ['{0}: which entry, e.g. "awsIdc.chainedRoles entry 2 ("Deploy")"; {1}: its problems, joined with "; "'],
        }),
      );
    } else if (def) {
      out.roles.push(def);
      if (notes.length > 0)
        out.problems.push(
          l10n.t({
            message: '{0}: {1}.',
            args: [label, notes.join('; ')],
            comment: ['{0}: which entry, e.g. "awsIdc.chainedRoles entry 2"; {1}: notes about it, joined with "; "'],
          }),
        );
    }
  });
  return out;
}

function entryLabel(entry: unknown, i: number): string {
  const name = isObject(entry) && typeof entry.name === 'string' && entry.name.trim() ? entry.name.trim() : '';
  return name
    ? l10n.t({
        message: '{0} entry {1} ("{2}")',
        args: [SETTING, i + 1, name],
        comment: ['{0}: the setting id awsIdc.chainedRoles; {1}: the entry number; {2}: its name'],
      })
    : l10n.t({ message: '{0} entry {1}', args: [SETTING, i + 1], comment: ['{0}: the setting id awsIdc.chainedRoles; {1}: the entry number'] });
}

function parseEntry(entry: unknown): { def?: ChainedRoleDefinition; errors: string[]; notes: string[] } {
  const errors: string[] = [];
  const notes: string[] = [];
  if (!isObject(entry))
    return {
      errors: [l10n.t({ message: 'it must be an object with name, roleArn and source', comment: ['name, roleArn and source are setting keys'] })],
      notes,
    };

  const name = str(entry.name);
  if (!name) errors.push(l10n.t({ message: 'add a "name" (the label shown in the tree)', comment: ['"name" is a setting key'] }));
  else if (name.length > 64) errors.push(l10n.t({ message: '"name" must be at most 64 characters', comment: ['"name" is a setting key'] }));

  const roleArn = str(entry.roleArn);
  const arn = roleArn?.match(ROLE_ARN);
  if (!arn)
    errors.push(l10n.t({ message: '"roleArn" must be a role ARN like arn:aws:iam::123456789012:role/RoleName', comment: ['"roleArn" is a setting key'] }));

  const source = parseSource(entry.source, errors);
  const externalId = optional(
    entry,
    'externalId',
    EXTERNAL_ID,
    l10n.t({ message: 'must be 2 to 1224 characters of letters, digits and +=,.@:/-_', comment: ['Follows a setting key, e.g. "externalId" must be …'] }),
    errors,
  );
  const mfaSerial = optionalStr(entry, 'mfaSerial', errors);
  if (mfaSerial !== undefined && !MFA_ARN.test(mfaSerial) && !HARDWARE_SERIAL.test(mfaSerial)) {
    errors.push(
      l10n.t({
        message: '"mfaSerial" must be your MFA device ARN (arn:aws:iam::123456789012:mfa/device-name) or a hardware token serial number',
        comment: ['"mfaSerial" is a setting key'],
      }),
    );
  }
  const durationSeconds = parseDuration(entry.durationSeconds, errors);
  const sessionTextRule = l10n.t({
    message: 'must be 2 to 64 characters of letters, digits and +=,.@-_',
    comment: ['Follows a setting key, e.g. "sourceIdentity" must be …'],
  });
  const sourceIdentity = optional(entry, 'sourceIdentity', SESSION_TEXT, sessionTextRule, errors);
  const roleSessionName = optional(entry, 'roleSessionName', SESSION_TEXT, sessionTextRule, errors);
  const sessionPolicy = parseSessionPolicy(entry, errors);
  const region = optionalStr(entry, 'region', errors);
  if (region !== undefined) {
    const check = checkRegion(region);
    if (!check.ok)
      errors.push(l10n.t({ message: '"region": {0}', args: [check.error ?? ''], comment: ['"region" is a setting key; {0}: what is wrong with its value'] }));
    else if (arn && !partitionFits(arn[1], region))
      errors.push(
        l10n.t({
          message: '"region" {0} is not in the {1} partition of roleArn',
          args: [region, arn[1]],
          comment: ['"region" and roleArn are setting keys; {0}: an AWS region; {1}: an AWS partition, e.g. aws-cn'],
        }),
      );
  }
  const unknown = Object.keys(entry).filter((k) => !KNOWN_KEYS.has(k));
  if (unknown.length > 0) {
    const keys = unknown.map((k) => `"${k}"`).join(', ');
    notes.push(
      unknown.length > 1
        ? l10n.t({ message: 'ignored unknown keys {0} (check the spelling)', args: [keys], comment: ['{0}: setting keys in quotes, joined with ", "'] })
        : l10n.t({ message: 'ignored unknown key {0} (check the spelling)', args: [keys], comment: ['{0}: a setting key in quotes'] }),
    );
  }

  if (errors.length > 0 || !name || !roleArn || !source) return { errors, notes };
  const def: ChainedRoleDefinition = { name, roleArn, source, ...sessionPolicy };
  if (externalId !== undefined) def.externalId = externalId;
  if (mfaSerial !== undefined) def.mfaSerial = mfaSerial;
  if (durationSeconds !== undefined) def.durationSeconds = durationSeconds;
  if (sourceIdentity !== undefined) def.sourceIdentity = sourceIdentity;
  if (roleSessionName !== undefined) def.roleSessionName = roleSessionName;
  if (region !== undefined) def.region = region;
  return { def, errors, notes };
}

function parseSource(raw: unknown, errors: string[]): ChainedRoleDefinition['source'] | undefined {
  if (!isObject(raw)) {
    errors.push(
      l10n.t({
        message: 'add "source": { "accountId": "123456789012", "roleName": "…" } naming the Identity Center role to start from',
        comment: ['The JSON example stays as it is'],
      }),
    );
    return undefined;
  }
  const accountId = str(raw.accountId);
  const roleName = str(raw.roleName);
  if (typeof raw.accountId === 'number')
    errors.push(
      l10n.t({ message: '"source.accountId" must be a string in quotes (a number loses leading zeros)', comment: ['"source.accountId" is a setting key'] }),
    );
  else if (!accountId || !ACCOUNT_ID.test(accountId))
    errors.push(l10n.t({ message: '"source.accountId" must be the 12-digit account id, without dashes', comment: ['"source.accountId" is a setting key'] }));
  if (!roleName || !SOURCE_ROLE_NAME.test(roleName))
    errors.push(
      l10n.t({
        message: '"source.roleName" must be the Identity Center role name as shown in the tree (e.g. AdministratorAccess)',
        comment: ['"source.roleName" is a setting key'],
      }),
    );
  return accountId && roleName && ACCOUNT_ID.test(accountId) && SOURCE_ROLE_NAME.test(roleName) ? { accountId, roleName } : undefined;
}

function parseDuration(raw: unknown, errors: string[]): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= MIN_SESSION_SECONDS && raw <= MAX_CHAINED_SECONDS) return raw;
  errors.push(
    l10n.t({
      message:
        '"durationSeconds" must be a whole number from {0} to {1}: AWS limits a role assumed from another role to one hour, whatever the role\'s maximum session duration',
      args: [MIN_SESSION_SECONDS, MAX_CHAINED_SECONDS],
      comment: ['"durationSeconds" is a setting key; {0} and {1}: numbers of seconds'],
    }),
  );
  return undefined;
}

function optional(entry: Record<string, unknown>, key: string, pattern: RegExp, rule: string, errors: string[]): string | undefined {
  const value = optionalStr(entry, key, errors);
  if (value !== undefined && !pattern.test(value)) {
    errors.push(
      l10n.t({
        message: '"{0}" {1}',
        args: [key, rule],
        comment: ['{0}: a setting key of an awsIdc.chainedRoles entry, e.g. externalId; {1}: what it must be, e.g. "must be a string"'],
      }),
    );
    return undefined;
  }
  return value;
}

/** An optional string field: absent or "" means unset; any other type is an error. */
function optionalStr(entry: Record<string, unknown>, key: string, errors: string[]): string | undefined {
  const raw = entry[key];
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') {
    errors.push(l10n.t({ message: '"{0}" must be a string', args: [key], comment: ['{0}: a setting key of an awsIdc.chainedRoles entry, e.g. mfaSerial'] }));
    return undefined;
  }
  return raw.trim() || undefined;
}

function partitionFits(partition: string, region: string): boolean {
  if (partition === 'aws-cn') return region.startsWith('cn-');
  if (partition === 'aws-us-gov') return region.startsWith('us-gov-');
  return !region.startsWith('cn-') && !region.startsWith('us-gov-');
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const sameRoleName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase(); // IAM role names are case-insensitive

/** The tree/broker identity of a chained role: account and name from the ARN, via the source role. */
export function chainedRoleRef(def: ChainedRoleDefinition, source: RoleRef = { ...def.source }): RoleRef {
  const m = def.roleArn.match(ROLE_ARN);
  if (!m) throw new Error(`${SETTING} entry "${def.name}" has an invalid roleArn`);
  return {
    accountId: m[2],
    roleName: m[3],
    via: { accountId: source.accountId, roleName: source.roleName, ...(source.portal ? { portal: source.portal } : {}) },
    chainName: def.name,
  };
}

/** The chained roles defined under an Identity Center role, for its children in the tree. */
export function chainedRolesFrom(defs: readonly ChainedRoleDefinition[], source: RoleRef): RoleRef[] {
  if (source.via) return []; // chains start from Identity Center roles only
  return defs.filter((d) => d.source.accountId === source.accountId && sameRoleName(d.source.roleName, source.roleName)).map((d) => chainedRoleRef(d, source)); // the source's own spelling keeps roleKey() consistent with the tree
}

/** The settings entry behind a chained RoleRef (for the broker's fetch), if it still exists. */
export function chainedRoleDefinition(defs: readonly ChainedRoleDefinition[], role: RoleRef): ChainedRoleDefinition | undefined {
  if (!role.via || role.chainName === undefined) return undefined;
  const via = role.via;
  return defs.find((d) => d.name === role.chainName && d.source.accountId === via.accountId && sameRoleName(d.source.roleName, via.roleName));
}
