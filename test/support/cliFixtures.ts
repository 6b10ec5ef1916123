// Shared fixtures of the AWS CLI interop tests: where the CLIs live, a sample sign-in, and
// assertions that never print a secret.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../../src/core/common/log';
import type { ClientRegistrationSecret, SsoTarget, SsoTokenSecret } from '../../src/core/common/model';
import { REGION, START_URL } from './emulator';

export const CLI_V1 = '/root/.pyenv/versions/3.11.7/bin/aws';
export const CLI_V2 = '/usr/bin/aws';
export const CLI_V1_PYTHON = '/root/.pyenv/versions/3.11.7/bin/python3';
export const SESSION_NAME = 'corp';
export const target: SsoTarget = { startUrl: START_URL, region: REGION, sessionName: SESSION_NAME };
export const SECRET_FIELDS = /"(accessToken|refreshToken|clientSecret)": "[^"]*"/g;
/** A cache file's text with its secrets blanked, safe for assertion messages and diagnostics. */
export const redact = (text: string): string => text.replace(SECRET_FIELDS, '"$1": "<redacted>"');

/** Compares tokens without ever printing them (assert.equal would show both values on failure). */
export const sameSecret = (a: string | undefined, b: string | undefined, what = 'the tokens differ'): void => assert.ok(a !== undefined && a === b, what);
export const differentSecret = (a: string | undefined, b: string | undefined, what = 'the tokens are the same'): void => assert.ok(a !== b, what);
export const tempDir = (prefix: string): string => fs.mkdtempSync(path.join(os.tmpdir(), `awsidc-${prefix}-`));
export const noUndefined = <T extends object>(o: T): T => JSON.parse(JSON.stringify(o)) as T;

export function captureLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const add = (m: string): void => void lines.push(m);
  return { lines, trace: add, info: add, warn: add, error: add };
}

export function sampleToken(overrides: Partial<SsoTokenSecret> = {}): SsoTokenSecret {
  return {
    accessToken: 'aoa-access',
    refreshToken: 'aor-refresh',
    expiresAt: Date.UTC(2030, 0, 2, 3, 4, 5, 678),
    startUrl: START_URL,
    region: REGION,
    sessionName: SESSION_NAME,
    ...overrides,
  };
}
export const sampleRegistration: ClientRegistrationSecret = {
  clientId: 'client-1',
  clientSecret: 'secret-1',
  expiresAt: Date.UTC(2030, 3, 1, 0, 0, 0, 250),
  region: REGION,
  scopes: ['sso:account:access'],
};
