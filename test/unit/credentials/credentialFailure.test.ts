// Issue 24 item 6: a debug launch whose role's credentials fail. The emulator's portal misbehaves on
// purpose (test/emulator/faults.ts, hostile.ts): an error that echoes the access token in its type and
// message, a 500, throttling, an ended session. What the user is shown comes from the one mapper: a
// sentence that says what to do, never the server's text. (The adapter used to show `e.message`.)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchCredentialFailure } from '../../../src/core/credentials/credentialFailure';
import type { FaultKind } from '../../emulator/options';
import { signedInPortal, type SignedInPortal } from '../aws/signedInPortal';

describe('a debug launch without credentials: the server’s message is mapped', { timeout: 60_000 }, () => {
  let portal: SignedInPortal;
  before(async () => (portal = await signedInPortal({ accounts: 2 }, { maxAttempts: 1 })));
  after(() => portal.stop());

  async function failure(kind: FaultKind): Promise<unknown> {
    portal.emulator.injectFault({ operation: 'GetRoleCredentials', kind, count: 1 });
    try {
      await portal.ic.getRoleCredentials(portal.accessToken, portal.role);
    } catch (e) {
      return e;
    }
    assert.fail(`the ${kind} fault did not fail the call`);
  }

  test('an error that echoes the access token: the raw message carries it, the one shown does not', async () => {
    const e = await failure('echo');
    assert.ok(String((e as Error).message).includes(portal.accessToken), 'the hostile server did echo the token (what used to be shown)');
    const shown = launchCredentialFailure(e);
    assert.ok(!shown.message.includes(portal.accessToken), shown.message);
    assert.ok(!String(shown.causeName).includes(portal.accessToken));
    assert.doesNotMatch(shown.message, /Request rejected/, 'none of the server’s words');
    assert.match(shown.message, /^Getting AWS credentials for the debug session failed/);
    assert.match(shown.message, /Show Log|try again/i, 'says what to do');
  });

  for (const [kind, expected] of [
    ['500', /try again/i],
    ['429', /try again|wait/i],
    ['401', /Sign in again/],
  ] as const) {
    test(`a ${kind} from the portal becomes a sentence that says what to do`, async () => {
      const e = await failure(kind);
      const shown = launchCredentialFailure(e);
      assert.doesNotMatch(shown.message, /injected fault/, 'none of the server’s words');
      assert.match(shown.message, expected, shown.message);
    });
  }
});
