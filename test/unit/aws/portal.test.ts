// The portal seam: token attached, one refresh on 401, then the call runs again; hooks see each attempt.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IdentityCenter } from '../../../src/core/aws/identityCenter';
import { callPortal, type PortalAccess } from '../../../src/core/aws/portal';

const unauthorized = (): Error => Object.assign(new Error('401'), { name: 'UnauthorizedException', $metadata: { httpStatusCode: 401 } });
const ic = {} as IdentityCenter;

function access(tokens: string[], onUnauthorized?: (e: unknown) => Promise<void>): PortalAccess & { asked: number } {
  const a = { asked: 0, client: async () => ic, accessToken: async () => tokens[Math.min(a.asked++, tokens.length - 1)], onUnauthorized };
  return a;
}

test('a 401 lets the session refresh once, then the call runs with the new token', async () => {
  let refreshed = 0;
  const seen: string[] = [];
  const a = access(['old', 'new'], async () => void refreshed++);
  const out = await callPortal(a, async (_ic, token) => {
    seen.push(token);
    if (token === 'old') throw unauthorized();
    return 'ok';
  });
  assert.equal(out, 'ok');
  assert.equal(refreshed, 1);
  assert.deepEqual(seen, ['old', 'new']);
});

test('a second 401 is not refreshed again: it reaches the caller', async () => {
  let refreshed = 0;
  const a = access(['t'], async () => void refreshed++);
  await assert.rejects(
    callPortal(a, async () => Promise.reject(unauthorized())),
    { name: 'UnauthorizedException' },
  );
  assert.equal(refreshed, 1);
});

test('without a session to ask, a 401 reaches the caller at once; other failures are not retried', async () => {
  let calls = 0;
  await assert.rejects(
    callPortal(access(['t']), async () => (calls++, Promise.reject(unauthorized()))),
    { name: 'UnauthorizedException' },
  );
  await assert.rejects(
    callPortal(
      access(['t'], async () => undefined),
      async () => (calls++, Promise.reject(new Error('boom'))),
    ),
    /boom/,
  );
  assert.equal(calls, 2);
});

test('hooks: beforeAttempt runs before every attempt, retry may ask for another, giveUp sees the last failure', async () => {
  const events: string[] = [];
  let n = 0;
  await assert.rejects(
    callPortal(access(['t']), async () => Promise.reject(new Error(`fail ${++n}`)), {
      beforeAttempt: async () => void events.push('before'),
      retry: async (_e, attempt) => attempt < 2,
      giveUp: (e) => void events.push(`gave up: ${(e as Error).message}`),
    }),
    /fail 3/,
  );
  assert.deepEqual(events, ['before', 'before', 'before', 'gave up: fail 3']);
});
