// A role takes the region of an AWS CLI profile for the same account, role and portal.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { profileRegionOf, readSsoProfileRegions, ssoProfileRegions } from '../../../src/core/awsFiles/profileRegions';

const PORTAL = 'https://my-org.awsapps.com/start';
const CONFIG = `[sso-session corp]
sso_start_url = ${PORTAL}/
sso_region = us-east-1

[profile via-session]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly
region = eu-central-1

[profile legacy]
sso_start_url = ${PORTAL}
sso_region = us-east-1
sso_account_id = 111122223333
sso_role_name = PowerUser
region = ap-south-1

[profile other-portal]
sso_start_url = https://other.awsapps.com/start
sso_account_id = 111122223333
sso_role_name = Billing
region = us-west-2

[profile bad-region]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer
region = mars-1

[profile no-region]
sso_session = corp
sso_account_id = 444455556666
sso_role_name = ReadOnly

[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
region = us-east-2
`;

test('profiles through sso_session and with sso_start_url are read; an invalid or missing region is skipped', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'awsidc-profile-regions-'));
  try {
    const file = path.join(dir, 'config');
    fs.writeFileSync(file, CONFIG);
    const profiles = await readSsoProfileRegions(file);
    assert.deepEqual(
      profiles.map((p) => [p.profile, p.roleName, p.portal, p.region]),
      [
        ['via-session', 'ReadOnly', PORTAL, 'eu-central-1'],
        ['legacy', 'PowerUser', PORTAL, 'ap-south-1'],
        ['other-portal', 'Billing', 'https://other.awsapps.com/start', 'us-west-2'],
      ],
    );
    const role = (roleName: string, portal?: string) => ({ accountId: '111122223333', roleName, portal });
    assert.equal(profileRegionOf(profiles, role('ReadOnly', PORTAL))?.region, 'eu-central-1');
    assert.equal(profileRegionOf(profiles, role('Billing', PORTAL)), undefined, 'another portal’s profile does not count');
    assert.equal(profileRegionOf(profiles, role('Developer', PORTAL)), undefined);
    assert.equal(
      profileRegionOf(profiles, { ...role('ReadOnly', PORTAL), via: role('ReadOnly', PORTAL), chainName: 'x' }),
      undefined,
      'chained roles have none',
    );
    assert.deepEqual(await readSsoProfileRegions(path.join(dir, 'missing')), [], 'no file: none');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('ssoProfileRegions ignores sections without the three keys', () => {
  assert.deepEqual(ssoProfileRegions({ a: { region: 'eu-west-1' }, b: undefined, 'sso-session.x': { sso_start_url: PORTAL } }), []);
});
