// Issue: sidebar sign-in and the Accounts tree, in a real VS Code against the local emulator.
// The verification page that openExternal opens is clicked by Playwright through the harness.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { TreeNode } from '../../src/vscode/accounts/accountsTree';
import { harness } from '../harness/bridgeClient';
import { emulator, signedOutWith, TestApi, waitFor } from './support';

const SEEDED = 130; // two ListAccounts pages of at most 100

suite('Sign-in and the Accounts tree', function () {
  this.timeout(120_000);
  let a: TestApi;
  let flowBefore: unknown;

  suiteSetup(async function () {
    if (!harness.available) this.skip();
    a = await signedOutWith({ accounts: SEEDED, autoApprove: false, deviceCodeTtlSec: 600, throttle: null, interval: 1 });
    // This suite is about the device code (its page, its code, its expiry); signInAuthCode.test.ts covers the authorization code.
    flowBefore = vscode.workspace.getConfiguration('awsIdc').inspect('signIn.flow')?.globalValue;
    await vscode.workspace.getConfiguration('awsIdc').update('signIn.flow', 'deviceCode', vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.view.extension.awsIdc');
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('awsIdc').update('signIn.flow', flowBefore, vscode.ConfigurationTarget.Global);
  });

  test('signed out, the view is empty so its welcome (Sign In) shows', async () => {
    assert.strictEqual(a.session.state.kind, 'signedOut');
    assert.deepStrictEqual(await a.tree.getChildren(), []);
    await harness.screenshot('signed-out');
  });

  test('a denied sign-in ends signed out, and the page said so', async () => {
    await harness.setVerification('deny');
    const ok = await vscode.commands.executeCommand('awsIdc.signIn');
    assert.strictEqual(ok, false);
    assert.strictEqual(a.session.state.kind, 'signedOut');
    const visits = (await harness.verification()).visits;
    assert.match(visits.at(-1)?.result ?? '', /denied/i);
    assert.match(visits.at(-1)?.url ?? '', /user_code=[A-Z]{4}-[A-Z]{4}/, 'the page opened with the code filled in');
  });

  test('an expired code ends signed out', async () => {
    await emulator().configure({ deviceCodeTtlSec: 2 });
    await harness.setVerification('ignore');
    const ok = await vscode.commands.executeCommand('awsIdc.signIn');
    assert.strictEqual(ok, false);
    assert.strictEqual(a.session.state.kind, 'signedOut');
    await emulator().configure({ deviceCodeTtlSec: 600 });
  });

  test('sign-in through the verification page (Allow clicked in the browser)', async () => {
    await harness.setVerification('allow');
    const ok = await vscode.commands.executeCommand('awsIdc.signIn');
    assert.strictEqual(ok, true);
    assert.strictEqual(a.session.state.kind, 'signedIn');
    assert.match((await harness.verification()).visits.at(-1)?.result ?? '', /approved/i);
  });

  test('the tree lists every seeded account across pages, sorted by name, non-ASCII included', async () => {
    const seed = await emulator().accounts();
    await a.catalog.whenIdle();
    const nodes = (await a.tree.getChildren()) as Extract<TreeNode, { kind: 'account' }>[];
    assert.strictEqual(nodes.length, seed.length);
    const names = nodes.map((n) => n.account.accountName);
    assert.deepStrictEqual(names, [...names].sort(new Intl.Collator(undefined, { sensitivity: 'base', numeric: true }).compare));
    assert.ok(names.includes('Zürich Données 東京'));
    assert.ok((await emulator().calls({ operation: 'ListAccounts' })).filter((c) => c.status === 200).length >= 2, 'more than one page');
    const item = a.tree.resolveTreeItem(a.tree.getTreeItem(nodes[0]), nodes[0]);
    assert.strictEqual(item.description, nodes[0].account.accountId);
    assert.match(String((item.tooltip as vscode.MarkdownString).value), /E-mail/);
    await harness.screenshot('signed-in-tree');
  });

  test('roles appear under each account; an account without roles says so', async () => {
    const seed = await emulator().accounts();
    const nodes = (await a.tree.getChildren()) as Extract<TreeNode, { kind: 'account' }>[];
    for (const account of seed.slice(0, 10)) {
      const node = nodes.find((n) => n.account.accountId === account.accountId)!;
      const children = await a.tree.getChildren(node);
      if (account.roles.length === 0) {
        assert.strictEqual(children.length, 1);
        assert.match(a.tree.getTreeItem(children[0]).label as string, /No roles/);
      } else {
        assert.deepStrictEqual(
          children.map((c) => (c.kind === 'role' ? c.role.roleName : '?')),
          [...account.roles].sort(),
        );
      }
    }
  });

  test('a throttled listing still completes without an error', async () => {
    await emulator().configure({ throttle: { ratePerSec: 8, burst: 2 } });
    await emulator().clearCalls();
    await vscode.commands.executeCommand('awsIdc.refresh');
    await a.catalog.whenIdle();
    const calls = await emulator().calls();
    assert.ok(
      calls.some((c) => c.status === 429),
      'the emulator throttled',
    );
    assert.strictEqual(a.catalog.accounts.length, SEEDED);
    assert.ok(a.catalog.accounts.every((acc) => a.catalog.roles(acc.accountId).kind === 'loaded'));
    assert.strictEqual(a.catalog.stats.userVisibleErrors, 0);
    await emulator().configure({ throttle: null });
  });

  test('pinned accounts sort first', async () => {
    const nodes = (await a.tree.getChildren()) as Extract<TreeNode, { kind: 'account' }>[];
    const last = nodes.at(-1)!;
    await vscode.commands.executeCommand('awsIdc.pinAccount', last);
    const again = (await a.tree.getChildren()) as Extract<TreeNode, { kind: 'account' }>[];
    assert.strictEqual(again[0].account.accountId, last.account.accountId);
    await vscode.commands.executeCommand('awsIdc.unpinAccount', again[0]);
  });

  test('sign-out calls Logout and empties the tree', async () => {
    await emulator().clearCalls();
    await vscode.commands.executeCommand('awsIdc.signOut');
    assert.strictEqual(a.session.state.kind, 'signedOut');
    assert.deepStrictEqual(await a.tree.getChildren(), []);
    await waitFor('Logout call', async () => (await emulator().calls({ operation: 'Logout' })).length === 1);
  });
});
