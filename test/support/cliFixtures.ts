// Shared fixtures of the AWS CLI interop tests: where the CLIs live, a sample sign-in, and
// assertions that never print a secret.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../../src/core/common/log';
import type { ClientRegistrationSecret, SsoTarget, SsoTokenSecret } from '../../src/core/common/model';
import { REGION, START_URL } from './emulator';

export const CLI_V1 = '/root/.pyenv/versions/3.11.7/bin/aws';
export const CLI_V2 = '/usr/bin/aws';
export const CLI_V1_PYTHON = '/root/.pyenv/versions/3.11.7/bin/python3';

/**
 * The AWS CLI command a terminal test types: the pip CLI v1 (honours AWS_ENDPOINT_URL_STS), else
 * Debian's CLI v2.9, which ignores that variable and is pointed at the emulator with --endpoint-url.
 */
export function awsCliCommand(): string {
  const candidates = [process.env.AWSIDC_AWS_CLI_V1, CLI_V1];
  try {
    candidates.push(execFileSync('pyenv', ['which', 'aws'], { encoding: 'utf8' }).trim());
  } catch {
    // no pyenv
  }
  const v1 = candidates.find((c) => c && fs.existsSync(c));
  if (v1) return v1;
  if (fs.existsSync(CLI_V2)) return `${CLI_V2} --endpoint-url "$AWS_ENDPOINT_URL_STS"`;
  throw new Error('no AWS CLI found: install the awscli package or set AWSIDC_AWS_CLI_V1');
}
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
