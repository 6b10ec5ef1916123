// Faults between us and Identity Center: each ends in recovery or in a message that says what
// happened and what to do — never a raw SDK error, never a hang.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { AccountCatalog } from '../../../src/core/accounts/catalog';
import { toIdcError } from '../../../src/core/common/errors';
import { IdentityCenter } from '../../../src/core/aws/identityCenter';
import { Session } from '../../../src/core/signIn/session';
import { Emulator } from '../../emulator/server';
import { fastClock } from '../../support/clocks';
import { REGION, START_URL } from '../../support/emulator';
import { MemorySecrets } from '../../support/memorySecrets';

describe('faults', () => {
  let emulator: Emulator;
  let port: number;
  const client = () =>
    IdentityCenter.create({ region: REGION, endpoints: { oidc: `http://127.0.0.1:${port}`, portal: `http://127.0.0.1:${port}` }, requestTimeoutMs: 800 });
  let session: Session;
  const catalog = () =>
    new AccountCatalog({
      client: () => session.client(REGION),
      accessToken: () => session.accessToken(),
      onUnauthorized: (e) => session.handleUnauthorized(e),
      changeDelayMs: 5,
      ratePerSec: 500,
    });

  before(async () => {
    emulator = await Emulator.start({ accounts: 8, autoApprove: true, interval: 1 });
    port = emulator.port;
  });
  after(() => emulator.stop());
  beforeEach(async () => {
    emulator.clearFaults();
    session?.dispose();
    session = Session.create({ store: new MemorySecrets(), clock: fastClock(1), createClient: () => client() });
    await session.signIn({ startUrl: START_URL, region: REGION }, { onCode: () => undefined });
  });

  for (const kind of ['500', '503', 'reset'] as const) {
    test(`a burst of ${kind} answers is retried by the SDK and the listing completes`, async () => {
      emulator.injectFault({ operation: 'ListAccounts', kind, count: 2 });
      const c = catalog();
      await c.refresh();
      await c.whenIdle();
      assert.equal(c.accounts.length, 8);
      assert.equal(c.stats.userVisibleErrors, 0);
      c.dispose();
    });
  }

  test('a server that stalls past the timeout gives a timeout message, and the next try works', async () => {
    emulator.injectFault({ operation: 'ListAccounts', kind: 'stall', count: 3 });
    const c = catalog();
    const failures: string[] = [];
    c.onDidFail((e) => failures.push(e.message));
    const started = Date.now();
    await c.refresh();
    assert.ok(Date.now() - started < 10_000, 'bounded by the request timeout');
    assert.equal(failures.length, 1);
    assert.match(failures[0], /timed out|could not be reached/);
    assert.match(failures[0], /network/);
    await c.refresh();
    assert.equal(c.accounts.length, 8);
    c.dispose();
  });

  test('the emulator restarting while signed in: network message while down, then Sign In offered (tokens are gone)', async () => {
    await emulator.stop();
    const c = catalog();
    const failures: string[] = [];
    c.onDidFail((e) => failures.push(e.message));
    await c.refresh();
    assert.match(failures[0] ?? '', /could not be reached .*ECONNREFUSED.*Check your network/);
    emulator = await Emulator.start({ port, accounts: 8, autoApprove: true, interval: 1 });
    const ended = new Promise((resolve) => session.onDidEnd(resolve));
    await c.refresh();
    await ended;
    assert.equal(session.state.kind, 'signedOut');
    c.dispose();
  });

  test('every SDK failure maps to a message with a next step and no request data', () => {
    const cases: [object, RegExp][] = [
      [{ name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } }, /throttling.*try again/i],
      [{ name: 'UnauthorizedException', $metadata: { httpStatusCode: 401 } }, /Sign in again/],
      [{ name: 'InvalidGrantException', $metadata: { httpStatusCode: 400 } }, /Sign in again/],
      [{ name: 'Error', code: 'ENOTFOUND' }, /region \(awsIdc\.region\)/],
      [{ name: 'InternalServerException', $metadata: { httpStatusCode: 500 } }, /Try again/],
      [{ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } }, /Refresh/],
      [{ name: 'Weird', $metadata: { httpStatusCode: 418 } }, /Show Log/],
    ];
    for (const [error, message] of cases) assert.match(toIdcError(error, 'Listing accounts', { region: 'eu-west-1' }).message, message);
  });
});
