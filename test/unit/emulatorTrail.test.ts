// The emulator's CloudTrail record and LookupEvents, with the real SDK clients: every signed call
// is recorded by its key (STS and the JSON services), LookupEvents follows the service's rules.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { RoleCredentialsSecret } from '../../src/core/common/model';
import { EmulatorControl } from '../emulator/client';
import { Emulator } from '../emulator/server';
import { withEnv } from '../support/chainedRoleFixtures';
import { roleKey } from '../support/cloudTrailFixtures';

const REGION = 'eu-west-1';
const creds = (c: RoleCredentialsSecret) => ({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken });

describe('Emulator CloudTrail', () => {
  let emu: Emulator;
  before(async () => {
    emu = await Emulator.start({ accounts: 2, specialCases: false });
  });
  after(() => emu.stop());

  const send = async (key: RoleCredentialsSecret, input: LookupEventsCommandInput, region = REGION) => {
    const client = new CloudTrailClient({ region, credentials: creds(key), maxAttempts: 1 });
    try {
      return await client.send(new LookupEventsCommand(input));
    } finally {
      client.destroy();
    }
  };
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => assert.fail('expected an error'),
      (e: Error) => e.name,
    );

  test('a signed STS call is recorded with its key, region, time, source IP and user agent; an unknown key is not', async () => {
    emu.reset();
    const key = roleKey(emu, emu.accounts()[0].accountId, 'Developer');
    await withEnv({ AWS_ENDPOINT_URL_STS: emu.url, AWS_ENDPOINT_URL_CLOUDTRAIL: emu.url }, async () => {
      const sts = new STSClient({ region: REGION, credentials: creds(key) });
      await sts.send(new GetCallerIdentityCommand({}));
      sts.destroy();
      const stranger = new STSClient({ region: REGION, credentials: { accessKeyId: 'ASIANOTISSUED0000000', secretAccessKey: 'x', sessionToken: 'y' } });
      await assert.rejects(stranger.send(new GetCallerIdentityCommand({})));
      stranger.destroy();
      const [record, ...rest] = await new EmulatorControl(emu.url).trail();
      assert.equal(rest.length, 0);
      assert.deepEqual(
        [record.accessKeyId, record.region, record.eventSource, record.eventName, record.readOnly, record.sourceIPAddress],
        [key.accessKeyId, REGION, 'sts.amazonaws.com', 'GetCallerIdentity', true, '127.0.0.1'],
      );
      assert.match(record.userAgent, /^aws-sdk-js\//);
      const out = await send(key, { LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: key.accessKeyId }] });
      assert.equal(out.Events?.length, 1);
      assert.equal(out.Events?.[0].ReadOnly, 'true');
      const parsed = JSON.parse(out.Events?.[0].CloudTrailEvent ?? '{}') as Record<string, unknown>;
      assert.equal(parsed.awsRegion, REGION);
      assert.equal((parsed.userIdentity as { accessKeyId?: string }).accessKeyId, key.accessKeyId);
      assert.deepEqual((await send(key, {}, 'us-west-2')).Events, [], 'each region has its own trail');
    });
  });

  test('MaxResults over 50, a forged NextToken and two attributes are refused as the service does; reset clears the record', async () => {
    const key = roleKey(emu, emu.accounts()[0].accountId, 'Developer');
    await withEnv({ AWS_ENDPOINT_URL_CLOUDTRAIL: emu.url }, async () => {
      assert.equal(await failure(send(key, { MaxResults: 51 })), 'InvalidMaxResultsException');
      await new Promise((r) => setTimeout(r, 1_000));
      assert.equal(await failure(send(key, { NextToken: 'not-a-token' })), 'InvalidNextTokenException');
      await new Promise((r) => setTimeout(r, 1_000));
      const two = [
        { AttributeKey: 'AccessKeyId' as const, AttributeValue: key.accessKeyId },
        { AttributeKey: 'EventName' as const, AttributeValue: 'GetCallerIdentity' },
      ];
      assert.equal(await failure(send(key, { LookupAttributes: two })), 'InvalidLookupAttributesException');
    });
    emu.reset();
    assert.deepEqual(await new EmulatorControl(emu.url).trail(), []);
  });
});
