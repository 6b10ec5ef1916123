// Issue 23 with real peers: in a terminal as the extension sets it up (endpoint variables,
// AWS_PROFILE=awsidc-terminal, our credential_process profile written by ensureTerminalProfile),
// every real client signs STS GetCallerIdentity with the active role's key, whatever the user's
// [default] holds: a long-term key, credential_process, sso_session, role_arn, or a key plus
// credential_process; in endpoint mode and in env mode. An explicit `--profile other` or
// `AWS_PROFILE=other` still picks `other`.
// A client whose program is missing is skipped, except under AWSIDC_REQUIRE_PEERS=1 (npm test).
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { PEER_CLIENTS } from '../../support/peerClients';
import { runCell, startPeerWorld, type PeerWorld } from '../../support/peerMatrix';
import { SHADOWS } from '../../support/peerShadows';

const REQUIRED = process.env.AWSIDC_REQUIRE_PEERS === '1';
/** The clients that call STS (Node's fetch reads the endpoint, which env mode does not have). */
const SDKS = PEER_CLIENTS.filter((c) => c.userAgent);

describe('terminal peers: the role the status bar shows is the role that signs (issue 23)', { timeout: 600_000 }, () => {
  let world: PeerWorld;
  const started = Date.now();

  before(async () => {
    world = await startPeerWorld();
  });
  after(async () => {
    await world?.dispose();
  });

  const checkMissing = (t: test.TestContext, missing: string[]): void => {
    if (!missing.length) return;
    if (REQUIRED) assert.fail(`peers missing under AWSIDC_REQUIRE_PEERS=1: ${missing.join('; ')} (bash scripts/system-packages.sh peers)`);
    t.diagnostic(`skipped (not installed): ${missing.join('; ')}`);
  };

  for (const shadow of SHADOWS) {
    test(`[default] shadow "${shadow}": every client signs with the active role`, async (t) => {
      const { outcomes, missing } = await runCell(world, '(b) credential_process', shadow, PEER_CLIENTS);
      checkMissing(t, missing);
      assert.ok(outcomes.length > 0, 'no client ran');
      for (const o of outcomes) t.diagnostic(`${o.client}: ${o.signer} (${o.ms} ms)`);
      const wrong = outcomes.filter((o) => o.signer !== 'role');
      assert.deepEqual(
        wrong.map((o) => `${o.client}: ${o.signer} (${o.detail})`),
        [],
        'these clients did not sign with the active role',
      );
    });
  }

  // Env mode (keys in the environment + our profile, whose script prints them): the shadows where
  // keys alone lose in some client (Ruby 3.168 with a [default] sso_session) or that stack two sources.
  for (const shadow of ['default-sso', 'key+process'] as const) {
    test(`env mode, [default] shadow "${shadow}": every SDK signs with the active role`, async (t) => {
      const { outcomes, missing } = await runCell(world, 'env keys + (b)', shadow, SDKS);
      checkMissing(t, missing);
      assert.ok(outcomes.length > 0, 'no client ran');
      assert.deepEqual(
        outcomes.filter((o) => o.signer !== 'role').map((o) => `${o.client}: ${o.signer} (${o.detail})`),
        [],
      );
    });
  }

  test('inherited AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _TOKEN_FILE (which cannot be blanked) no longer win', async (t) => {
    const inherited = { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x', AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/nonexistent/token' };
    const { outcomes, missing } = await runCell(world, '(b) credential_process', 'none', PEER_CLIENTS, { inherited });
    checkMissing(t, missing);
    assert.deepEqual(
      outcomes.filter((o) => o.signer !== 'role').map((o) => `${o.client}: ${o.signer} (${o.detail})`),
      [],
    );
    // Without the profile they do (the test can fail): the CLI v1 reads the missing token file.
    const before = await runCell(world, 'endpoint only', 'none', SDKS.slice(0, 1), { inherited });
    assert.ok(
      before.outcomes.every((o) => o.signer === 'failed'),
      JSON.stringify(before.outcomes),
    );
  });

  test('the same terminal without our profile is shadowed by a [default] key (the test can fail)', async (t) => {
    const { outcomes } = await runCell(
      world,
      'endpoint only',
      'default-key',
      PEER_CLIENTS.filter((c) => c.userAgent),
    );
    const shadowed = outcomes.filter((o) => o.signer === 'default key').map((o) => o.client);
    t.diagnostic(`signed with the [default] key: ${shadowed.join(', ')}`);
    assert.deepEqual(
      outcomes.filter((o) => o.signer !== 'default key'),
      [],
      'a client skipped [default] without our profile',
    );
  });

  test("an explicit `--profile other` on one command still picks the user's profile", async (t) => {
    const clis = PEER_CLIENTS.filter((c) => c.profileArgs);
    const { outcomes, missing } = await runCell(world, '(b) credential_process', 'key+process', clis, { explicit: 'flag' });
    checkMissing(t, missing);
    assert.ok(outcomes.length > 0, 'no CLI ran');
    for (const o of outcomes) assert.equal(o.signer, 'other', `${o.client}: ${o.detail}`);
  });

  test("an explicit `AWS_PROFILE=other` on one command still picks the user's profile", async (t) => {
    const { outcomes, missing } = await runCell(world, '(b) credential_process', 'key+process', SDKS, { explicit: 'AWS_PROFILE' });
    checkMissing(t, missing);
    for (const o of outcomes) assert.equal(o.signer, 'other', `${o.client}: ${o.detail}`);
    t.diagnostic(`whole suite so far: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
});
