// Each role's own region: set by the user, else its AWS CLI profile's; then regionForRole decides.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RoleRegions } from '../../../src/core/accounts/roleRegions';
import { regionForRole } from '../../../src/core/common/region';
import { STATE_KEYS } from '../../../src/core/common/storageKeys';
import { MemoryState } from '../../support/memoryState';

const PORTAL = 'https://my-org.awsapps.com/start';
const readOnly = { accountId: '111122223333', roleName: 'ReadOnly', portal: PORTAL };
const admin = { accountId: '111122223333', roleName: 'AdministratorAccess', portal: PORTAL };

test('a set region wins over the profile’s; forgetting it brings the profile’s back; stored without secrets under one key', async () => {
  const state = new MemoryState();
  const regions = new RoleRegions(state, async () => [
    { profile: 'ro', accountId: readOnly.accountId, roleName: 'ReadOnly', portal: PORTAL, region: 'ap-south-1' },
  ]);
  let changes = 0;
  regions.onDidChange(() => changes++);
  assert.equal(regions.regionOf(readOnly), undefined, 'profiles not read yet');
  await regions.reloadProfiles();
  assert.deepEqual(regions.sourceOf(readOnly), { region: 'ap-south-1', from: 'profile', profile: 'ro' });
  await regions.set(readOnly, 'eu-central-1');
  assert.deepEqual(regions.sourceOf(readOnly), { region: 'eu-central-1', from: 'set' });
  assert.equal(regions.regionOf(admin), undefined, 'other roles keep the default');
  assert.deepEqual([...state.data.keys()], [STATE_KEYS.roleRegions]);
  assert.deepEqual(state.data.get(STATE_KEYS.roleRegions), { [`${PORTAL}|111122223333/ReadOnly`]: 'eu-central-1' });
  await assert.rejects(regions.set(admin, 'not-a-region'));
  await regions.set(readOnly, undefined);
  assert.equal(regions.regionOf(readOnly), 'ap-south-1');
  assert.equal(state.data.size, 0, 'nothing left stored');
  assert.equal(changes, 3);
});

test('a damaged stored value is ignored, not thrown', () => {
  const state = new MemoryState();
  state.data.set(STATE_KEYS.roleRegions, { [`${PORTAL}|111122223333/ReadOnly`]: 'rm -rf /' });
  assert.equal(new RoleRegions(state, async () => []).regionOf(readOnly), undefined);
  state.data.set(STATE_KEYS.roleRegions, ['x']);
  assert.equal(new RoleRegions(state, async () => []).regionOf(readOnly), undefined);
});

test('regionForRole: the role’s region for tools and the console, else the usual decision', () => {
  const s = { signedIn: 'us-east-1', terminal: 'eu-west-1' };
  assert.equal(regionForRole('tools', 'eu-central-1', s), 'eu-central-1');
  assert.equal(regionForRole('console', 'eu-central-1', s), 'eu-central-1');
  assert.equal(regionForRole('tools', undefined, s), 'eu-west-1');
  assert.equal(regionForRole('console', undefined, {}), 'us-east-1');
  assert.equal(regionForRole('tools', '', { signedIn: 'us-east-1' }), 'us-east-1');
});
