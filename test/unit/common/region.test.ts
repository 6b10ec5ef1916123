// Table tests of the one region decision.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideRegion, type RegionSources, type RegionUse } from '../../../src/core/common/region';

describe('decideRegion', () => {
  const signedIn = 'eu-west-1';
  const cases: [RegionUse, RegionSources, string][] = [
    ['identityCenter', { signedIn, setting: 'us-west-2', terminal: 'ap-south-1' }, 'eu-west-1'],
    ['identityCenter', { setting: 'us-west-2', terminal: 'ap-south-1' }, 'us-west-2'],
    ['identityCenter', { setting: '' }, 'us-east-1'],
    ['identityCenter', {}, 'us-east-1'],
    ['tools', { signedIn, terminal: 'ap-south-1' }, 'ap-south-1'],
    ['tools', { signedIn, terminal: '' }, 'eu-west-1'],
    ['tools', { setting: 'us-west-2' }, ''],
    ['console', { signedIn, terminal: 'ap-south-1' }, 'ap-south-1'],
    ['console', { signedIn }, 'eu-west-1'],
    ['console', { setting: 'us-west-2' }, 'us-east-1'],
    ['tools', { signedIn, terminal: 'ap-south-1', role: 'eu-central-1' }, 'eu-central-1'],
    ['console', { signedIn, role: 'eu-central-1' }, 'eu-central-1'],
    ['identityCenter', { signedIn, role: 'eu-central-1' }, 'eu-west-1'],
  ];
  for (const [use, sources, expected] of cases) {
    test(`${use} ${JSON.stringify(sources)} → ${JSON.stringify(expected)}`, () => assert.equal(decideRegion(use, sources), expected));
  }
});
