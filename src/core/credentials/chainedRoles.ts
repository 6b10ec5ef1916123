// Role chaining settings (awsIdc.chainedRoles): roles assumed with STS AssumeRole from an Identity
// Center role. Parsing is pure and tolerant: a bad entry is skipped with one message saying what to fix.
import { RoleRef } from '../common/model';
import { checkRegion } from '../common/validate';

export interface ChainedRoleDefinition {
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

const KNOWN_KEYS = new Set(['name', 'roleArn', 'source', 'externalId', 'mfaSerial', 'durationSeconds', 'sourceIdentity', 'roleSessionName', 'region']);

export function parseChainedRoles(raw: unknown): ParsedChainedRoles {
  const out: ParsedChainedRoles = { roles: [], problems: [] };
  if (raw === undefined || raw === null) return out;
  if (!Array.isArray(raw)) {
    out.problems.push(`${SETTING} must be a list of entries like [{ "name": …, "roleArn": …, "source": { "accountId": …, "roleName": … } }]; it was ignored.`);
    return out;
  }
  const seen = new Map<string, number>();
  raw.forEach((entry, i) => {
    const label = entryLabel(entry, i);
    const { def, errors, notes } = parseEntry(entry);
    if (def) {
      const earlier = seen.get(def.name.toLowerCase());
      if (earlier !== undefined) errors.push(`the name "${def.name}" is already used by entry ${earlier + 1}: give each entry its own name`);
      else seen.set(def.name.toLowerCase(), i);
    }
    if (errors.length > 0) {
      out.problems.push(`${label} was skipped: ${[...errors, ...notes].join('; ')}.`);
    } else if (def) {
      out.roles.push(def);
      if (notes.length > 0) out.problems.push(`${label}: ${notes.join('; ')}.`);
    }
  });
  return out;
}

function entryLabel(entry: unknown, i: number): string {
  const name = isObject(entry) && typeof entry.name === 'string' && entry.name.trim() ? ` ("${entry.name.trim()}")` : '';
  return `${SETTING} entry ${i + 1}${name}`;
}

function parseEntry(entry: unknown): { def?: ChainedRoleDefinition; errors: string[]; notes: string[] } {
  const errors: string[] = [];
  const notes: string[] = [];
  if (!isObject(entry)) return { errors: ['it must be an object with name, roleArn and source'], notes };

  const name = str(entry.name);
  if (!name) errors.push('add a "name" (the label shown in the tree)');
  else if (name.length > 64) errors.push('"name" must be at most 64 characters');

  const roleArn = str(entry.roleArn);
  const arn = roleArn?.match(ROLE_ARN);
  if (!arn) errors.push('"roleArn" must be a role ARN like arn:aws:iam::123456789012:role/RoleName');

  const source = parseSource(entry.source, errors);
  const externalId = optional(entry, 'externalId', EXTERNAL_ID, 'must be 2 to 1224 characters of letters, digits and +=,.@:/-_', errors);
  const mfaSerial = optionalStr(entry, 'mfaSerial', errors);
  if (mfaSerial !== undefined && !MFA_ARN.test(mfaSerial) && !HARDWARE_SERIAL.test(mfaSerial)) {
    errors.push('"mfaSerial" must be your MFA device ARN (arn:aws:iam::123456789012:mfa/device-name) or a hardware token serial number');
  }
  const durationSeconds = parseDuration(entry.durationSeconds, errors);
  const sourceIdentity = optional(entry, 'sourceIdentity', SESSION_TEXT, 'must be 2 to 64 characters of letters, digits and +=,.@-_', errors);
  const roleSessionName = optional(entry, 'roleSessionName', SESSION_TEXT, 'must be 2 to 64 characters of letters, digits and +=,.@-_', errors);
  const region = optionalStr(entry, 'region', errors);
  if (region !== undefined) {
    const check = checkRegion(region);
    if (!check.ok) errors.push(`"region": ${check.error}`);
    else if (arn && !partitionFits(arn[1], region)) errors.push(`"region" ${region} is not in the ${arn[1]} partition of roleArn`);
  }
  const unknown = Object.keys(entry).filter((k) => !KNOWN_KEYS.has(k));
  if (unknown.length > 0) notes.push(`ignored unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} (check the spelling)`);

  if (errors.length > 0 || !name || !roleArn || !source) return { errors, notes };
  const def: ChainedRoleDefinition = { name, roleArn, source };
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
    errors.push('add "source": { "accountId": "123456789012", "roleName": "…" } naming the Identity Center role to start from');
    return undefined;
  }
  const accountId = str(raw.accountId);
  const roleName = str(raw.roleName);
  if (typeof raw.accountId === 'number') errors.push('"source.accountId" must be a string in quotes (a number loses leading zeros)');
  else if (!accountId || !ACCOUNT_ID.test(accountId)) errors.push('"source.accountId" must be the 12-digit account id, without dashes');
  if (!roleName || !SOURCE_ROLE_NAME.test(roleName))
    errors.push('"source.roleName" must be the Identity Center role name as shown in the tree (e.g. AdministratorAccess)');
  return accountId && roleName && ACCOUNT_ID.test(accountId) && SOURCE_ROLE_NAME.test(roleName) ? { accountId, roleName } : undefined;
}

function parseDuration(raw: unknown, errors: string[]): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= MIN_SESSION_SECONDS && raw <= MAX_CHAINED_SECONDS) return raw;
  errors.push(
    `"durationSeconds" must be a whole number from ${MIN_SESSION_SECONDS} to ${MAX_CHAINED_SECONDS}: AWS limits a role assumed from another role to one hour, whatever the role's maximum session duration`,
  );
  return undefined;
}

function optional(entry: Record<string, unknown>, key: string, pattern: RegExp, rule: string, errors: string[]): string | undefined {
  const value = optionalStr(entry, key, errors);
  if (value !== undefined && !pattern.test(value)) {
    errors.push(`"${key}" ${rule}`);
    return undefined;
  }
  return value;
}

/** An optional string field: absent or "" means unset; any other type is an error. */
function optionalStr(entry: Record<string, unknown>, key: string, errors: string[]): string | undefined {
  const raw = entry[key];
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') {
    errors.push(`"${key}" must be a string`);
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
  return { accountId: m[2], roleName: m[3], via: { accountId: source.accountId, roleName: source.roleName }, chainName: def.name };
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
