// The CloudTrail review end to end (integration: the AWS CLI v1 is a real peer): the CLI and the real SDK clients make
// calls against the emulator, which records them by signing key; the review looks them up with the
// real CloudTrail client, paged and paced, and renders what a reviewer reads.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CloudTrailCache } from '../../../src/core/activity/cloudTrailCache';
import { LookupPacers, lookupKeyEvents } from '../../../src/core/activity/cloudTrailLookup';
import { renderCloudTrailMarkdown } from '../../../src/core/activity/cloudTrailMarkdown';
import { CACHE_FRESH_MS, reviewHandouts, type Handout, type KeyReview } from '../../../src/core/activity/cloudTrailReview';
import { systemClock } from '../../../src/core/common/clock';
import { summarize } from '../../../src/core/activity/cloudTrailSummary';
import { IdcError } from '../../../src/core/common/errors';
import type { RoleCredentialsSecret } from '../../../src/core/common/model';
import { Emulator } from '../../emulator/server';
import { assertNoSecrets, withEnv } from '../../support/chainedRoleFixtures';
import { AWS_CLI_V1, cli, handoutOf, roleKey } from '../../support/cloudTrailFixtures';
import { tempDirs } from '../../support/tempDirs';

const REGION = 'us-east-1';
const dirs = tempDirs('awsidc-trail-');

describe('CloudTrail review against the emulator', () => {
  let emu: Emulator;
  let account: string;
  before(async () => {
    emu = await Emulator.start({ accounts: 3, specialCases: false });
    account = emu.accounts()[0].accountId;
  });
  after(() => emu.stop());

  const env = (fn: () => Promise<void>) => withEnv({ AWS_ENDPOINT_URL_CLOUDTRAIL: emu.url, AWS_ENDPOINT_URL_STS: emu.url }, fn);

  async function review(
    handouts: Handout[],
    credentials: (h: Handout) => Promise<RoleCredentialsSecret>,
    extra: Partial<Parameters<typeof reviewHandouts>[1]> = {},
  ) {
    const pacers = new LookupPacers();
    const cache = new CloudTrailCache(join(dirs(), 'cloudtrail-review.json'));
    const reviews = await reviewHandouts(handouts, { credentials, regions: () => [REGION], cache, pacers, refresh: false, ...extra });
    return { reviews, pacers, cache };
  }

  async function callerIdentity(creds: RoleCredentialsSecret, times: number): Promise<void> {
    const sts = new STSClient({ region: REGION, credentials: sdkCredentials(creds) });
    for (let i = 0; i < times; i++) await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
  }

  test('a key used by the AWS CLI v1: its calls newest first, writes and denials marked, summed per consumer and role', async (t) => {
    if (!AWS_CLI_V1) return t.skip('AWS CLI v1 not installed');
    emu.reset();
    const admin = roleKey(emu, account, 'AdministratorAccess');
    const readOnly = roleKey(emu, account, 'ReadOnly');
    const home = dirs();
    const ran = [
      await cli(
        emu,
        admin,
        [
          'dynamodb',
          'create-table',
          '--table-name',
          'orders',
          '--attribute-definitions',
          'AttributeName=id,AttributeType=S',
          '--key-schema',
          'AttributeName=id,KeyType=HASH',
          '--billing-mode',
          'PAY_PER_REQUEST',
        ],
        home,
      ),
      await cli(emu, admin, ['dynamodb', 'list-tables'], home),
      await cli(emu, admin, ['dynamodb', 'describe-table', '--table-name', 'missing'], home),
      await cli(emu, readOnly, ['dynamodb', 'delete-table', '--table-name', 'orders'], home),
      await cli(emu, readOnly, ['sts', 'get-caller-identity'], home),
    ];
    assert.deepEqual(
      ran.map((r) => r.code),
      [0, 0, 255, 255, 0],
      ran.map((r) => r.stderr).join('\n'),
    );
    assert.match(ran[3].stderr, /AccessDeniedException/);
    await env(async () => {
      const handouts = [handoutOf(admin, 'terminal "AWS: Sandbox/AdministratorAccess"'), handoutOf(readOnly, 'terminals (active role endpoint)')];
      const { reviews, pacers } = await review(handouts, async (h) => roleKey(emu, h.accountId, h.roleName));
      const [adminReview, readOnlyReview] = reviews;
      const adminEvents = events(adminReview);
      assert.deepEqual(
        adminEvents.map((e) => [e.name, e.readOnly, e.errorCode]),
        [
          ['DescribeTable', true, 'ResourceNotFoundException'],
          ['ListTables', true, undefined],
          ['CreateTable', false, undefined],
        ],
      );
      assert.equal(adminEvents[0].source, 'dynamodb.amazonaws.com');
      assert.equal(adminEvents[0].sourceIp, '127.0.0.1');
      assert.match(adminEvents[0].userAgent ?? '', /^aws-cli\/1\./);
      assert.deepEqual(adminEvents[2].resources, [`arn:aws:dynamodb:${REGION}:${account}:table/orders`]);
      assert.deepEqual(
        events(readOnlyReview).map((e) => [e.name, e.errorCode]),
        [
          ['GetCallerIdentity', undefined],
          ['DeleteTable', 'AccessDeniedException'],
        ],
      );
      const { byConsumer, byRole } = summarize(reviews);
      assert.deepEqual(byConsumer.get('terminal "AWS: Sandbox/AdministratorAccess"'), { calls: 3, writes: 1, denied: 0, failed: 1, reviewed: true });
      assert.deepEqual(byConsumer.get('terminals (active role endpoint)'), { calls: 2, writes: 1, denied: 1, failed: 1, reviewed: true });
      assert.deepEqual(byRole.get(`${account} / ReadOnly`), { calls: 2, writes: 1, denied: 1, failed: 1, reviewed: true });
      assert.equal(pacers.stats.throttled, 0);
      const md = renderCloudTrailMarkdown({ scope: 'All hand-outs', reviews, now: Date.now(), timeZone: 'UTC' });
      assert.match(md, /\| dynamodb:DeleteTable \| \*\*write\*\* \| \*\*denied \(AccessDeniedException\)\*\* \|/);
      assert.match(md, /\| dynamodb:DescribeTable \| read \| ✖ failed \(ResourceNotFoundException\) \|/);
      assert.match(md, /5 to 15 minutes/);
      assert.match(md, /90 days/);
      assertNoSecrets(md, [admin, readOnly]);
    });
  });

  test('a key with more events than a page: NextToken paging, 50 per call, nothing lost, no throttling', async () => {
    emu.reset();
    const creds = roleKey(emu, account, 'Developer');
    await env(async () => {
      await callerIdentity(creds, 120);
      const pacers = new LookupPacers();
      const out = await lookupKeyEvents(
        { accessKeyId: creds.accessKeyId, accountId: account, region: REGION, credentials: creds, since: Date.now() - 60_000 },
        { pacers },
      );
      assert.equal(out.kind, 'events');
      assert.equal(out.kind === 'events' && out.events.length, 120);
      const times = out.kind === 'events' ? out.events.map((e) => e.time) : [];
      assert.deepEqual(
        times,
        [...times].sort((a, b) => b - a),
        'newest first',
      );
      assert.deepEqual(pacers.stats, { calls: 3, throttled: 0 });
      assert.deepEqual(
        emu.calls({ operation: 'LookupEvents' }).map((c) => c.status),
        [200, 200, 200],
      );
    });
  });

  test('the service limit is real, and the pacers stay under it for many keys of one account', async () => {
    emu.reset();
    const keys = Array.from({ length: 6 }, () => roleKey(emu, account, 'Developer'));
    await env(async () => {
      // Unpaced, the third call in the same instant is refused.
      const raw = new CloudTrailClient({ region: REGION, credentials: sdkCredentials(keys[0]), maxAttempts: 1 });
      const answers = await Promise.allSettled([1, 2, 3].map(() => raw.send(new LookupEventsCommand({ MaxResults: 5 }))));
      raw.destroy();
      assert.equal(answers.filter((a) => a.status === 'rejected' && (a.reason as Error).name === 'ThrottlingException').length, 1);
      await new Promise((r) => setTimeout(r, 1_100));
      emu.clearCalls();
      for (const k of keys) await callerIdentity(k, 2);
      const { reviews, pacers } = await review(
        keys.map((k) => handoutOf(k, 'terminal')),
        async () => keys[0],
      );
      assert.deepEqual(
        reviews.map((r) => events(r).length),
        [2, 2, 2, 2, 2, 2],
      );
      assert.deepEqual(pacers.stats, { calls: 6, throttled: 0 });
      assert.ok(!emu.calls({ operation: 'LookupEvents' }).some((c) => c.errorType === 'ThrottlingException'));
    });
  });

  test('throttled by a stricter limit: backs off, retries the same page, and completes', async () => {
    emu.reset();
    emu.configure({ cloudTrailRatePerSec: 1 });
    try {
      const keys = Array.from({ length: 4 }, () => roleKey(emu, account, 'Developer'));
      await env(async () => {
        for (const k of keys) await callerIdentity(k, 1);
        const { reviews, pacers } = await review(
          keys.map((k) => handoutOf(k, 'terminal')),
          async () => keys[0],
        );
        assert.deepEqual(
          reviews.map((r) => events(r).length),
          [1, 1, 1, 1],
        );
        assert.ok(pacers.stats.throttled > 0, 'the emulator throttled at 1 call per second');
        assert.equal(pacers.stats.calls, 4 + pacers.stats.throttled);
      });
    } finally {
      emu.configure({ cloudTrailRatePerSec: 2 });
    }
  });

  test('a role without cloudtrail:LookupEvents, a role no longer reachable, and a delivery delay each say so', async () => {
    emu.reset();
    emu.configure({ cloudTrailDeniedRoles: ['ReadOnly'] });
    try {
      const readOnly = roleKey(emu, account, 'ReadOnly');
      const gone = roleKey(emu, account, 'Billing');
      await env(async () => {
        await callerIdentity(readOnly, 1);
        const { reviews } = await review([handoutOf(readOnly, 'terminal'), handoutOf(gone, 'debug session "api"')], async (h) => {
          if (h.roleName === 'Billing') throw new IdcError('service', 'You no longer have access to Billing in this account.');
          return roleKey(emu, h.accountId, h.roleName);
        });
        assert.deepEqual(
          reviews.map((r) => r.regions[0].result.kind),
          ['denied', 'unreachable'],
        );
        const md = renderCloudTrailMarkdown({ scope: 's', reviews, now: Date.now(), timeZone: 'UTC' });
        assert.match(md, new RegExp(`The role ${account} / ReadOnly may not read CloudTrail in us-east-1: it needs the permission cloudtrail:LookupEvents`));
        assert.match(md, /cannot be reached any more.*You no longer have access to Billing/);
        assert.match(md, /\| debug session "api" \| — \| — \| — \| — \|/, 'a key never looked up has no counts, not zeros');
      });
      emu.configure({ cloudTrailDeniedRoles: [], cloudTrailDelaySec: 600 });
      await env(async () => {
        const { reviews } = await review([handoutOf(readOnly, 'terminal')], async (h) => roleKey(emu, h.accountId, h.roleName));
        assert.deepEqual(reviews[0].regions[0].result, { kind: 'events', events: [], truncated: false });
        assert.match(renderCloudTrailMarkdown({ scope: 's', reviews, now: Date.now() }), /No events in us-east-1 yet/);
      });
    } finally {
      emu.configure({ cloudTrailDeniedRoles: [], cloudTrailDelaySec: 0 });
    }
  });

  test('an expired key is looked up with the role session now signed in', async () => {
    emu.reset();
    const old = roleKey(emu, account, 'Developer');
    await env(async () => {
      await callerIdentity(old, 1);
      emu.expire('roleCredentials');
      const { reviews } = await review([handoutOf(old, 'terminal')], async (h) => roleKey(emu, h.accountId, h.roleName));
      assert.deepEqual(
        events(reviews[0]).map((e) => e.name),
        ['GetCallerIdentity'],
      );
      const signer = emu.calls({ operation: 'LookupEvents' })[0].accessKeyId;
      assert.notEqual(signer, old.accessKeyId, 'signed with the fresh key, not the expired one');
    });
  });

  test('answers are cached without secrets: reopening asks CloudTrail nothing, refresh asks again', async () => {
    emu.reset();
    const creds = roleKey(emu, account, 'Developer');
    await env(async () => {
      await callerIdentity(creds, 3);
      const file = join(dirs(), 'cloudtrail-review.json');
      const run = (refresh: boolean) =>
        reviewHandouts([handoutOf(creds, 'terminal')], {
          credentials: async () => creds,
          regions: () => [REGION],
          cache: new CloudTrailCache(file),
          pacers: new LookupPacers(),
          refresh,
        });
      const first = await run(false);
      assert.equal(first[0].regions[0].cached, false);
      assert.equal(emu.calls({ operation: 'LookupEvents' }).length, 1);
      const again = await run(false);
      assert.equal(again[0].regions[0].cached, true);
      assert.deepEqual(events(again[0]), events(first[0]));
      assert.equal(emu.calls({ operation: 'LookupEvents' }).length, 1, 'reopening is served from the cache');
      await callerIdentity(creds, 1);
      const refreshed = await run(true);
      assert.equal(events(refreshed[0]).length, 4);
      assert.equal(emu.calls({ operation: 'LookupEvents' }).length, 2);
      // Ten minutes on, a key still in use is asked again; one that expired long before its answer is final.
      const later = { now: () => Date.now() + CACHE_FRESH_MS + 60_000, setTimeout: systemClock.setTimeout };
      const stale = await reviewHandouts([handoutOf(creds, 'terminal')], {
        credentials: async () => creds,
        regions: () => [REGION],
        cache: new CloudTrailCache(file),
        pacers: new LookupPacers(),
        refresh: false,
        clock: later,
      });
      assert.equal(stale[0].regions[0].cached, false);
      const expired = { ...handoutOf(creds, 'terminal', Date.now() - 3 * 3600_000), accessKeyId: 'ASIAEXPIREDLONGAGO00', expiresAt: Date.now() - 2 * 3600_000 };
      const ask = (clock?: typeof later) =>
        reviewHandouts([expired], {
          credentials: async () => creds,
          regions: () => [REGION],
          cache: new CloudTrailCache(file),
          pacers: new LookupPacers(),
          refresh: false,
          clock,
        });
      assert.equal((await ask())[0].regions[0].cached, false);
      assert.equal((await ask(later))[0].regions[0].cached, true);
      const text = readFileSync(file, 'utf8');
      assert.ok(text.includes(creds.accessKeyId));
      assertNoSecrets(text, [creds], emu.issuedSecrets());
    });
  });
});

const sdkCredentials = (c: RoleCredentialsSecret) => ({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken });

function events(r: KeyReview) {
  const result = r.regions[0].result;
  assert.equal(result.kind, 'events', JSON.stringify(result));
  return result.kind === 'events' ? result.events : [];
}
