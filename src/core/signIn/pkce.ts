// The PKCE pieces of the authorization-code sign-in (RFC 7636), as the AWS CLI makes them: a
// 64-character verifier of unreserved characters, its S256 challenge, and a random `state`.
// Secret: the verifier and the state are never logged, shown or stored.
import { createHash, randomBytes, randomInt } from 'node:crypto';

const UNRESERVED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';
/** RFC 7636 allows 43 to 128 characters; the AWS CLI uses 64. */
export const VERIFIER_LENGTH = 64;

export interface PkcePairSecret {
  verifier: string;
  /** base64url(sha256(verifier)) without padding. */
  challenge: string;
}

export function newVerifier(length = VERIFIER_LENGTH): string {
  if (length < 43 || length > 128) throw new RangeError('a PKCE verifier has 43 to 128 characters');
  let out = '';
  for (let i = 0; i < length; i++) out += UNRESERVED[randomInt(UNRESERVED.length)];
  return out;
}

export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export function newPkcePair(): PkcePairSecret {
  const verifier = newVerifier();
  return { verifier, challenge: s256Challenge(verifier) };
}

/** 128 random bits, URL-safe: ties the redirect to this sign-in (a forged redirect does not know it). */
export function newState(): string {
  return randomBytes(16).toString('base64url');
}
