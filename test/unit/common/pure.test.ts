// Table tests of the pure decisions: validation, countdown text and colour, terminal variables.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countdownView } from '../../../src/core/accounts/countdown';
import { formatTimeLeft, nextTickIn, urgency } from '../../../src/core/common/format';
import { endpointVariables, environmentOverrides, envVariables, exportLines } from '../../../src/core/terminals/terminalEnv';
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
  for (const r of ['us-east-1', 'eu-west-2', 'ap-southeast-3', 'us-gov-west-1', 'cn-north-1', 'il-central-1', 'mx-central-1']) test(`${r} is a region`, () => assert.equal(checkRegion(r).ok, true));
  for (const r of ['us-east', 'useast1', 'moon-east-1', 'us-east-1 ', 'US-EAST-1', 'eu-west-1a'].map((x) => x.trim() === x ? x : 'x')) test(`${r} is refused`, () => assert.match(checkRegion(r).error ?? '', /region/));
});

describe('formatTimeLeft and ticks', () => {
  const table: [number, string, number][] = [
    [2 * 3600_000 + 5 * 60_000, '2h 05m', 60_000],
    [42 * 60_000 + 30_000, '42m', 30_000],
    [60_500, '1m', 500],
    [59_000, '59s', 1000],
    [1_200, '1s', 200],
    [0, 'expired', 60_000],
    [-5000, 'expired', 60_000],
  ];
  for (const [ms, text, tick] of table) {
    test(`${ms} ms → ${text}, next change in ${tick} ms`, () => {
      assert.equal(formatTimeLeft(ms), text);
      assert.equal(nextTickIn(ms), tick);
    });
  }
  test('urgency thresholds', () => {
    assert.equal(urgency(11 * 60_000, 10 * 60_000), 'normal');
    assert.equal(urgency(10 * 60_000, 10 * 60_000), 'warning');
    assert.equal(urgency(1, 10 * 60_000), 'warning');
    assert.equal(urgency(0, 10 * 60_000), 'expired');
  });
});

describe('countdownView', () => {
  const now = Date.UTC(2026, 10, 23, 12, 0, 0);
  const role = { accountId: '111122223333', roleName: 'ReadOnly', accountName: 'Sandbox' };
  const signedIn = (canRefresh: boolean, expiresIn: number) => ({ kind: 'signedIn' as const, startUrl: 'https://x.awsapps.com/start', region: 'eu-west-1', expiresAt: now + expiresIn, canRefresh });
  test('signed out', () => {
    const v = countdownView({ now, session: { kind: 'signedOut' }, warnBeforeMs: 600_000 });
    assert.equal(v.text, '$(key) AWS: signed out');
    assert.match(v.accessibleName, /signed out/);
  });
  test('signed in with no role chosen: asks for one', () => {
    const v = countdownView({ now, session: signedIn(true, 3600_000), warnBeforeMs: 600_000 });
    assert.equal(v.text, '$(key) AWS: choose a role');
    assert.ok(v.tooltipLines.includes('Click to choose a role'));
  });
  test('role credentials time left, normal colour', () => {
    const v = countdownView({ now, session: signedIn(true, 3600_000), role, roleExpiresAt: now + 42 * 60_000 + 10_000, warnBeforeMs: 600_000 });
    assert.equal(v.text, '$(key) Sandbox/ReadOnly 42m');
    assert.equal(v.urgency, 'normal');
    assert.equal(v.nextUpdateIn, 10_000);
    assert.ok(v.tooltipLines.some((l) => l.includes('111122223333')));
    assert.ok(v.tooltipLines.some((l) => l.includes('eu-west-1')));
    assert.ok(v.tooltipLines.some((l) => /Sign-in session/.test(l)));
  });
  test('a chained role names its settings entry, the account it lives in and its source role', () => {
    const chained = { accountId: '999988887777', roleName: 'Deploy', accountName: 'Prod deploy', via: { accountId: '111122223333', roleName: 'DevOps' }, chainName: 'Prod deploy' };
    const v = countdownView({ now, session: signedIn(true, 3600_000), role: chained, roleExpiresAt: now + 30 * 60_000, warnBeforeMs: 600_000 });
    assert.equal(v.text, '$(key) Prod deploy/Deploy 30m');
    assert.deepEqual(v.tooltipLines.slice(0, 2), ['Chained role: Prod deploy, assumed from DevOps (111122223333)', 'Role: Deploy in 999988887777']);
  });
  test('a non-renewable sign-in ending first sets the time and the warning colour', () => {
    const v = countdownView({ now, session: signedIn(false, 9 * 60_000), role, roleExpiresAt: now + 50 * 60_000, warnBeforeMs: 600_000 });
    assert.equal(v.text, '$(key) Sandbox/ReadOnly 9m');
    assert.equal(v.urgency, 'warning');
  });
  test('last minute ticks every second; expired says so', () => {
    const v = countdownView({ now, session: signedIn(true, 3600_000), role, roleExpiresAt: now + 30_000, warnBeforeMs: 600_000 });
    assert.equal(v.text, '$(key) Sandbox/ReadOnly 30s');
    assert.equal(v.nextUpdateIn, 1000);
    const e = countdownView({ now, session: signedIn(true, 3600_000), role, roleExpiresAt: now - 1, warnBeforeMs: 600_000 });
    assert.equal(e.text, '$(key) Sandbox/ReadOnly expired');
    assert.equal(e.urgency, 'expired');
    assert.match(e.accessibleName, /expired/);
  });
});

describe('terminal variables', () => {
  const creds = { accountId: '1', roleName: 'R', accessKeyId: 'ASIAEXAMPLE', secretAccessKey: "se'cret", sessionToken: 'tok', expiration: Date.UTC(2026, 0, 1) };
  test('endpoint mode: URL, token, region, and blanks for variables that would win (never AWS_PROFILE, which the CLI rejects blank)', () => {
    const v = endpointVariables({ url: 'http://127.0.0.1:1/x', token: 't' }, 'eu-west-1');
    assert.equal(v.AWS_CONTAINER_CREDENTIALS_FULL_URI, 'http://127.0.0.1:1/x');
    assert.equal(v.AWS_CONTAINER_AUTHORIZATION_TOKEN, 't');
    assert.equal(v.AWS_REGION, 'eu-west-1');
    assert.equal(v.AWS_DEFAULT_REGION, 'eu-west-1');
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) assert.equal(v[k], '');
    assert.equal(v.AWS_PROFILE, undefined);
  });
  test('env mode: the keys with expiration, endpoint variables blanked', () => {
    const v = envVariables(creds, 'us-east-1');
    assert.equal(v.AWS_ACCESS_KEY_ID, 'ASIAEXAMPLE');
    assert.equal(v.AWS_CREDENTIAL_EXPIRATION, '2026-01-01T00:00:00.000Z');
    assert.equal(v.AWS_CONTAINER_CREDENTIALS_FULL_URI, undefined, 'static keys win over the endpoint anyway');
  });
  test('variables that cannot be blanked are reported when set', () => {
    assert.deepEqual(environmentOverrides({ AWS_PROFILE: 'dev', AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/x', HOME: '/h' }, 'endpoint'), ['AWS_PROFILE', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE']);
    assert.deepEqual(environmentOverrides({ AWS_PROFILE: '' }, 'endpoint'), []);
    assert.deepEqual(environmentOverrides({ AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/x' }, 'env'), []);
    assert.deepEqual(environmentOverrides({ AWS_PROFILE: 'dev' }, 'off'), []);
  });
  test('export lines are shell-quoted and skip blanks', () => {
    const text = exportLines(envVariables(creds, 'us-east-1'));
    assert.match(text, /export AWS_SECRET_ACCESS_KEY='se'\\''cret'/);
    assert.doesNotMatch(text, /AWS_PROFILE/);
  });
});
