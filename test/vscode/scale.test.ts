// 2,000 accounts in the real VS Code: the listing fills the tree without blocking the extension
// host's event loop, and the workbench renders the tree while roles load in the background. Over
// 1,000 accounts the tree shows them in ranges of at most 500 (accountRanges.ts): every account is
// still reachable, in order, and an opened range shows its accounts' rows.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { TreeNode } from '../../src/vscode/accounts/accountsTree';
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
      // The tree takes the last pages at its next paced redraw (redrawPacer.ts): on a busy machine a
      // moment after the listing completes.
      const { root, childrenMs } = await waitFor(
        'the tree to hold every account',
        async () => {
          const started = Date.now();
          const children = await a.tree.getChildren();
          const ms = Date.now() - started;
          const count = children.reduce((sum, n) => sum + (n.kind === 'range' ? n.accounts.length : 1), 0);
          return count >= 2000 ? { root: children, childrenMs: ms } : undefined;
        },
        15_000,
      );
      // Pinned accounts and the active role's (an earlier suite may have left one) stay above the ranges.
      const top = root.filter((n): n is Extract<TreeNode, { kind: 'account' }> => n.kind === 'account');
      const ranges = root.filter((n): n is Extract<TreeNode, { kind: 'range' }> => n.kind === 'range');
      assert.ok(
        ranges.length > 0 && top.length + ranges.length === root.length && ranges.every((r) => r.accounts.length <= 500),
        'the root holds ranges of at most 500 accounts (below any pinned or active account)',
      );
      const inRanges = (await Promise.all(ranges.map((r) => a.tree.getChildren(r)))).flat() as Extract<TreeNode, { kind: 'account' }>[];
      const nodes = [...top, ...inRanges];
      assert.strictEqual(nodes.length, 2000);
      const topIds = new Set(top.map((n) => n.account.accountId));
      assert.deepStrictEqual(
        nodes.map((n) => n.account.accountId),
        [
          ...topIds,
          ...a.tree
            .orderedAccounts()
            .map((acc) => acc.accountId)
            .filter((id) => !topIds.has(id)),
        ],
        'every account once, in the tree order',
      );
      assert.ok(childrenMs < 200, `tree children computed in ${childrenMs} ms`);
      await vscode.commands.executeCommand('workbench.view.extension.awsIdc');
      // The first range's row, opened: its first account's row is drawn.
      const firstRange = a.tree.getTreeItem(ranges[0]);
      await harness.click(`.monaco-list-row[aria-label="${firstRange.accessibilityInformation!.label}"]`);
      await harness.keys({ waitFor: `.monaco-list-row[aria-label*="${inRanges[0].account.accountId}"]` });
      step('rendered');
      // Roles keep loading in the background at the service's pace; an expansion jumps the queue.
      const lastAccount = inRanges[inRanges.length - 1];
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
