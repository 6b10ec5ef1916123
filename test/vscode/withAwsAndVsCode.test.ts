// Runs last (file order): it leaves a role chosen, which the status-bar suite must not see first.
// Issue: fit the AWS and VS Code ecosystems. In the real VS Code: the authentication provider, the
// console sign-in, chained roles in the tree and in a terminal, "Save Role as AWS CLI Profile" with
// the real AWS CLI using the shared sign-in, the activity table, long-term key hygiene, and the
// walkthrough.
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { CliTokenCache } from '../../src/core/awsFiles/cliTokenCache';
import { IdentityCenter } from '../../src/core/aws/identityCenter';
import { harness } from '../harness/bridgeClient';
import { emulator, ensureSignedIn, firstPlainRoleNode, runInTerminal, TestApi, waitFor, type RoleNode } from './support';

const CLI_V1 = '/root/.pyenv/versions/3.11.7/bin/aws';

const config = () => vscode.workspace.getConfiguration('awsIdc');
const arnOf = (r: { accountId: string; roleName: string }) => new RegExp(`arn:aws:sts::${r.accountId}:assumed-role/${r.roleName}/`);

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((resolve) =>
    execFile(file, args, { env, timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, out: `${stdout}${stderr}` })),
  );
}

suite('Ecosystem', function () {
  this.timeout(180_000);
  let a: TestApi;
  let tmp: string;
  let sourceNode: RoleNode;

  suiteSetup(async function () {
    if (!harness.available) this.skip();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'awsidc-eco-'));
    await emulator().configure({ roleCredentialTtlSec: 3600, throttle: null });
    a = await ensureSignedIn();
    sourceNode = await firstPlainRoleNode(a);
  });

  suiteTeardown(async () => {
    await config().update('chainedRoles', undefined, vscode.ConfigurationTarget.Global);
    await config().update('shareWithAwsCli', undefined, vscode.ConfigurationTarget.Global);
    delete process.env.AWS_CONFIG_FILE;
    delete process.env.AWS_SHARED_CREDENTIALS_FILE;
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('Authentication API: the sign-in is a session in the Accounts menu that extensions can ask for', async () => {
    // VS Code shows the sign-in under Accounts without handing anything out.
    const accounts = await vscode.authentication.getAccounts('awsIdc');
    assert.deepStrictEqual(
      accounts.map((x) => x.label),
      ['emulator.awsapps.com (us-east-1)'],
    );
    // Extensions get the session only after the user allows it (a dialog VS Code refuses to show in
    // its test mode: the e2e clicks it); the provider behind that answers with the live token.
    const [session] = await a.auth.getSessions(['sso:account:access']);
    assert.ok(session, 'a session while signed in');
    assert.strictEqual(session.accessToken, await a.session.accessToken(), 'the live portal token');
    assert.deepStrictEqual(session.scopes, ['sso:account:access']);
    assert.match(session.account.label, /emulator\.awsapps\.com \(us-east-1\)/);
    assert.deepStrictEqual(await a.auth.getSessions(['s3:read']), [], 'no other scopes');
    const shown = await clickAccountsMenuAndFind('emulator.awsapps.com');
    await harness.screenshot('accounts-menu');
    await harness.keys({ keys: ['Escape'] });
    assert.ok(shown, 'the Accounts menu lists the Identity Center sign-in');
  });

  test("Open AWS Console trades the role's keys for a sign-in token and opens the browser; the browser never sees the keys", async () => {
    const since = (await emulator().calls()).length;
    await vscode.commands.executeCommand('awsIdc.openConsole', sourceNode, '/console/home'); // the destination pick: withLeastPrivilege.test.ts
    const creds = a.broker.peek(sourceNode.role)!;
    const traded = (await emulator().calls({ operation: 'GetSigninToken' })).at(-1);
    assert.strictEqual(traded?.status, 200);
    assert.strictEqual(traded?.accessKeyId, creds.accessKeyId, 'signed in with the chosen role');
    assert.ok((await emulator().calls()).length > since);
    // code-server forwards loopback URLs through its /proxy/<port>/ and drops their path and query,
    // so the landing page itself (the login step) is proven in test/unit/console.test.ts.
    const port = new URL(process.env.AWS_ENDPOINT_URL_SIGNIN!).port;
    await waitFor('a browser page for the sign-in host', async () =>
      (await harness.pages()).find((p) => p.path.includes(port) || p.origin.endsWith(`:${port}`)),
    );
  });

  test('Chained roles: under their source role in the tree, usable as the active role in a terminal, MFA code asked for', async () => {
    const { accountId, roleName } = sourceNode.role;
    await config().update(
      'chainedRoles',
      [
        {
          name: 'Deploy (chained)',
          roleArn: 'arn:aws:iam::999988887777:role/Deploy',
          source: { accountId, roleName },
          externalId: 'ext-123',
          sourceIdentity: 'dev-ci',
          durationSeconds: 900,
        },
        {
          name: 'Audit (MFA)',
          roleArn: 'arn:aws:iam::999988886666:role/Audit',
          source: { accountId, roleName },
          mfaSerial: 'arn:aws:iam::999988887777:mfa/dev',
        },
      ],
      vscode.ConfigurationTarget.Global,
    );
    const children = await waitFor('chained roles under the source role', async () => {
      const c = (await a.tree.getChildren(sourceNode)) as RoleNode[];
      return c.length === 2 ? c : undefined;
    });
    assert.deepStrictEqual(
      children.map((c) => c.role.chainName),
      ['Deploy (chained)', 'Audit (MFA)'],
    );
    const item = a.tree.getTreeItem(children[0]);
    assert.strictEqual(item.label, 'Deploy (chained)');
    assert.match(String(item.description), /assumes Deploy in 999988887777/);
    assert.strictEqual(a.tree.getTreeItem(sourceNode).collapsibleState, vscode.TreeItemCollapsibleState.Expanded);

    await vscode.commands.executeCommand('awsIdc.setActiveRole', children[0]);
    assert.strictEqual(a.active.current?.chainName, 'Deploy (chained)');
    assert.match(await runInTerminal(`${CLI_V1} sts get-caller-identity --output text --query Arn`), /arn:aws:sts::999988887777:assumed-role\/Deploy\//);
    const assumed = (await emulator().calls({ operation: 'AssumeRole' })).at(-1) as unknown as Record<string, unknown>;
    assert.strictEqual(assumed.status, 200);
    assert.strictEqual(assumed.externalId, 'ext-123');
    assert.strictEqual(assumed.sourceIdentity, 'dev-ci');
    assert.strictEqual(assumed.durationSeconds, 900);
    await waitFor('status bar names the chained role', () => /Deploy \(chained\)\/Deploy/.test(a.statusBar.last?.text ?? ''));

    // MFA: the code is asked for in an input box when fresh credentials are needed.
    const chosen = vscode.commands.executeCommand('awsIdc.setActiveRole', children[1]);
    await chosen;
    await harness.keys({ waitFor: '.quick-input-widget input', text: '123456', keys: ['Enter'] });
    assert.match(await runInTerminal(`${CLI_V1} sts get-caller-identity --output text --query Arn`), /arn:aws:sts::999988886666:assumed-role\/Audit\//);
    const mfa = (await emulator().calls({ operation: 'AssumeRole' })).at(-1) as unknown as Record<string, unknown>;
    assert.strictEqual(mfa.serialNumber, 'arn:aws:iam::999988887777:mfa/dev');
    assert.strictEqual(mfa.tokenCode, '123456');
    await harness.screenshot('chained-roles');
    await vscode.commands.executeCommand('awsIdc.setActiveRole', sourceNode);
  });

  test('Save Role as AWS CLI Profile keeps every other line, and the real AWS CLI uses the shared sign-in at once', async function () {
    if (!fs.existsSync(CLI_V1)) this.skip();
    const configFile = path.join(tmp, 'config');
    const before = '# my settings\n[profile keep]\nregion = eu-west-1 # trailing comment\n\n[default]\noutput = json\n';
    fs.writeFileSync(configFile, before);
    process.env.AWS_CONFIG_FILE = configFile;
    await config().update('shareWithAwsCli', true, vscode.ConfigurationTarget.Global);
    const saved = vscode.commands.executeCommand<string>('awsIdc.saveCliProfile', sourceNode);
    await harness.keys({ waitFor: '.quick-input-widget input', keys: [{ wait: 300 }, 'Enter'] }); // profile name: the suggestion
    assert.ok(await harness.waitForText('Name the [sso-session]'), 'asked to name the sso-session (the sign-in came from settings)');
    await harness.keys({ waitFor: '.quick-input-widget input', keys: [{ wait: 300 }, 'Enter'] }); // sso-session name: the suggestion
    const profile = await saved;
    assert.ok(profile, 'a profile was saved');
    const text = fs.readFileSync(configFile, 'utf8');
    assert.ok(text.startsWith(before), 'earlier lines and comments kept byte for byte');
    assert.match(
      text,
      new RegExp(
        `\\[profile ${profile}\\][^[]*sso_session = emulator[^[]*sso_account_id = ${sourceNode.role.accountId}[^[]*sso_role_name = ${sourceNode.role.roleName}`,
      ),
    );
    assert.match(text, /\[sso-session emulator\][^[]*sso_start_url = https:\/\/emulator\.awsapps\.com\/start[^[]*sso_region = us-east-1/);

    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: os.homedir(),
      AWS_CONFIG_FILE: configFile,
      AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, 'none'),
      AWS_ENDPOINT_URL_SSO: process.env.AWS_ENDPOINT_URL_SSO,
      AWS_ENDPOINT_URL_STS: process.env.AWS_ENDPOINT_URL_STS,
      AWS_ENDPOINT_URL_SSO_OIDC: process.env.AWS_ENDPOINT_URL_SSO_OIDC,
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const cli = await run(CLI_V1, ['--profile', profile!, 'sts', 'get-caller-identity', '--output', 'text', '--query', 'Arn'], env);
    assert.strictEqual(cli.code, 0, 'the AWS CLI succeeded with the profile');
    assert.match(cli.out, arnOf(sourceNode.role));

    // Switching sharing off takes the token file back; on again writes it at once.
    const tokenFiles = (): string[] => {
      const dir = path.join(os.homedir(), '.aws', 'sso', 'cache');
      return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
    };
    assert.strictEqual(tokenFiles().length, 1);
    await config().update('shareWithAwsCli', false, vscode.ConfigurationTarget.Global);
    await waitFor('the token file taken back', () => tokenFiles().length === 0);
    await config().update('shareWithAwsCli', true, vscode.ConfigurationTarget.Global);
    await waitFor('the token file written again', () => tokenFiles().length === 1);
  });

  test('Session activity: every hand-out is in a table (consumer, role, access key id), never a secret', async () => {
    await a.activity.flush();
    await vscode.commands.executeCommand('awsIdc.showActivity');
    const doc = await waitFor('the activity document', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'awsidc-activity'));
    const text = doc.getText();
    assert.match(text, /\| *Time *\|/);
    assert.match(text, /AWS console/);
    assert.match(text, /terminals \(active role endpoint\)/);
    assert.match(text, /Deploy \(chained\)/);
    const creds = a.broker.peek(sourceNode.role)!;
    assert.ok(text.includes(creds.accessKeyId), 'access key ids, for CloudTrail');
    assert.ok(!text.includes(creds.secretAccessKey) && !text.includes(creds.sessionToken), 'no secrets');
    await new Promise((r) => setTimeout(r, 1500)); // let the preview render for the picture
    await harness.screenshot('activity');
  });

  test('Long-term keys: a static key in ~/.aws/credentials shows a warning row with guidance', async () => {
    const file = path.join(tmp, 'credentials');
    fs.writeFileSync(file, '[legacy]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
    process.env.AWS_SHARED_CREDENTIALS_FILE = file;
    await a.longTermKeys.scan();
    const roots = await a.tree.getChildren();
    const row = roots.find((n) => n.kind === 'message' && n.id === 'longTermKeys');
    assert.ok(row, 'a warning row above the accounts');
    const item = a.tree.getTreeItem(row!);
    assert.match(String(item.label), /1 long-term access key found/);
    assert.ok(!String(item.tooltip).includes('AKIAIOSFODNN7EXAMPLE'), 'the key id is masked');
    // A picture for the README: the warning row, and the chained roles under their source role.
    await vscode.commands.executeCommand('workbench.view.extension.awsIdc');
    const accountRow = `#workbench\\.parts\\.sidebar .monaco-list-row[aria-label*="${sourceNode.account.accountId}"]`;
    await harness.keys({ waitFor: accountRow, timeoutMs: 15_000 });
    await harness.click(`${accountRow}[aria-expanded="false"]`, true);
    assert.ok(await harness.waitForText('Deploy (chained)'), 'the chained role is shown under its source role');
    await harness.screenshot('ecosystem-tree');
    void vscode.commands.executeCommand('awsIdc.reviewLongTermKeys');
    assert.ok(await harness.waitForText('Identity Center'), 'the guidance is shown');
    await harness.screenshot('long-term-keys');
    fs.rmSync(file);
    await a.longTermKeys.scan();
    assert.ok(!(await a.tree.getChildren()).some((n) => n.kind === 'message' && n.id === 'longTermKeys'), 'gone once the key is');
  });

  test('Walkthrough: Get Started shows the four steps, the done ones (portal, sign-in, role) checked', async () => {
    assert.ok(a.session.state.kind === 'signedIn' && a.active.current, 'signed in with an active role');
    await vscode.commands.executeCommand('awsIdc.getStarted');
    assert.ok(await harness.waitForText('Get started with AWS Identity Center Sessions', 20_000), 'walkthrough title');
    for (const step of ['Tell the extension where to sign in', 'Pick a role', 'Open a terminal']) assert.ok(await harness.waitForText(step), step);
    // VS Code renders a done step's checkbox with aria-checked="true" (its id is <extension>#<walkthrough>#<step>).
    for (const step of ['configure', 'signIn', 'pickRole']) {
      await harness.keys({ waitFor: `[data-done-step-id$="#gettingStarted#${step}"][aria-checked="true"]`, timeoutMs: 15_000 });
    }
    await harness.screenshot('walkthrough');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Sign Out removes the authentication session and the AWS CLI token file we wrote', async () => {
    const changed = new Promise<void>((resolve) => {
      const sub = vscode.authentication.onDidChangeSessions((e) => {
        if (e.provider.id === 'awsIdc') {
          sub.dispose();
          resolve();
        }
      });
    });
    const cacheDir = path.join(os.homedir(), '.aws', 'sso', 'cache');
    const before = fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir) : [];
    assert.ok(before.length > 0, 'the shared sign-in was written for the AWS CLI');
    await vscode.commands.executeCommand('awsIdc.signOut');
    await changed;
    assert.deepStrictEqual(await vscode.authentication.getAccounts('awsIdc'), []);
    assert.deepStrictEqual(await a.auth.getSessions(), []);
    assert.deepStrictEqual(
      fs.readdirSync(cacheDir).filter((f) => f.endsWith('.json')),
      [],
      'no token left on disk',
    );
  });

  test('Sign In reuses a valid AWS CLI sign-in for the same sso-session: no browser step, no device code', async () => {
    // A sign-in the way `aws sso login --sso-session emulator` leaves it (made here with the real SDK clients).
    await emulator().configure({ autoApprove: true });
    const ic = await IdentityCenter.create({ region: 'us-east-1' });
    try {
      const client = await ic.registerClient('botocore-client-emulator');
      const device = await ic.startDeviceAuthorization(client, 'https://emulator.awsapps.com/start');
      const t = await ic.createTokenWithDeviceCode(client, device.deviceCode);
      await new CliTokenCache().write(
        {
          accessToken: t.accessToken,
          refreshToken: t.refreshToken,
          expiresAt: Date.now() + t.expiresIn * 1000,
          startUrl: 'https://emulator.awsapps.com/start',
          region: 'us-east-1',
          sessionName: 'emulator',
        },
        client,
      );
    } finally {
      ic.dispose();
      await emulator().configure({ autoApprove: false });
    }
    const devicesBefore = (await emulator().calls({ operation: 'StartDeviceAuthorization' })).length;
    assert.strictEqual(await vscode.commands.executeCommand('awsIdc.signIn'), true);
    assert.strictEqual(a.session.state.kind, 'signedIn');
    assert.strictEqual((await emulator().calls({ operation: 'StartDeviceAuthorization' })).length, devicesBefore, 'no new device authorization');
    assert.ok(await harness.waitForText("with the AWS CLI's sign-in"), 'the user is told where the sign-in came from');
    await a.catalog.whenIdle();
    assert.ok(a.catalog.accounts.length > 0, 'the reused token lists accounts');
    await vscode.commands.executeCommand('awsIdc.signOut');
    const cacheDir = path.join(os.homedir(), '.aws', 'sso', 'cache');
    assert.deepStrictEqual(
      fs.readdirSync(cacheDir).filter((f) => f.endsWith('.json')),
      [],
      'signed out while sharing: the file is removed',
    );
  });
});

/** Opens the Accounts menu in the activity bar and looks for `text` in it. */
async function clickAccountsMenuAndFind(text: string): Promise<boolean> {
  await harness.keys({ waitFor: '.activitybar [aria-label^="Accounts"]' });
  await harness.click('.activitybar [aria-label^="Accounts"]');
  return harness.waitForText(text, 10_000);
}
