// Issue: terminals that never hold expired credentials. Real integrated terminals run the
// pip-installed AWS CLI v1 against the emulator's STS through our loopback endpoint.
import * as assert from 'assert';
import * as http from 'http';
import * as vscode from 'vscode';
import { harness } from '../harness/bridgeClient';
import { emulator, ensureSignedIn, runInTerminal, TestApi, waitFor } from './support';
import { awsCliCommand } from '../support/cliFixtures';

/** A plain GET like an SDK's (Node's fetch adds browser Sec-Fetch headers, which the endpoint refuses). */
function statusOf(url: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { authorization: token } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

async function setMode(mode: 'endpoint' | 'env' | 'off'): Promise<void> {
  await vscode.workspace.getConfiguration('awsIdc').update('terminal.mode', mode, vscode.ConfigurationTarget.Global);
  await new Promise((r) => setTimeout(r, 300));
}

suite('Terminals', function () {
  this.timeout(180_000);
  let a: TestApi;
  let aws: string;
  const arnOf = (r: { accountId: string; roleName: string }) => new RegExp(`arn:aws:sts::${r.accountId}:assumed-role/${r.roleName}/`);

  suiteSetup(async function () {
    if (!harness.available) this.skip();
    aws = awsCliCommand();
    await emulator().configure({ roleCredentialTtlSec: 3600, throttle: null });
    a = await ensureSignedIn();
    await setMode('endpoint');
    if (!a.active.current) {
      const role = a.catalog.allRoles()[0];
      await a.active.set({ ...role, accountName: a.catalog.account(role.accountId)!.accountName });
    }
    await a.terminals.update();
  });

  suiteTeardown(() => setMode('endpoint'));

  test('endpoint mode: a new terminal gets the endpoint, token and region; static keys are blanked, AWS_PROFILE selects the terminal profile', async () => {
    const out = await runInTerminal(
      'echo "URI=$AWS_CONTAINER_CREDENTIALS_FULL_URI"; echo "TOKLEN=${#AWS_CONTAINER_AUTHORIZATION_TOKEN}"; echo "REGION=$AWS_REGION/$AWS_DEFAULT_REGION"; echo "PROFILE=[$AWS_PROFILE] KEY=[$AWS_ACCESS_KEY_ID]"',
    );
    assert.match(out, /URI=http:\/\/127\.0\.0\.1:\d+\/\S+/);
    assert.match(out, /TOKLEN=4[0-9]/, 'a 256-bit token');
    assert.match(out, /REGION=us-east-1\/us-east-1/);
    // Issue 23: [profile awsidc-terminal] (its credential_process reads this endpoint) wins over a [default].
    assert.match(out, /PROFILE=\[awsidc-terminal\] KEY=\[\]/);
  });

  test('the AWS CLI v1 in a terminal prints the active role, and after Switch Role the SAME terminal prints the new one', async () => {
    const terminal = vscode.window.createTerminal({ name: 'awsidc cli' });
    const first = a.active.current!;
    const out1 = await runInTerminal(`${aws} sts get-caller-identity --output text --query Arn`, { terminal });
    assert.match(out1, arnOf(first));
    const nameOf = (id: string) => a.catalog.account(id)!.accountName;
    const other = a.catalog.allRoles().find((r) => r.accountId !== first.accountId && /^[A-Za-z ]+\d+$/.test(nameOf(r.accountId)))!;
    const picked = vscode.commands.executeCommand('awsIdc.switchRole');
    await harness.keys({
      waitFor: '.quick-input-widget .quick-input-list .monaco-list-row',
      text: `${nameOf(other.accountId)} ${other.roleName}`,
      keys: [{ wait: 300 }, 'Enter'],
    });
    await picked;
    assert.strictEqual(a.active.current?.accountId, other.accountId);
    const out2 = await runInTerminal(`${aws} sts get-caller-identity --output text --query Arn`, { terminal });
    assert.match(out2, arnOf(other));
    await harness.screenshot('terminal-cli');
    terminal.dispose();
  });

  test('Open Terminal as Role: bound to its role through role switches; closing it revokes its token', async () => {
    const roles = a.catalog.allRoles();
    const bound = roles.find((r) => r.accountId !== a.active.current!.accountId)!;
    const terminal = (await vscode.commands.executeCommand<vscode.Terminal>('awsIdc.openTerminal', {
      kind: 'role',
      role: bound,
      account: a.catalog.account(bound.accountId)!,
    }))!;
    assert.match(terminal.name, new RegExp(`${bound.roleName}`));
    const env = await runInTerminal('echo "$AWS_CONTAINER_CREDENTIALS_FULL_URI $AWS_CONTAINER_AUTHORIZATION_TOKEN"', { terminal });
    const [uri, token] = env.trim().split(' ');
    assert.match(await runInTerminal(`${aws} sts get-caller-identity --output text --query Arn`, { terminal }), arnOf(bound));
    // Switching the active role does not move the bound terminal.
    const another = roles.find((r) => r.accountId !== bound.accountId && r.accountId !== a.active.current!.accountId)!;
    await a.active.set({ ...another, accountName: 'x' });
    assert.match(await runInTerminal(`${aws} sts get-caller-identity --output text --query Arn`, { terminal }), arnOf(bound));
    assert.strictEqual(await statusOf(uri, token), 200);
    terminal.dispose();
    await waitFor('token revoked', async () => (await statusOf(uri, token)) !== 200);
  });

  test('env mode: the plain variables; off mode: nothing', async () => {
    await setMode('env');
    const creds = await a.broker.get(a.active.current!);
    const out = await runInTerminal('echo "KEY=$AWS_ACCESS_KEY_ID EXP=$AWS_CREDENTIAL_EXPIRATION URI=[$AWS_CONTAINER_CREDENTIALS_FULL_URI]"');
    assert.ok(out.includes(`KEY=${creds.accessKeyId}`));
    assert.match(out, /EXP=\d{4}-\d\d-\d\dT/);
    assert.match(out, /URI=\[\]/);
    await setMode('off');
    const off = await runInTerminal('echo "KEY=[$AWS_ACCESS_KEY_ID] URI=[$AWS_CONTAINER_CREDENTIALS_FULL_URI]"');
    assert.match(off, /KEY=\[\] URI=\[\]/);
    await setMode('endpoint');
  });

  test('sign-out clears terminal variables', async () => {
    await vscode.commands.executeCommand('awsIdc.signOut');
    const out = await runInTerminal('echo "URI=[$AWS_CONTAINER_CREDENTIALS_FULL_URI] KEY=[$AWS_ACCESS_KEY_ID] PROFILE=[$AWS_PROFILE]"');
    assert.match(out, /URI=\[\] KEY=\[\]/);
    assert.match(out, /PROFILE=\[\]/, 'new terminals no longer select the terminal profile');
    await ensureSignedIn();
  });
});
