// 2,000 accounts in the real VS Code: the listing fills the tree without blocking the extension
// host's event loop, and the workbench renders the tree while roles load in the background.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { TreeNode } from '../../src/vscode/accountsTree';
import { harness } from '../harness/bridgeClient';
import { emulator, signedOutWith, TestApi, waitFor } from './support';

suite('Scale: 2,000 accounts', function () {
  this.timeout(120_000);
  let a: TestApi;

  suiteSetup(async function () {
    if (!harness.available) this.skip();
    a = await signedOutWith({ accounts: 2000, throttle: { ratePerSec: 20, burst: 20 }, latencyMs: 20 });
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('awsIdc.signOut');
    await emulator().configure({ accounts: 12, throttle: null, latencyMs: 0 });
  });

  test('every account is listed and shown while the event loop stays responsive', async () => {
    await emulator().configure({ autoApprove: true });
    const t0 = Date.now();
    const step = (m: string) => console.log(`      [scale] ${m} at ${Date.now() - t0} ms`);
    assert.strictEqual(await vscode.commands.executeCommand('awsIdc.signIn'), true);
    step('signed in');
    await emulator().configure({ autoApprove: false });
    // Worst gap between timer ticks in the extension host while listing (a frozen host shows up here).
    let worstLagMs = 0;
    let last = Date.now();
    const sampler = setInterval(() => {
      const now = Date.now();
      worstLagMs = Math.max(worstLagMs, now - last - 10);
      last = now;
    }, 10);
    try {
      await waitFor('ListAccounts complete', () => a.catalog.listingComplete, 60_000);
      step('listed');
      const started = Date.now();
      const nodes = (await a.tree.getChildren()) as Extract<TreeNode, { kind: 'account' }>[];
      const childrenMs = Date.now() - started;
      assert.strictEqual(nodes.length, 2000);
      assert.ok(childrenMs < 200, `tree children computed in ${childrenMs} ms`);
      await vscode.commands.executeCommand('workbench.view.extension.awsIdc');
      await harness.keys({ waitFor: `.monaco-list-row[aria-label*="${nodes[0].account.accountId}"]` });
      step('rendered');
      // Roles keep loading in the background at the service's pace; an expansion jumps the queue.
      const lastAccount = nodes[nodes.length - 1];
      const t = Date.now();
      const roles = await a.tree.getChildren(lastAccount);
      step('expanded');
      assert.ok(Date.now() - t < 5_000, 'an expanded account does not wait for the other 1,999');
      assert.ok(roles.length >= 1);
    } finally {
      clearInterval(sampler);
    }
    // The extension host is not the UI thread; a pause here delays other extensions, a long one
    // would show as a frozen tree. Half a second is the line; the measured value is printed.
    assert.ok(worstLagMs < 500, `worst event-loop lag while listing: ${worstLagMs} ms`);
    console.log(`      (2,000 accounts: worst extension-host event-loop lag while listing ${worstLagMs} ms)`);
    await harness.screenshot('scale-2000');
  });
});
