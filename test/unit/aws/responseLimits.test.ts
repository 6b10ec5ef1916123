// The whole-answer deadline and the response-size cap of every Identity Center call, through the
// real SDK clients against the emulator; and error names a server made up never reach a message.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { IdentityCenter } from '../../../src/core/aws/identityCenter';
import { DeadlineError, withDeadline } from '../../../src/core/aws/responseLimits';
import { UNRECOGNISED_ERROR_NAME, errorName, toIdcError } from '../../../src/core/common/errors';
import { REGION } from '../../support/emulator';
import { signedInPortal, type SignedInPortal } from './signedInPortal';

let portal: SignedInPortal;
before(async () => {
  portal = await signedInPortal({ accounts: 3, dripIntervalMs: 200 }, { requestTimeoutMs: 5_000, deadlineMs: 1_000 });
});
after(() => portal.stop());

test('a drip-fed GetRoleCredentials body (a byte every 200 ms, idle timeout 5 s) ends at the 1 s deadline as a timeout', async () => {
  portal.emulator.injectFault({ operation: 'GetRoleCredentials', kind: 'drip' });
  const started = Date.now();
  const err = await portal.ic.getRoleCredentials(portal.accessToken, portal.role).catch((e: unknown) => e);
  const took = Date.now() - started;
  assert.ok(err instanceof DeadlineError, String(err));
  assert.ok(took >= 950 && took < 2_000, `${took} ms`);
  assert.match(toIdcError(err, 'Getting role credentials').message, /^Getting role credentials timed out waiting for IAM Identity Center/);
  // The client is still usable afterwards.
  assert.ok((await portal.ic.getRoleCredentials(portal.accessToken, portal.role)).accessKeyId.startsWith('ASIA'));
});

test('the caller cancelling inside the deadline is a cancellation, not a timeout', async () => {
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 50);
  const err = await withDeadline(
    5_000,
    abort.signal,
    (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(Object.assign(new Error('x'), { name: 'AbortError' })))),
  ).catch((e: unknown) => e);
  assert.equal((err as Error).name, 'AbortError');
});

test('a response larger than the cap is refused whether or not it declares its length', async () => {
  const small = await IdentityCenter.create({ region: REGION, endpoints: { oidc: portal.emulator.url, portal: portal.emulator.url }, maxResponseBytes: 2_048 });
  try {
    // Content-Length declared (a 300-account page is several KB).
    portal.emulator.configure({ accounts: 300 });
    await assert.rejects(small.listAccounts(portal.accessToken), { causeName: 'ResponseTooLarge', message: /ListAccounts larger than 2 KB/ });
    // Streamed without a length.
    portal.emulator.configure({ hugePageAccounts: 10_000 });
    await assert.rejects(small.listAccounts(portal.accessToken), { causeName: 'ResponseTooLarge' });
    portal.emulator.configure({ hugePageAccounts: 0, accounts: 3 });
    // Small answers still pass.
    assert.ok((await small.getRoleCredentials(portal.accessToken, portal.role)).accessKeyId);
  } finally {
    small.dispose();
  }
});

test('error names: AWS and Node names pass, anything a server could fill with request data does not', () => {
  for (const name of ['InvalidGrantException', 'AccessDenied', 'InvalidClientTokenId', 'TimeoutError', 'KMSInvalidStateException', 'Throttling']) {
    assert.equal(errorName({ name }), name);
  }
  for (const name of ['eyJhbGciOiJIUzI1NiJ9abc', 'aoaXyZ_-123', 'Invalid Grant', 'A'.repeat(65), 'Bad<script>', '', 'lowercase', 'ÄrgerException']) {
    assert.equal(errorName({ name }), UNRECOGNISED_ERROR_NAME, name);
  }
  assert.equal(errorName({ name: 'Error', code: 'ECONNRESET' }), 'ECONNRESET');
});
