// Two REAL windows on one code-server (VS Code for the Web keeps a copy of the secrets per window and
// does not broadcast changes): a sign-in made in window 0 (the one running these tests) reaches window 1
// without a second device authorization and without either window erasing the other's sign-in; window 1
// shows the accounts of the shared listing and switches role through Switch Role while it is running.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { generateAccounts } from '../emulator/seed';
import { harness } from '../harness/bridgeClient';
import { api, emulator, runInWindow, signedOutWith, START_URL, statusBarIn, TestApi, waitFor } from './support';

const ACCOUNTS = 600;
const accountsKnown = (a: TestApi) => generateAccounts(ACCOUNTS).filter((x) => a.catalog.roles(x.accountId).kind === 'loaded').length;
const THROTTLE = { ratePerSec: 20, burst: 20 };

suite('Windows: two real windows share one sign-in and one listing', function () {
  this.timeout(300_000);
  let a: TestApi;
  let w2: number | undefined;
  const t0 = Date.now();
  const step = (m: string) => console.log(`      [windows] ${m} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  suiteSetup(async function () {
    if (!harness.available) this.skip();
    a = await signedOutWith({ accounts: ACCOUNTS, throttle: THROTTLE, latencyMs: 20 });
    await emulator().clearCalls();
  });

  teardown(async function () {
    if (this.currentTest?.state !== 'failed') return;
    await harness.screenshot('windows-failed-w0').catch(() => undefined);
    if (w2 === undefined) return;
    await harness.screenshot('windows-failed-w1', w2).catch(() => undefined);
    const lines = await harness.windowLog(w2).catch((e) => [String(e)]);
    console.log(
      lines
        .slice(-60)
        .map((l) => `        window 1: ${l}`)
        .join('\n'),
    );
  });

  suiteTeardown(async () => {
    if (w2 !== undefined && (await harness.windows()).find((w) => w.window === w2)?.open) await harness.closeWindow(w2).catch(() => undefined);
    await harness.setVerification('allow');
    await vscode.commands.executeCommand('awsIdc.signOut');
    await emulator().configure({ accounts: 12, throttle: null, latencyMs: 0 });
    assert.strictEqual((await api()).session.state.kind, 'signedOut');
  });

  test('a sign-in in window 0 reaches window 1 without a second device authorization; a role switch in window 1 works mid-listing', async () => {
    w2 = await harness.openWindow();
    await statusBarIn(w2, /AWS: signed out/, 60_000);
    step('window 1 open, signed out');
    const visitsBefore = (await harness.verification()).visits.length;

    // Window 0 signs in the ordinary way (the bridge clicks Allow on the verification page).
    await harness.setVerification('allow');
    assert.strictEqual(await vscode.commands.executeCommand('awsIdc.signIn'), true);
    step('window 0 signed in');
    // The portal answers slowly until window 1 has switched: on a busy machine window 1 takes up to half a
    // minute to catch up, and its switch must land while roles still arrive (6 at a time: ~10 accounts a second).
    await emulator().configure({ latencyMs: 600 });
    assert.strictEqual((await harness.verification()).visits.length, visitsBefore + 1);
    await harness.keys({ window: w2 }); // the person looks at window 1 again (brings its tab to the front)

    // Window 1's copy of the secrets is stale: it says so and offers the one step left.
    assert.ok(await harness.waitForText('in another window', 20_000, w2), 'window 1 offers the other window’s sign-in');
    // The smoke-test driver the harness needs turns toasts off: the message is in the notification centre.
    await runInWindow(w2, 'Notifications: Show Notifications');
    await harness.keys({ window: w2, waitFor: '.notifications-center', keys: [{ wait: 300 }] });
    await harness.screenshot('windows-w1-offer', w2);
    await harness.keys({ window: w2, keys: ['Escape'] });
    // Sign In there takes the existing sign-in (the window reloads to read it) instead of a new device authorization.
    await harness.setVerification('deny'); // a second device authorization would be refused, and counted
    await runInWindow(w2, 'AWS Identity Center: Sign In');
    const status = await statusBarIn(w2, /AWS: choose a role|\S\/\S/, 60_000);
    step(`window 1 signed in after one Sign In (status bar "${status}")`);
    const visits = (await harness.verification()).visits;
    assert.strictEqual(visits.length, visitsBefore + 1, `no device authorization in window 1: ${JSON.stringify(visits.slice(visitsBefore))}`);
    assert.strictEqual(a.session.state.kind, 'signedIn', 'window 0 is still signed in: nothing overwrote its sign-in');
    assert.strictEqual(a.secrets?.stale, undefined, 'window 1 wrote nothing over window 0’s secrets');
    // One sign-in in all, with whichever flow the suites use (device authorizations and /authorize visits).
    const signIns = async (): Promise<number> =>
      (await emulator().calls({ operation: 'StartDeviceAuthorization' })).length + (await emulator().calls({ operation: 'Authorize' })).length;
    assert.strictEqual(await signIns(), 1);

    // Window 1 shows the accounts of the shared listing while it runs.
    const accounts = generateAccounts(ACCOUNTS);
    const first = [...accounts].sort((x, y) => x.accountName.localeCompare(y.accountName))[0];
    await harness.click('.activitybar [aria-label^="AWS Identity Center"]', false, w2);
    await harness.keys({ window: w2, waitFor: `.monaco-list-row[aria-label*="${first.accountId}"]`, timeoutMs: 30_000 });
    await harness.screenshot('windows-w1-tree', w2);

    // A role switch in window 1 while the listing runs, for an account whose roles are not known yet.
    const known = () => accounts.filter((x) => a.catalog.roles(x.accountId).kind === 'loaded').length;
    const target = [...accounts]
      .filter((x) => x.roles.length && a.catalog.roles(x.accountId).kind !== 'loaded' && !/[^\w ]/.test(x.accountName))
      .sort((x, y) => y.accountName.localeCompare(x.accountName))[0];
    assert.ok(target, 'the listing is still running: some account has no roles yet');
    step(`switching in window 1 to ${target.accountName} (${known()}/${ACCOUNTS} accounts' roles known in window 0)`);
    const started = Date.now();
    await runInWindow(w2, 'AWS Identity Center: Switch Role');
    // The pick's own box (not the palette's, which it replaces): then type as a person would.
    await harness.keys({ window: w2, waitFor: '.quick-input-widget input[placeholder*="account name"]', text: target.accountName });
    const typed = Date.now();
    assert.ok(await harness.waitForText(`${target.accountName} / `, 15_000, w2), `Switch Role offers ${target.accountName} while the listing runs`);
    const offeredMs = Date.now() - typed;
    await harness.screenshot('windows-w1-switch-role', w2);
    // Enter once the highlighted row is one of its roles, as a person would.
    await waitFor('a role of the typed account highlighted', async () =>
      (await harness.texts('.quick-input-list .monaco-list-row.focused', w2)).some((t) => t.includes(target.accountName)),
    );
    await harness.keys({ window: w2, keys: ['Enter'] });
    await statusBarIn(w2, new RegExp(`${target.accountName}/`), 30_000);
    const switchMs = Date.now() - started;
    const creds = await waitFor(
      'credentials for the chosen role',
      async () => {
        const calls = (await emulator().calls({ operation: 'GetRoleCredentials' })).filter((c) => c.accountId === target.accountId);
        return calls.some((c) => c.status === 200) ? calls : undefined;
      },
      30_000,
    );
    step(
      `switched in ${switchMs} ms from opening Switch Role (its roles offered ${offeredMs} ms after the name was typed); ${known()}/${ACCOUNTS} roles known then`,
    );
    assert.ok(
      creds.some((c) => c.status === 200),
      `credentials for ${target.accountId} were issued: ${JSON.stringify(creds)}`,
    );
    assert.ok(known() < ACCOUNTS, 'the switch happened during the listing');
    await emulator().configure({ latencyMs: 20 });
    await harness.screenshot('windows-w1-switched', w2);
    await harness.screenshot('windows-w0-listing');

    // One listing's worth of ListAccountRoles, not one per window.
    await waitFor('the listing to finish', () => a.catalog.listingComplete, 120_000);
    await a.catalog.whenIdle();
    await new Promise((r) => setTimeout(r, 3_000)); // a follower would be done by now too
    const roleCalls = await emulator().calls({ operation: 'ListAccountRoles' });
    const listCalls = await emulator().calls({ operation: 'ListAccounts' });
    const throttled = roleCalls.filter((c) => c.status === 429 || c.errorType === 'TooManyRequestsException').length;
    step(`listing done: ${roleCalls.length} ListAccountRoles (${throttled} throttled), ${listCalls.length} ListAccounts for ${ACCOUNTS} accounts`);
    await harness.screenshot('windows-w0-done');
    await harness.screenshot('windows-w1-done', w2);
    const w1log = await harness.windowLog(w2);
    console.log(`        window 1 log files: ${(await harness.windowLogFiles(w2)).map((f) => f.split('/logs/')[1]).join(', ')}`);
    console.log(
      w1log
        .filter((l) => /\[(session|signIn|secrets|catalog|listing)\]/.test(l))
        .slice(-15)
        .map((l) => `        window 1: ${l}`)
        .join('\n'),
    );
    assert.ok(!w1log.some((l) => l.includes(START_URL) && /device|verification/i.test(l)), 'window 1 never started a device authorization');
    assert.ok(
      w1log.some((l) => /\[accounts\] (following the listing of another window|another window is listing)/.test(l)),
      'window 1 followed window 0',
    );
    assert.ok(roleCalls.length <= Math.ceil(ACCOUNTS * 1.05), `one listing for both windows: ${roleCalls.length} ListAccountRoles for ${ACCOUNTS} accounts`);
    assert.strictEqual(throttled, 0);
  });

  test('closing the window that lists hands the listing to the other', async function () {
    // A page closed normally ends its extension host at once (on 4.139 the harness also shortens the
    // reconnection grace time, for a window that vanishes without closing).
    if (w2 === undefined) this.skip();
    const listers = async (w: number) => (await harness.windowLog(w)).filter((l) => l.includes('[accounts] this window lists for the machine')).length;
    const before = (await emulator().calls({ operation: 'ListAccountRoles' })).length;
    const w0Listed = await listers(0);
    // Refresh Accounts in window 1: it lists everything for the machine now.
    await runInWindow(w2, 'AWS Identity Center: Refresh Accounts');
    await waitFor('window 1 to list', async () => (await listers(w2!)) > 0, 20_000);
    await waitFor('window 1 to get going', async () => (await emulator().calls({ operation: 'ListAccountRoles' })).length >= before + 60, 30_000);
    await harness.closeWindow(w2);
    const closed = Date.now();
    step('window 1 closed mid-listing');
    await waitFor('window 0 to take the listing over', async () => (await listers(0)) > w0Listed, 60_000);
    step(`window 0 took over after ${((Date.now() - closed) / 1000).toFixed(1)} s`);
    await waitFor(
      'the listing to finish',
      async () => {
        await a.catalog.whenIdle();
        return a.catalog.listingComplete && accountsKnown(a) === ACCOUNTS;
      },
      120_000,
    );
    const pass = (await emulator().calls({ operation: 'ListAccountRoles' })).length - before;
    step(`second pass: ${pass} ListAccountRoles for ${ACCOUNTS} accounts across the hand-off`);
    await harness.screenshot('windows-w0-after-handoff');
    assert.ok(pass <= Math.ceil(ACCOUNTS * 1.05), `the hand-off continued the pass instead of starting over: ${pass}`);
  });
});
