// When a long-term key was last used: the real SDK IAM client, pointed at the emulator through
// AWS_ENDPOINT_URL_IAM (the SDK's own per-service variable), signed with an Identity Center role.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { keyIdOf, keyLastUsed } from '../../../src/core/awsFiles/accessKeyLastUsed';
import { findLongTermKeys } from '../../../src/core/awsFiles/longTermKeys';
import type { RoleCredentialsSecret } from '../../../src/core/common/model';
import { Emulator } from '../../emulator/server';
import { EmulatorSession, signIn } from '../../soak/emulatorSession';
import { tempDir } from '../../support/cliFixtures';
import { withEnv } from '../../support/chainedRoleFixtures';

const KEY = 'AKIAIOSFODNN7EXAMPLE';

describe('keyLastUsed through the emulator IAM', { timeout: 30_000 }, () => {
  let em: Emulator;
  let session: EmulatorSession;
  let creds: RoleCredentialsSecret;
  before(async () => {
    em = await Emulator.start({
      accounts: 3,
      specialCases: false,
      autoApprove: true,
      accessKeyLastUsed: {
        keys: { [KEY]: { userName: 'alice', lastUsedDate: '2026-11-30T08:15:00Z', serviceName: 's3', region: 'eu-west-1' } },
        deniedRoles: [],
      },
    });
    session = await signIn(em);
    creds = await session.ic.getRoleCredentials(session.accessToken, session.roles[0]);
  });
  after(async () => {
    session?.dispose();
    await em?.stop();
  });
  const ask = (keyId: string) => withEnv({ AWS_ENDPOINT_URL_IAM: em.url }, () => keyLastUsed(keyId, creds, 'us-east-1'));

  test('the key id is read from its file; the last use is answered; a key never used says so', async () => {
    const dir = tempDir('lastused-');
    try {
      const file = path.join(dir, 'credentials');
      fs.writeFileSync(file, `[default]\naws_access_key_id = ${KEY}\naws_secret_access_key = s3cr3t\n`);
      const [finding] = await findLongTermKeys({ env: {}, credentialsPath: file, configPath: path.join(dir, 'none') });
      assert.equal(await keyIdOf(finding), KEY);
      assert.deepEqual(await ask(KEY), { kind: 'used', date: new Date('2026-11-30T08:15:00Z'), service: 's3', region: 'eu-west-1' });
      const call = em.calls({ operation: 'GetAccessKeyLastUsed' }).at(-1)!;
      assert.equal(call.accessKeyId, creds.accessKeyId, "signed with the role's key");
      em.configure({ accessKeyLastUsed: { keys: { [KEY]: { userName: 'alice' } }, deniedRoles: [] } });
      assert.deepEqual(await ask(KEY), { kind: 'never' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a role without iam:GetAccessKeyLastUsed is told which permission is missing', async () => {
    em.configure({ accessKeyLastUsed: { keys: {}, deniedRoles: [creds.roleName] } });
    const r = await ask(KEY);
    assert.equal(r.kind, 'denied');
    assert.match((r as { message: string }).message, /needs iam:GetAccessKeyLastUsed/);
  });
});
