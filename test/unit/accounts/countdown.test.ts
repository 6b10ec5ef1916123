// Table tests of what the status bar says at a given instant.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countdownView } from '../../../src/core/accounts/countdown';

describe('countdownView', () => {
  const now = Date.UTC(2026, 10, 23, 12, 0, 0);
  const role = { accountId: '111122223333', roleName: 'ReadOnly', accountName: 'Sandbox' };
  const signedIn = (canRefresh: boolean, expiresIn: number) => ({
    kind: 'signedIn' as const,
    startUrl: 'https://x.awsapps.com/start',
    region: 'eu-west-1',
    expiresAt: now + expiresIn,
    canRefresh,
  });
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
    const chained = {
      accountId: '999988887777',
      roleName: 'Deploy',
      accountName: 'Prod deploy',
      via: { accountId: '111122223333', roleName: 'DevOps' },
      chainName: 'Prod deploy',
    };
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
