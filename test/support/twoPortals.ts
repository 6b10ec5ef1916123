// The local Identity Center serving two portals (3 accounts in the first, 2 in the second), reset
// before each test, and a wait for a condition: what the multi-portal life-cycle tests start from.
import assert from 'node:assert/strict';
import type { IdentityCenter } from '../../src/core/aws/identityCenter';
import type { Emulator } from '../emulator/server';
import { emulatorPerTest } from './emulator';

export const SECOND_URL = 'https://second-org.awsapps.com/start';

/** Registers the suite's emulator hooks; the getters are valid inside tests. */
export function twoPortalEmulator(): { emulator: () => Emulator; client: () => Promise<IdentityCenter> } {
  return emulatorPerTest({ interval: 1, autoApprove: true, accounts: 3, portals: { [SECOND_URL]: 2 } });
}

/** Waits until `ok()` holds, failing the test with `what` after `ms`. */
export async function until(what: string, ok: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
