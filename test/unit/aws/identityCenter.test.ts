// The local clock 10 minutes fast or slow: lifetimes stay right on this machine's clock.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { IdentityCenter } from '../../../src/core/aws/identityCenter';
import { Session } from '../../../src/core/signIn/session';
import { Emulator } from '../../emulator/server';
import { REGION, START_URL } from '../../support/emulator';
import { MemorySecrets } from '../../support/memorySecrets';

let emulator: Emulator;
before(async () => (emulator = await Emulator.start({ accounts: 3, autoApprove: true })));
after(() => emulator.stop());

for (const skewMin of [10, -10]) {
  test(`server clock ${skewMin > 0 ? 'ahead of' : 'behind'} ours by 10 minutes: role credentials and sign-in keep their true lifetime locally`, async () => {
    emulator.configure({ clockSkewSec: skewMin * 60, roleCredentialTtlSec: 3600, accessTokenTtlSec: 3600 });
    const client = () => IdentityCenter.create({ region: REGION, endpoints: { oidc: emulator.url, portal: emulator.url } });
    const session = Session.create({ store: new MemorySecrets(), createClient: client });
    await session.signIn({ startUrl: START_URL, region: REGION }, { onCode: () => undefined });
    assert.ok(Math.abs(session.expiresAt! - Date.now() - 3600_000) < 5_000, 'sign-in expiry counted from our clock');
    const ic = await session.client(REGION);
    const account = emulator.accounts().find((a) => a.roles.length)!;
    const creds = await ic.getRoleCredentials(await session.accessToken(), { accountId: account.accountId, roleName: account.roles[0] });
    const left = creds.expiration - Date.now();
    assert.ok(Math.abs(left - 3600_000) < 5_000, `role credentials have ${Math.round(left / 60_000)} min left on this machine's clock`);
    assert.ok(Math.abs(ic.clockSkewMs - skewMin * 60_000) < 2_000);
    session.dispose();
  });
}
