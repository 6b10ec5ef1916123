// Random identifiers shaped like the real ones, so code under test that
// validates formats (ASIA keys, XXXX-XXXX user codes) sees realistic values.
import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
// No vowels: user codes never spell words, like the real service.
const USER_CODE_LETTERS = 'BCDFGHJKLMNPQRSTVWXZ';

function pick(alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

export const token = (prefix: string, bytes: number): string => prefix + randomBytes(bytes).toString('base64url');

export const newClientId = (): string => randomBytes(16).toString('base64url');
export const newClientSecret = (): string => 'eyJ' + randomBytes(96).toString('base64url');
export const newDeviceCode = (): string => randomBytes(48).toString('base64url');
export const newAccessToken = (): string => token('aoa', 96);
export const newRefreshToken = (): string => token('aor', 96);
export const newIdToken = (): string => 'eyJ' + randomBytes(64).toString('base64url');
export const newUserCode = (): string => `${pick(USER_CODE_LETTERS, 4)}-${pick(USER_CODE_LETTERS, 4)}`;
export const newAccessKeyId = (): string => 'ASIA' + pick(UPPER_ALNUM, 16);
export const newSecretAccessKey = (): string => randomBytes(30).toString('base64'); // 40 chars
// Real session tokens are several hundred characters; keep that so env/size handling is exercised.
export const newSessionToken = (): string => 'IQoJb3JpZ2luX2VjE' + randomBytes(300).toString('base64');
export const requestId = (): string => randomUUID();

/** Stable role id (AROA...) for an account/role pair, like IAM's unique ids. */
export function roleId(accountId: string, roleName: string): string {
  const h = createHash('sha256').update(`${accountId}/${roleName}`).digest();
  let s = 'AROA';
  for (let i = 0; i < 17; i++) s += UPPER_ALNUM[h[i] % UPPER_ALNUM.length];
  return s;
}
