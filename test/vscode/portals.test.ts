// Issue 18: several Identity Center sign-ins at once, in the real VS Code. One portal comes from the
// settings, the other from an [sso-session] of ~/.aws/config; the emulator serves each its own
// accounts. Both sign in, both show in the tree, a role of the second runs the AWS CLI v1 in a
// terminal, and signing out of one keeps the other (a terminal bound to the ended one is refused).
import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import * as vscode from 'vscode';
import { portalId } from '../../src/core/common/model';
import { awsConfigPath } from '../../src/core/awsFiles/awsConfigRead';
import type { Portals } from '../../src/core/signIn/portals';
import type { TreeNode } from '../../src/vscode/accounts/accountsTree';
import { harness } from '../harness/bridgeClient';
import { emulator, ensureSignedIn, runInTerminal, signedOutWith, START_URL, TestApi, waitFor } from './support';
import { awsCliCommand } from '../support/cliFixtures';

const SECOND_URL = 'https://second-org.awsapps.com/start';
const SECOND_NAME = 'second-org';

/** A plain GET like an SDK's: status and body. */
function get(url: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { authorization: token } }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** What activate() returns in test mode, with the parts only this suite uses. */

suite('Several portals', function () {
  this.timeout(240_000);
  let a: TestApi;
  let portals: Portals;
  let aws: string;
  const configFile = awsConfigPath();
  let configBefore: string | undefined;

  suiteSetup(async function () {
    if (!harness.available) this.skip();
    aws = awsCliCommand();
    a = await signedOutWith({ portals: { [SECOND_URL]: 3 }, roleCredentialTtlSec: 3600, throttle: null });
    portals = a.portals;
    configBefore = fs.existsSync(configFile) ? fs.readFileSync(configFile, 'utf8') : undefined;
    fs.mkdirSync(path.dirname(configFile), { recursive: true });
    fs.writeFileSync(
      configFile,
      `${configBefore ?? ''}\n[sso-session ${SECOND_NAME}]\nsso_start_url = ${SECOND_URL}\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n`,
    );
  });

  suiteTeardown(async () => {
    if (!portals) return;
    await harness.setVerification('allow');
    if (portals.isSignedIn(SECOND_URL)) await portals.signOut(portalId(SECOND_URL));
    if (configBefore === undefined) fs.rmSync(configFile, { force: true });
    else fs.writeFileSync(configFile, configBefore);
    await emulator().configure({ portals: {}, autoApprove: false });
    // Later suites expect one sign-in and a role of it.
    await ensureSignedIn();
    const role = a.catalog.allRoles()[0];
    if (role && (!a.active.current || a.active.current.portal !== portalId(START_URL)))
      await a.active.set({ ...role, accountName: a.catalog.account(role.accountId)!.accountName });
  });

  test('sign in to the settings portal, then Sign In offers the [sso-session] one; the tree shows a node per portal', async () => {
    await emulator().configure({ autoApprove: true });
    assert.strictEqual(await vscode.commands.executeCommand('awsIdc.signIn'), true, 'the settings portal signs in without asking');
    assert.ok(portals.isSignedIn(START_URL));
    // One portal: accounts at the root, as before.
    await a.catalog.whenIdle();
    const single = await a.tree.getChildren();
    assert.ok(single.length > 0 && single.every((n) => n.kind === 'account' || n.kind === 'message'), 'one portal: accounts at the root');

    const picked = vscode.commands.executeCommand('awsIdc.signIn');
    await harness.keys({ waitFor: '.quick-input-widget .quick-input-list .monaco-list-row', text: SECOND_NAME, keys: [{ wait: 300 }, 'Enter'] });
    assert.strictEqual(await picked, true, 'the picked portal signed in');
    await emulator().configure({ autoApprove: false });
    assert.ok(portals.isSignedIn(SECOND_URL));
    assert.strictEqual(portals.info(portalId(SECOND_URL))?.sessionName, SECOND_NAME);
    assert.strictEqual(portals.info(portalId(SECOND_URL))?.region, 'eu-west-1');

    await a.catalog.whenIdle();
    const roots = (await a.tree.getChildren()).filter((n): n is Extract<TreeNode, { kind: 'portal' }> => n.kind === 'portal');
    assert.deepStrictEqual(
      roots.map((n) => n.label),
      ['emulator.awsapps.com', SECOND_NAME],
    );
    assert.strictEqual(a.tree.getTreeItem(roots[1]).description, 'eu-west-1');
    const underSecond = (await a.tree.getChildren(roots[1])).filter((n) => n.kind === 'account');
    const firstIds = new Set((await a.tree.getChildren(roots[0])).flatMap((n) => (n.kind === 'account' ? [n.account.accountId] : [])));
    assert.strictEqual(underSecond.length, 3, "the second portal's own three accounts");
    assert.ok(
      underSecond.every((n) => n.kind === 'account' && !firstIds.has(n.account.accountId)),
      'no account of the first portal under the second',
    );
    // VS Code's Accounts menu: one session per portal; asking for a start URL gets that portal's.
    const sessions = await a.auth.getSessions(['sso:account:access']);
    assert.deepStrictEqual(
      sessions.map((s) => s.account.id),
      [START_URL, SECOND_URL],
    );
    const [forSecond] = await a.auth.getSessions(['sso:account:access'], { account: { id: SECOND_URL, label: '' } });
    assert.strictEqual(forSecond.account.label, 'second-org.awsapps.com (eu-west-1)');
    assert.strictEqual(forSecond.accessToken, await portals.session(portalId(SECOND_URL))!.accessToken());
    await vscode.commands.executeCommand('workbench.view.extension.awsIdc');
    await new Promise((r) => setTimeout(r, 800));
    await harness.screenshot('portals-tree');
  });

  test("Switch Role lists both portals' roles, naming the portal; the AWS CLI in a terminal runs as the second portal's role", async () => {
    const secondId = portalId(SECOND_URL);
    const role = a.catalog.allRoles().find((r) => r.portal === secondId)!;
    assert.ok(role, 'a role of the second portal is listed');
    assert.ok(
      a.catalog.allRoles().some((r) => r.portal === portalId(START_URL)),
      'and roles of the first',
    );
    const accountName = a.catalog.account(role.accountId)!.accountName;
    const picked = vscode.commands.executeCommand('awsIdc.switchRole');
    await harness.keys({ waitFor: '.quick-input-widget .quick-input-list .monaco-list-row', text: `${accountName} ${role.roleName}`, keys: [{ wait: 300 }] });
    await harness.screenshot('portals-switch-role');
    await harness.keys({ keys: ['Enter'] });
    await picked;
    assert.strictEqual(a.active.current?.accountId, role.accountId);
    assert.strictEqual(a.active.current?.portal, secondId, 'the active role remembers its portal');
    const arn = await runInTerminal(`${aws} sts get-caller-identity --output text --query Arn`);
    assert.match(arn, new RegExp(`arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/`));
    await waitFor('status bar names the role', () => a.statusBar.last?.text.includes(accountName));
  });

  test('signing out of one portal keeps the other; a terminal bound to a role of the ended one is refused, naming its portal', async () => {
    const secondId = portalId(SECOND_URL);
    const role = a.catalog.allRoles().find((r) => r.portal === secondId)!;
    const terminal = (await vscode.commands.executeCommand<vscode.Terminal>('awsIdc.openTerminal', {
      kind: 'role',
      role,
      account: a.catalog.account(role.accountId)!,
    }))!;
    const [uri, token] = (await runInTerminal('echo "$AWS_CONTAINER_CREDENTIALS_FULL_URI $AWS_CONTAINER_AUTHORIZATION_TOKEN"', { terminal })).trim().split(' ');
    assert.strictEqual((await get(uri, token)).status, 200);

    // With two sign-ins, Sign Out asks which portal (or all); backing out signs out of none.
    const asked = vscode.commands.executeCommand('awsIdc.signOut');
    await harness.keys({ waitFor: '.quick-input-widget .quick-input-list .monaco-list-row', keys: [{ wait: 300 }, 'Escape'] });
    await asked;
    assert.ok(portals.isSignedIn(START_URL) && portals.isSignedIn(SECOND_URL), 'backing out of the pick signs out of nothing');

    await vscode.commands.executeCommand('awsIdc.signOutPortal', { kind: 'portal', portal: secondId, label: SECOND_NAME });
    assert.ok(!portals.isSignedIn(SECOND_URL), 'the second portal is signed out');
    assert.ok(portals.isSignedIn(START_URL), 'the first stays signed in');
    const refused = await get(uri, token);
    assert.strictEqual(refused.status, 503);
    assert.match(JSON.parse(refused.body).Message, /second-org\.awsapps\.com.*Sign In/);
    terminal.dispose();

    // One portal again: its accounts at the root; its roles still work in terminals.
    const roots = await a.tree.getChildren();
    assert.ok(
      roots.every((n) => n.kind !== 'portal'),
      'no portal nodes with one sign-in',
    );
    assert.ok(a.catalog.allRoles().every((r) => r.portal === portalId(START_URL)));
    const first = a.catalog.allRoles()[0];
    await a.active.set({ ...first, accountName: a.catalog.account(first.accountId)!.accountName });
    const arn = await runInTerminal(`${aws} sts get-caller-identity --output text --query Arn`);
    assert.match(arn, new RegExp(`arn:aws:sts::${first.accountId}:assumed-role/${first.roleName}/`));
  });
});
