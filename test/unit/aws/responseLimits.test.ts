// The whole-answer deadline and the response-size cap of every Identity Center call, through the
// real SDK clients against the emulator; and error names a server made up never reach a message.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { IdentityCenter } from '../../../src/core/aws/identityCenter';
import { DeadlineError, withDeadline } from '../../../src/core/aws/responseLimits';
import { UNRECOGNISED_ERROR_NAME, errorName, toIdcError } from '../../../src/core/common/errors';
import { Emulator } from '../../emulator/server';
import { REGION, START_URL } from '../../support/emulator';

let emulator: Emulator;
let ic: IdentityCenter;
let accessToken: string;
let role: { accountId: string; roleName: string };
before(async () => {
  emulator = await Emulator.start({ accounts: 3, autoApprove: true, interval: 1, dripIntervalMs: 200 });
  ic = await IdentityCenter.create({ region: REGION, endpoints: { oidc: emulator.url, portal: emulator.url }, requestTimeoutMs: 5_000, deadlineMs: 1_000 });
  const reg = await ic.registerClient('test');
  const auth = await ic.startDeviceAuthorization(reg, START_URL);
  accessToken = (await ic.createTokenWithDeviceCode(reg, auth.deviceCode)).accessToken;
  const account = emulator.accounts().find((a) => a.roles.length)!;
  role = { accountId: account.accountId, roleName: account.roles[0] };
});
after(async () => {
  ic.dispose();
  await emulator.stop();
});

test('a drip-fed GetRoleCredentials body (a byte every 200 ms, idle timeout 5 s) ends at the 1 s deadline as a timeout', async () => {
  emulator.injectFault({ operation: 'GetRoleCredentials', kind: 'drip' });
  const started = Date.now();
  const err = await ic.getRoleCredentials(accessToken, role).catch((e: unknown) => e);
  const took = Date.now() - started;
  assert.ok(err instanceof DeadlineError, String(err));
  assert.ok(took >= 950 && took < 2_000, `${took} ms`);
  assert.match(toIdcError(err, 'Getting role credentials').message, /^Getting role credentials timed out waiting for IAM Identity Center/);
  // The client is still usable afterwards.
  assert.ok((await ic.getRoleCredentials(accessToken, role)).accessKeyId.startsWith('ASIA'));
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
  const small = await IdentityCenter.create({ region: REGION, endpoints: { oidc: emulator.url, portal: emulator.url }, maxResponseBytes: 2_048 });
  try {
    // Content-Length declared (a 300-account page is several KB).
    emulator.configure({ accounts: 300 });
    await assert.rejects(small.listAccounts(accessToken), { causeName: 'ResponseTooLarge', message: /ListAccounts larger than 2 KB/ });
    // Streamed without a length.
    emulator.configure({ hugePageAccounts: 10_000 });
    await assert.rejects(small.listAccounts(accessToken), { causeName: 'ResponseTooLarge' });
    emulator.configure({ hugePageAccounts: 0, accounts: 3 });
    // Small answers still pass.
    assert.ok((await small.getRoleCredentials(accessToken, role)).accessKeyId);
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
