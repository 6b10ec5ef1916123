// Table tests of what users type or configure: start URLs and regions.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkRegion, checkStartUrl } from '../../../src/core/common/validate';

describe('checkStartUrl', () => {
  const cases: [string, boolean, RegExp | undefined][] = [
    ['https://my-org.awsapps.com/start', true, undefined],
    ['https://d-1234567890.awsapps.com/start/', true, undefined],
    ['https://start.us-gov-home.awsapps.com/directory/x', true, undefined],
    ['https://sso.example.com/start', true, /custom domain/],
    ['http://my-org.awsapps.com/start', false, /https/],
    ['my-org.awsapps.com/start', false, /not a URL/],
    ['', false, /Enter/],
    ['https://user:pw@my-org.awsapps.com/start', false, /user name/],
  ];
  for (const [input, ok, message] of cases) {
    test(JSON.stringify(input), () => {
      const c = checkStartUrl(input);
      assert.equal(c.ok, ok);
      if (message) assert.match(c.error ?? c.warning ?? '', message);
      else assert.equal(c.error ?? c.warning, undefined);
    });
  }
});

describe('checkRegion', () => {
  for (const r of ['us-east-1', 'eu-west-2', 'ap-southeast-3', 'us-gov-west-1', 'cn-north-1', 'il-central-1', 'mx-central-1'])
    test(`${r} is a region`, () => assert.equal(checkRegion(r).ok, true));
  for (const r of ['us-east', 'useast1', 'moon-east-1', 'us-east-1 ', 'US-EAST-1', 'eu-west-1a'].map((x) => (x.trim() === x ? x : 'x')))
    test(`${r} is refused`, () => assert.match(checkRegion(r).error ?? '', /region/));
});
