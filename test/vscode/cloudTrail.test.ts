// Issue 28: "what did these credentials do?" in the real VS Code. A terminal bound to a role runs
// the AWS CLI v1 against the emulator (DynamoDB through AWS_ENDPOINT_URL_DYNAMODB, STS), some calls
// failing or denied; the emulator records each by the key that signed it and serves LookupEvents;
// Review Credential Use (CloudTrail) shows those calls against that terminal's hand-out.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { KeyReview } from '../../src/core/activity/cloudTrailReview';
import type { CloudTrailView } from '../../src/vscode/activity/cloudTrailView';
import type { ActivityLog } from '../../src/core/activity/activityLog';
import { harness } from '../harness/bridgeClient';
import { awsCliCommand } from '../support/cliFixtures';
import { emulator, ensureSignedIn, runInTerminal, waitFor, type TestApi, whoamiLaunch } from './support';

type Api = TestApi & { cloudTrail: CloudTrailView; activity: ActivityLog };

suite('CloudTrail review', function () {
  this.timeout(240_000);
  let a: Api;
  let aws: string;
  let terminal: vscode.Terminal | undefined;
  let role: { accountId: string; roleName: string; accountName: string; portal?: string };

  suiteSetup(async function () {
    if (!harness.available) this.skip();
    aws = awsCliCommand();
    if (aws.includes('--endpoint-url')) this.skip(); // the AWS CLI v2 fallback points every service at STS's URL
    await emulator().configure({ cloudTrailDelaySec: 0, cloudTrailDeniedRoles: [], writeDeniedRoles: ['ReadOnly'], throttle: null });
    a = (await ensureSignedIn()) as Api;
    await vscode.workspace.getConfiguration('awsIdc').update('terminal.mode', 'endpoint', vscode.ConfigurationTarget.Global);
    const readOnly = await waitFor('a ReadOnly role', () =>
      a.catalog.allRoles().find((r) => r.roleName === 'ReadOnly' && /^[A-Za-z ]+\d+$/.test(a.catalog.account(r.accountId)!.accountName)),
    );
    role = { ...readOnly, accountName: a.catalog.account(readOnly.accountId)!.accountName };
  });

  suiteTeardown(async () => {
    terminal?.dispose();
    await emulator().configure({ cloudTrailDeniedRoles: [] });
  });

  test('a terminal runs AWS CLI calls, some failing: the review lists them against its hand-out, writes and denials marked', async () => {
    const started = Date.now() - 1_000;
    terminal = await a.terminals.openBoundTerminal(role);
    terminal.show();
    const out = await runInTerminal(
      [
        `${aws} sts get-caller-identity --output text --query Arn`,
        `${aws} dynamodb list-tables --output json`,
        `${aws} dynamodb create-table --table-name orders --attribute-definitions AttributeName=id,AttributeType=S --key-schema AttributeName=id,KeyType=HASH --billing-mode PAY_PER_REQUEST`,
        `${aws} dynamodb describe-table --table-name missing`,
      ].join('; '),
      { terminal, timeoutMs: 90_000 },
    );
    assert.match(out, new RegExp(`assumed-role/${role.roleName}/`), out);
    assert.match(out, /AccessDeniedException/, out);
    assert.match(out, /ResourceNotFoundException/, out);
    await a.activity.flush();
    const reviews = (await vscode.commands.executeCommand('awsIdc.reviewCloudTrail', terminal)) as KeyReview[];
    assert.ok(Array.isArray(reviews) && reviews.length > 0, 'the terminal has hand-outs to review');
    const consumer = `terminal "${terminal.name}"`;
    assert.ok(
      reviews.every((r) => r.consumers.includes(consumer)),
      'only this terminal’s keys',
    );
    // Calls this test made (an earlier suite may have used the same role's key).
    const events = reviews.flatMap((r) => r.regions.flatMap((x) => (x.result.kind === 'events' ? x.result.events : []))).filter((e) => e.time >= started);
    assert.deepStrictEqual(
      events.map((e) => [e.name, e.readOnly, e.errorCode]),
      [
        ['DescribeTable', true, 'ResourceNotFoundException'],
        ['CreateTable', false, 'AccessDeniedException'],
        ['ListTables', true, undefined],
        ['GetCallerIdentity', true, undefined],
      ],
    );
    assert.ok(
      events.every((e) => /^aws-cli\/1\./.test(e.userAgent ?? '')),
      'the AWS CLI v1 made them',
    );
    const text = a.cloudTrail.text;
    assert.match(text, /\| dynamodb:CreateTable \| \*\*write\*\* \| \*\*denied \(AccessDeniedException\)\*\* \|/);
    assert.match(text, /\| dynamodb:DescribeTable \| read \| ✖ failed \(ResourceNotFoundException\) \|/);
    const row = text.split('\n').find((l) => l.startsWith(`| ${consumer} |`));
    const [calls, writes, denied, failed] = (row ?? '').split('|').slice(2, 6).map(Number);
    assert.ok(calls >= 4 && writes >= 1 && denied >= 1 && failed >= 2, `summary row: ${row}`);
    assert.match(text, /5 to 15 minutes/);
    const creds = a.broker.peek(role)!;
    assert.ok(!text.includes(creds.secretAccessKey) && !text.includes(creds.sessionToken), 'no secrets');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await new Promise((r) => setTimeout(r, 2000)); // let the preview render for the picture
    await harness.screenshot('cloudtrail-terminal');
  });

  test('reopening is served from the cache; a role in the tree reviews its own keys', async () => {
    const before = (await emulator().calls({ operation: 'LookupEvents' })).length;
    const again = (await vscode.commands.executeCommand('awsIdc.reviewCloudTrail', terminal)) as KeyReview[];
    assert.ok(again.every((r) => r.regions.every((x) => x.cached)));
    assert.strictEqual((await emulator().calls({ operation: 'LookupEvents' })).length, before, 'no LookupEvents call');
    const node = { kind: 'role', account: a.catalog.account(role.accountId), role };
    const byRole = (await vscode.commands.executeCommand('awsIdc.reviewCloudTrail', node)) as KeyReview[];
    assert.ok(byRole.length >= 1 && byRole.every((r) => r.accountId === role.accountId && r.roleName === role.roleName));
  });

  test('a debug session: the calls its program made with its hand-out', async () => {
    const started = Date.now() - 1_000;
    await a.active.set(role);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'awsidc-cloudtrail-'));
    const out = path.join(tmp, 'whoami.json');
    const go = path.join(tmp, 'go');
    let session: vscode.DebugSession | undefined;
    const sub = vscode.debug.onDidStartDebugSession((s) => (session ??= s));
    try {
      const launched = await vscode.debug.startDebugging(
        vscode.workspace.workspaceFolders![0],
        whoamiLaunch('cloudtrail whoami', out, { env: { WHOAMI_WAIT_FOR: go } }),
      );
      assert.strictEqual(launched, true);
      const [first] = await waitFor(
        'the debuggee called STS',
        () => (fs.existsSync(`${out}.first`) ? (JSON.parse(fs.readFileSync(`${out}.first`, 'utf8')) as { arn?: string; error?: string }[]) : undefined),
        60_000,
      );
      assert.match(first.arn ?? first.error ?? '', new RegExp(`assumed-role/${role.roleName}/`));
      await a.activity.flush();
      const opened = (await vscode.commands.executeCommand('awsIdc.reviewCloudTrail', session)) as KeyReview[];
      assert.ok(opened.length > 0 && opened.every((r) => r.consumers.includes('debug session "cloudtrail whoami"')), 'only the session’s keys');
      // The session shares its role's key with the terminal above, whose answer is cached: Refresh asks again.
      const reviews = (await vscode.commands.executeCommand('awsIdc.refreshCloudTrail')) as KeyReview[];
      assert.deepStrictEqual(
        reviews.map((r) => r.accessKeyId),
        opened.map((r) => r.accessKeyId),
      );
      const events = reviews.flatMap((r) => r.regions.flatMap((x) => (x.result.kind === 'events' ? x.result.events : []))).filter((e) => e.time >= started);
      assert.ok(
        events.some((e) => e.name === 'GetCallerIdentity' && /^aws-sdk-js\//.test(e.userAgent ?? '')),
        'the program’s STS call, made with the AWS SDK for JavaScript',
      );
      assert.match(a.cloudTrail.text, /Credentials handed to the debug session "cloudtrail whoami"\./);
    } finally {
      fs.writeFileSync(go, '');
      sub.dispose();
      await waitFor('the debuggee finished', () => fs.existsSync(out), 30_000).catch(() => undefined);
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('a role without cloudtrail:LookupEvents gets a message naming the permission, not an error', async () => {
    await emulator().configure({ cloudTrailDeniedRoles: [role.roleName] });
    const reviews = (await vscode.commands.executeCommand('awsIdc.refreshCloudTrail')) as KeyReview[];
    assert.ok(reviews.length > 0);
    assert.ok(reviews.every((r) => r.regions.every((x) => x.result.kind === 'denied')));
    assert.match(a.cloudTrail.text, /may not read CloudTrail in us-east-1: it needs the permission cloudtrail:LookupEvents/);
    assert.match(a.cloudTrail.text, /\| — \| — \| — \| — \|/, 'no reassuring zeros for keys never looked up');
    await new Promise((r) => setTimeout(r, 2000));
    await harness.screenshot('cloudtrail-denied');
  });
});
