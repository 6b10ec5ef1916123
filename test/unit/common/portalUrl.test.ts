// Table tests of the access portal host forms the AWS CLI knows (resolve.py): AWS-owned or not,
// and the region read from the host; lookalikes are neither.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isAwsPortalHost } from '../../../src/core/common/portalUrl';
import { checkStartUrl, regionFromStartUrl } from '../../../src/core/common/validate';

describe('access portal URL forms', () => {
  // [start URL, AWS-owned (no warning), region read from it]
  const rows: [string, boolean, string | undefined][] = [
    ['https://my-org.awsapps.com/start', true, undefined],
    ['https://d-1234567890.awsapps.com/start/#/', true, undefined],
    ['https://start.us-gov-home.awsapps.com/directory/x', true, undefined],
    ['https://d-90676a1b2c.awsapps.cn/start', true, undefined],
    ['https://ssoins-7223a1b2c3d4e5f6.portal.eu-west-1.app.aws', true, 'eu-west-1'],
    ['https://ssoins-7223a1b2c3d4e5f6.portal.eu-west-1.app.aws/', true, 'eu-west-1'],
    ['https://SSOINS-7223A1B2C3D4E5F6.Portal.AP-Southeast-2.App.Aws/start', true, 'ap-southeast-2'],
    ['https://ssoins-7223a1b2c3d4e5f6.us-east-2.portal.amazonaws.com', true, 'us-east-2'],
    ['https://ssoins-1.cn-north-1.portal.amazonaws.com.cn', true, 'cn-north-1'],
    ['https://ssoins-1.portal.cn-northwest-1.app.amazonwebservices.com.cn', true, 'cn-northwest-1'],
    ['https://ssoins-1.eusc-de-east-1.portal.amazonaws.eu', true, 'eusc-de-east-1'],
    ['https://ssoins-1.portal.eusc-de-east-1.api.amazonwebservices.eu', true, 'eusc-de-east-1'],
    ['https://identitycenter.amazonaws.com/ssoins-7223a1b2c3d4e5f6', true, undefined],
    ['https://identitycenter.amazonaws.com.cn/ssoins-1', true, undefined],
    ['https://identitycenter.amazonaws.eu/ssoins-1', true, undefined],
    ['https://identitycenter.us-gov.amazonaws.com/ssoins-1', true, undefined],
    ['https://ssoins-1.portal.not-a-region.app.aws', true, undefined], // AWS-owned, but the label is no region: ask
    // Lookalikes and vanity hosts: a warning, no region.
    ['https://awsapps.com.evil.example/start', false, undefined],
    ['https://my-org.awsapps.com.evil.example/start', false, undefined],
    ['https://evilawsapps.com/start', false, undefined],
    ['https://ssoins-1.portal.eu-west-1.app.aws.evil.example', false, undefined],
    ['https://ssoins-1.portal.eu-west-1.app.awsx', false, undefined],
    ['https://identitycenter.amazonaws.com.evil.example/x', false, undefined],
    ['https://sub.identitycenter.amazonaws.org/x', false, undefined],
    ['https://sso.example.com/start', false, undefined],
    ['https://my_org.awsapps.com/start', false, undefined], // not a DNS name
  ];
  for (const [url, owned, region] of rows) {
    test(url, () => {
      const c = checkStartUrl(url);
      assert.equal(c.ok, true);
      if (owned) assert.equal(c.warning, undefined, 'no warning for an AWS-owned form');
      else assert.match(c.warning ?? '', /custom domain/);
      assert.equal(regionFromStartUrl(url), region);
    });
  }
  test('only https URLs name a region', () => {
    assert.equal(regionFromStartUrl('http://ssoins-1.portal.eu-west-1.app.aws'), undefined);
    assert.equal(regionFromStartUrl('not a url'), undefined);
  });
  test('host checks on their own: trailing dot, bare suffixes as the CLI allows them, empty labels refused', () => {
    assert.equal(isAwsPortalHost('my-org.awsapps.com.'), true);
    assert.equal(isAwsPortalHost('awsapps.com'), true);
    assert.equal(isAwsPortalHost('.awsapps.com'), false);
    assert.equal(isAwsPortalHost('a..awsapps.com'), false);
    assert.equal(isAwsPortalHost(''), false);
  });
});
