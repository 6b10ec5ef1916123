// Issue: status-bar countdown and role switching, in a real VS Code against the local emulator.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { harness } from '../harness/bridgeClient';
import { emulator, ensureSignedIn, TestApi, waitFor } from './support';

suite('Status bar and Switch Role', function () {
  this.timeout(120_000);
  let a: TestApi;

  suiteSetup(async function () {
    if (!harness.available) this.skip();
    await emulator().configure({ accounts: 12, roleCredentialTtlSec: 3600, throttle: null });
    a = await ensureSignedIn();
    await vscode.commands.executeCommand('awsIdc.refresh');
    await a.catalog.whenIdle();
  });

  test('Switch Role through the quick pick (typed and chosen in the real workbench) makes the role active at once', async () => {
    const seed = await emulator().accounts();
    const target = seed.find((s) => s.roles.includes('ReadOnly') && /^[A-Za-z ]+\d+$/.test(s.accountName))!;
    assert.ok(target, 'a seeded account with a ReadOnly role');
    const picked = vscode.commands.executeCommand<{ accountId: string; roleName: string }>('awsIdc.switchRole');
    await harness.keys({
      waitFor: '.quick-input-widget .quick-input-list .monaco-list-row',
      text: `${target.accountName} ReadOnly`,
      keys: [{ wait: 300 }, 'Enter'],
    });
    const choice = await picked;
    assert.strictEqual(choice?.accountId, target.accountId);
    assert.strictEqual(choice?.roleName, 'ReadOnly');
    assert.strictEqual(a.active.current?.accountId, target.accountId);
    // The credentials are fetched for the new role and the countdown shows their time left.
    const text = await waitFor('countdown text', () => (/\d+m$/.test(a.statusBar.last?.text ?? '') ? a.statusBar.last!.text : ''));
    // Expirations are whole seconds, so fresh one-hour credentials may read 1h 00m or 59m.
    assert.match(text, new RegExp(`^\\$\\(key\\) ${target.accountName}/ReadOnly (59m|1h 00m)$`));
    // The real status bar in the workbench shows it too.
    await harness.keys({ waitFor: `.statusbar-item:has-text("${target.accountName}/ReadOnly")` });
    await harness.screenshot('status-bar-role');
  });

  test('the quick pick matches an account id, and recent roles come first', async () => {
    const seed = await emulator().accounts();
    const other = seed.find((s) => s.roles.length > 0 && s.accountId !== a.active.current?.accountId)!;
    const previous = a.active.current!;
    const picked = vscode.commands.executeCommand<{ accountId: string }>('awsIdc.switchRole');
    await harness.keys({ waitFor: '.quick-input-widget .quick-input-list .monaco-list-row', text: other.accountId, keys: [{ wait: 300 }, 'Enter'] });
    assert.strictEqual((await picked)?.accountId, other.accountId);
    assert.deepStrictEqual(
      a.active.recent.slice(0, 2).map((r) => r.accountId),
      [other.accountId, previous.accountId],
    );
  });

  test('tooltip: account id, role, region, both expiries; accessible name', async () => {
    const view = a.statusBar.last!;
    const role = a.active.current!;
    const tooltip = view.tooltipLines.join('\n');
    assert.ok(tooltip.includes(role.accountId));
    assert.ok(tooltip.includes(`Role: ${role.roleName}`));
    assert.ok(tooltip.includes('Region: us-east-1'));
    assert.match(tooltip, /Role credentials expire .* \(in \d+ minutes\)/);
    assert.match(tooltip, /Sign-in session: /);
    assert.match(view.accessibleName, new RegExp(`AWS role .*/${role.roleName}, \\d+m left`));
  });

  test('short-lived credentials: warning colour inside warnBeforeExpiry, normal again when fresh', async () => {
    await emulator().configure({ roleCredentialTtlSec: 8 * 60 });
    a.broker.clear();
    const role = a.active.current!;
    await a.broker.get(role);
    a.statusBar.render();
    assert.strictEqual(a.statusBar.last?.urgency, 'warning', '8 minutes left is under the default 10-minute warning');
    assert.match(a.statusBar.last?.text ?? '', / [78]m$/);
    await emulator().configure({ roleCredentialTtlSec: 3600 });
    a.broker.clear();
    await a.broker.get(role);
    a.statusBar.render();
    assert.strictEqual(a.statusBar.last?.urgency, 'normal');
  });

  test('a sign-in that cannot be renewed: warning colour and a Sign In Again offer before it ends', async () => {
    const role = a.active.current!;
    await vscode.commands.executeCommand('awsIdc.signOut');
    // Ends 10 min 12 s from now: 12 s before the default 10-minute warning.
    await emulator().configure({ issueRefreshTokens: false, accessTokenTtlSec: 612 });
    try {
      a = await ensureSignedIn();
      await a.active.set(role);
      assert.strictEqual(a.session.state.kind === 'signedIn' && a.session.state.canRefresh, false);
      const shownBefore = a.notices.shown.length;
      a.statusBar.render();
      assert.strictEqual(a.statusBar.last?.urgency, 'normal');
      assert.match(a.statusBar.last?.text ?? '', / 10m$/);
      await waitFor('session-end offer', () => a.notices.shown.length > shownBefore, 30_000);
      assert.match(a.notices.shown.at(-1)!, /sign-in ends in \d+ (minutes|seconds)\. Sign in again/);
      a.statusBar.render();
      assert.strictEqual(a.statusBar.last?.urgency, 'warning');
    } finally {
      await emulator().configure({ issueRefreshTokens: true, accessTokenTtlSec: 3600 });
      await vscode.commands.executeCommand('awsIdc.signOut');
      a = await ensureSignedIn();
      await a.active.set(role);
    }
  });

  test('when the sign-in ends elsewhere, the user is offered Sign In again (no raw error)', async () => {
    const shownBefore = a.notices.shown.length;
    await emulator().revokeAllTokens();
    await emulator().revokeRefreshTokens();
    await vscode.commands.executeCommand('awsIdc.refresh');
    await waitFor('session end', () => a.session.state.kind === 'signedOut');
    assert.ok(a.notices.shown.length > shownBefore);
    assert.match(a.notices.shown.at(-1)!, /Sign in again/);
    assert.strictEqual(a.statusBar.last?.text, '$(key) AWS: signed out');
  });

  test('after signing in again the active role carries on with no other step', async () => {
    const role = a.active.current!;
    a = await ensureSignedIn();
    assert.strictEqual(a.active.current?.accountId, role.accountId);
    await waitFor('fresh credentials', () => a.broker.peek(role));
    assert.match(a.statusBar.last?.text ?? '', new RegExp(`/${role.roleName} (\\d+h )?\\d+m$`));
  });
});
