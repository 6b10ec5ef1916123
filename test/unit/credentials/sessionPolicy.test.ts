// Scoped-down chained roles: "policy" and "policyArns" parsed within STS's limits, sent to AssumeRole
// by the real SDK client (the emulator records what it received), and STS's refusals of a malformed
// or too large policy turned into advice naming the chained role's setting.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { assumeChainedRole } from '../../../src/core/credentials/assumeRole';
import { parseChainedRoles, type ChainedRoleDefinition } from '../../../src/core/credentials/chainedRoles';
import { MAX_POLICY_CHARS, isScopedDown } from '../../../src/core/credentials/sessionPolicy';
import { REGION, good, withEnv, refusal, assertNoSecrets, emulatorSourceRole } from '../../support/chainedRoleFixtures';

const READ_S3 = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

describe('parseChainedRoles: session policies', () => {
  test('policy as an object or a JSON string is sent as compact JSON; policyArns kept', () => {
    const { roles, problems } = parseChainedRoles([
      good({ name: 'obj', policy: READ_S3, policyArns: [READ_ONLY, ' arn:aws:iam::123456789012:policy/team/Mine '] }),
      good({ name: 'str', policy: JSON.stringify(READ_S3, null, 2) }),
    ]);
    assert.deepEqual(problems, []);
    assert.equal(roles[0].policy, JSON.stringify(READ_S3));
    assert.deepEqual(roles[0].policyArns, [READ_ONLY, 'arn:aws:iam::123456789012:policy/team/Mine']);
    assert.equal(roles[1].policy, JSON.stringify(READ_S3));
    assert.ok(isScopedDown(roles[0]) && isScopedDown(roles[1]));
    assert.ok(!isScopedDown(parseChainedRoles([good()]).roles[0]));
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['not JSON', { policy: '{"Version": "2012-10-17", Statement: []}' }, /"policy" is not valid JSON/],
    ['a list, not a document', { policy: [READ_S3] }, /"policy" must be an IAM policy document/],
    [
      'over 2,048 characters packed',
      { policy: { ...READ_S3, Statement: [{ ...READ_S3.Statement[0], Resource: 'x'.repeat(MAX_POLICY_CHARS) }] } },
      /AWS STS accepts at most 2048/,
    ],
    ['beyond Latin-1', { policy: { ...READ_S3, Sid: 'ünïcødé→' } }, /U\+00FF/],
    ['an ARN that is not a policy', { policyArns: ['arn:aws:iam::aws:role/ReadOnly'] }, /"policyArns" must be a list of IAM policy ARNs/],
    ['not a list', { policyArns: READ_ONLY }, /"policyArns" must be a list/],
    ['more than 10', { policyArns: Array.from({ length: 11 }, (_, i) => `arn:aws:iam::aws:policy/P${i}`) }, /lists 11 policies; AWS STS accepts at most 10/],
  ];
  for (const [what, extra, message] of bad)
    test(`${what}: the entry is skipped with a message`, () => {
      const { roles, problems } = parseChainedRoles([good(extra)]);
      assert.equal(roles.length, 0);
      assert.match(problems[0], message);
      assert.match(problems[0], /awsIdc\.chainedRoles entry 1 \("deploy"\) was skipped/);
    });
});

describe('session policies through the emulator STS', { timeout: 30_000 }, () => {
  const fixture = emulatorSourceRole();
  const def = (extra: Partial<ChainedRoleDefinition> = {}): ChainedRoleDefinition => ({
    name: 'scoped',
    roleArn: 'arn:aws:iam::444455556666:role/Deployer',
    source: { accountId: fixture.sourceRole.accountId, roleName: fixture.sourceRole.roleName },
    ...extra,
  });
  const assume = (d: ChainedRoleDefinition) =>
    withEnv({ AWS_ENDPOINT_URL_STS: fixture.em.url }, () => assumeChainedRole(d, fixture.source, { region: REGION }));
  const lastAssume = () => fixture.em.calls({ operation: 'AssumeRole' }).at(-1)!;

  test('a chained role with a session policy, a managed policy and 900 s is assumed with all three', async () => {
    const [parsed] = parseChainedRoles([{ ...def(), policy: READ_S3, policyArns: [READ_ONLY], durationSeconds: 900 }]).roles;
    const creds = await assume(parsed);
    const entry = lastAssume();
    assert.equal(entry.status, 200);
    assert.equal(entry.accessKeyId, fixture.source.accessKeyId, "signed with the source role's key");
    assert.deepEqual(JSON.parse(entry.policy!), READ_S3);
    assert.deepEqual(entry.policyArns, [READ_ONLY]);
    assert.equal(entry.durationSeconds, 900);
    assert.ok(Math.abs(creds.expiration - (Date.now() + 900_000)) < 5_000, 'a 15-minute session');
  });

  test('no policy configured: none is sent', async () => {
    await assume(def());
    assert.equal(lastAssume().policy, undefined);
    assert.equal(lastAssume().policyArns, undefined);
  });

  test("STS's MalformedPolicyDocument and PackedPolicyTooLarge name the chained role's setting", async () => {
    // Entries the parser would accept that STS still refuses (no Statement; too much once packed).
    const malformed = await refusal(assume(def({ policy: '{"Version":"2012-10-17"}' })));
    assert.equal(malformed.causeName, 'MalformedPolicyDocumentException');
    assert.match(malformed.message, /session policy malformed\. Fix "policy" of "scoped" in awsIdc\.chainedRoles/);
    const big = { ...READ_S3, Statement: [{ ...READ_S3.Statement[0], Resource: 'r'.repeat(1900) }] };
    const tooLarge = await refusal(assume(def({ policy: JSON.stringify(big), policyArns: [READ_ONLY, 'arn:aws:iam::aws:policy/Other'] })));
    assert.equal(tooLarge.causeName, 'PackedPolicyTooLargeException');
    assert.match(tooLarge.message, /session policies of "scoped" are too large .* Shorten "policy" or list fewer "policyArns"/);
    for (const e of [malformed, tooLarge]) assertNoSecrets(e.message, [fixture.source], fixture.em.issuedSecrets());
  });
});
