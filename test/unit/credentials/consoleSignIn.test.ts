// Console sign-in: partition-aware endpoints, and a round trip through the emulator's federation
// endpoint with credentials from its portal (real SDK clients) and from STS AssumeRole.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { consoleLoginUrl, federationEndpoint, partitionOf } from '../../../src/core/credentials/consoleSignIn';
import { Emulator } from '../../emulator/server';
import { EmulatorSession, signIn } from '../../soak/emulatorSession';

describe('federation endpoints by partition', () => {
  const cases: [string, string, string][] = [
    ['us-east-1', 'https://signin.aws.amazon.com/federation', 'https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1'],
    ['eu-west-2', 'https://signin.aws.amazon.com/federation', 'https://eu-west-2.console.aws.amazon.com/console/home?region=eu-west-2'],
    ['us-gov-west-1', 'https://signin.amazonaws-us-gov.com/federation', 'https://console.amazonaws-us-gov.com/console/home?region=us-gov-west-1'],
    ['cn-north-1', 'https://signin.amazonaws.cn/federation', 'https://console.amazonaws.cn/console/home?region=cn-north-1'],
  ];
  for (const [region, signin, consoleUrl] of cases) {
    test(region, () => assert.deepEqual(federationEndpoint(region, {}), { signin, console: consoleUrl }));
  }
  test('ISO regions are refused with a message', () => assert.throws(() => partitionOf('us-iso-east-1'), /not available/));
  test('AWS_ENDPOINT_URL_SIGNIN replaces the sign-in host; plain http only on loopback', () => {
    assert.equal(federationEndpoint('us-east-1', { AWS_ENDPOINT_URL_SIGNIN: 'http://127.0.0.1:9/' }).signin, 'http://127.0.0.1:9/federation');
    assert.throws(() => federationEndpoint('us-east-1', { AWS_ENDPOINT_URL_SIGNIN: 'http://evil.example' }), /https/);
  });
});

describe('console sign-in through the emulator', () => {
  let em: Emulator;
  let session: EmulatorSession;
  const env = (): NodeJS.ProcessEnv => ({ AWS_ENDPOINT_URL_SIGNIN: em.url });

  before(async () => {
    em = await Emulator.start({ autoApprove: true, accounts: 3 });
    session = await signIn(em);
  });
  after(async () => {
    session?.dispose();
    await em?.stop();
  });

  test('portal credentials → single-use sign-in URL that lands as the role', async () => {
    const role = session.roles[0];
    const creds = await session.ic.getRoleCredentials(session.accessToken, role);
    const url = await consoleLoginUrl(creds, 'us-east-1', { env: env() });
    for (const secret of [creds.secretAccessKey, creds.sessionToken])
      assert.ok(!url.includes(encodeURIComponent(secret)) && !url.includes(secret), 'no key material in the browser URL');
    const page = await fetch(url);
    assert.equal(page.status, 200);
    const text = await page.text();
    assert.match(text, new RegExp(`assumed-role/${role.roleName}/`));
    assert.match(text, /us-east-1\.console\.aws\.amazon\.com/);
    assert.equal((await fetch(url)).status, 400, 'the sign-in token works once');
    assert.equal(em.calls({ operation: 'GetSigninToken' }).at(-1)?.accessKeyId, creds.accessKeyId);
  });

  test('a destination reaches the federation endpoint encoded once and decodes to the console URL', async () => {
    const creds = await session.ic.getRoleCredentials(session.accessToken, session.roles[0]);
    const url = await consoleLoginUrl(creds, 'eu-central-1', { env: env(), destination: '/lambda/home#/functions' });
    const page = await fetch(url);
    assert.equal(page.status, 200);
    const login = em.calls({ operation: 'ConsoleLogin' }).at(-1)!;
    assert.equal(login.destination, 'https://eu-central-1.console.aws.amazon.com/lambda/home?region=eu-central-1#/functions');
    assert.match(
      login.requestTarget!,
      /&Destination=https%3A%2F%2Feu-central-1\.console\.aws\.amazon\.com%2Flambda%2Fhome%3Fregion%3Deu-central-1%23%2Ffunctions&/,
    );
    assert.match(login.requestTarget!, /SigninToken=\*\*\*$/, 'the single-use token is masked in the record');
  });

  test('chained-role credentials work (no SessionDuration is sent)', async () => {
    const source = await session.ic.getRoleCredentials(session.accessToken, session.roles[1]);
    const { STSClient, AssumeRoleCommand } = await import('@aws-sdk/client-sts');
    const sts = new STSClient({
      region: 'us-east-1',
      endpoint: em.url,
      credentials: { accessKeyId: source.accessKeyId, secretAccessKey: source.secretAccessKey, sessionToken: source.sessionToken },
    });
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::999988887777:role/Deploy', RoleSessionName: 'console-test' }));
    sts.destroy();
    const c = out.Credentials!;
    const url = await consoleLoginUrl(
      {
        accountId: '999988887777',
        roleName: 'Deploy',
        accessKeyId: c.AccessKeyId!,
        secretAccessKey: c.SecretAccessKey!,
        sessionToken: c.SessionToken!,
        expiration: c.Expiration!.getTime(),
      },
      'eu-west-1',
      { env: env() },
    );
    assert.match(await (await fetch(url)).text(), /999988887777:assumed-role\/Deploy\/console-test/);
  });

  test('refused credentials and an unreachable sign-in host give messages without secrets', async () => {
    const creds = await session.ic.getRoleCredentials(session.accessToken, session.roles[0]);
    const forged = { ...creds, secretAccessKey: 'x'.repeat(40) };
    await assert.rejects(
      consoleLoginUrl(forged, 'us-east-1', { env: env() }),
      (e: Error) => /refused/.test(e.message) && !e.message.includes(creds.sessionToken),
    );
    await assert.rejects(
      consoleLoginUrl(creds, 'us-east-1', { env: { AWS_ENDPOINT_URL_SIGNIN: 'http://127.0.0.1:9' } }),
      (e: Error) => /Could not reach/.test(e.message) && !e.message.includes(creds.secretAccessKey),
    );
  });
});
