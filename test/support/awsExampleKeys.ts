// AWS's documented example key values, and the check that none of them came back out.
import assert from 'node:assert/strict';

// AWS's documented example values: the full id and the secret must never come back out.
export const AKIA = 'AKIAIOSFODNN7EXAMPLE';
export const ASIA = 'ASIAY34FZKBOKMUTVV7A';
export const OTHER = 'ABCDEFGHIJKLMNOP1234';
export const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLETOKEN';

export function assertNoSecrets(text: string): void {
  for (const secret of [AKIA, ASIA, OTHER, SECRET, TOKEN]) assert.ok(!text.includes(secret), `leaked ${secret.slice(0, 4)}…`);
}
