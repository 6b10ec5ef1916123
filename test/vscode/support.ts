// Shared helpers for suites that run inside the real VS Code extension host.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { harness } from '../harness/bridgeClient';
import type { RoleRef } from '../../src/core/common/model';
import type { TreeNode } from '../../src/vscode/accounts/accountsTree';
import type { TestApi } from '../../src/vscode/testApi';
import { EmulatorControl } from '../emulator/client';

export const EXTENSION_ID = 'awsidc.aws-identity-center-sessions';
export const START_URL = 'https://emulator.awsapps.com/start';

/** What activate() returns in test mode (one typed module: src/vscode/testApi.ts). */
export type { TestApi };

export async function api(): Promise<TestApi> {
  const ext = vscode.extensions.getExtension<TestApi>(EXTENSION_ID);
  assert.ok(ext, 'extension not found');
  return ext.activate();
}

export const emulator = (): EmulatorControl => EmulatorControl.fromEnv();

/**
 * A launch configuration running test/fixtures/debuggee/whoami.js, which writes the identities its
 * STS calls sign as to `out`. `more` adds variables (`env`) and fields such as `awsIdc` (the role asked for).
 */
export function whoamiLaunch(name: string, out: string, more: { env?: Record<string, string> } & Record<string, unknown> = {}): vscode.DebugConfiguration {
  const repo = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
  const { env, ...fields } = more;
  return {
    type: 'node',
    request: 'launch',
    name,
    program: path.join(repo, 'test', 'fixtures', 'debuggee', 'whoami.js'),
    console: 'internalConsole',
    env: { AWSIDC_REPO: repo, WHOAMI_OUT: out, ...env },
    ...fields,
  };
}

/** Writes the folder's .vscode/launch.json with this one configuration, as a repository would hold it. */
export function writeLaunchJson(folder: string, config: vscode.DebugConfiguration): void {
  fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(folder, '.vscode', 'launch.json'), JSON.stringify({ version: '0.2.0', configurations: [config] }, null, 2));
}

export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/** User settings pointing the sign-in at the emulator (endpoints come from AWS_ENDPOINT_URL_*). */
export async function useEmulatorSettings(): Promise<void> {
  const config = vscode.workspace.getConfiguration('awsIdc');
  await config.update('startUrl', START_URL, vscode.ConfigurationTarget.Global);
  await config.update('region', 'us-east-1', vscode.ConfigurationTarget.Global);
}

/** Starts a suite signed out, with the emulator configured as given and user settings pointing at it. */
export async function signedOutWith(options: Parameters<EmulatorControl['configure']>[0]): Promise<TestApi> {
  const a = await api();
  if (a.session.state.kind === 'signedIn') await vscode.commands.executeCommand('awsIdc.signOut');
  await emulator().configure(options);
  await useEmulatorSettings();
  return a;
}

/** Runs Sign In with the emulator approving at once; resolves to what the command returned. */
export async function signInAutoApproved(): Promise<unknown> {
  await emulator().configure({ autoApprove: true });
  try {
    return await vscode.commands.executeCommand('awsIdc.signIn');
  } finally {
    await emulator().configure({ autoApprove: false });
  }
}

/** Signs in the way a user does, for suites about other things: the harness's browser clicks Allow on the page that opens. */
export async function ensureSignedIn(): Promise<TestApi> {
  const a = await api();
  if (a.session.state.kind === 'signedIn') return a;
  await useEmulatorSettings();
  if (!harness.available) {
    // No browser to click in: the emulator approves at once.
    assert.strictEqual(await signInAutoApproved(), true, 'sign-in failed');
  } else {
    const { mode } = await harness.verification();
    await harness.setVerification('allow');
    try {
      assert.strictEqual(await vscode.commands.executeCommand('awsIdc.signIn'), true, 'sign-in failed');
    } finally {
      await harness.setVerification(mode);
    }
  }
  await a.catalog.whenIdle();
  return a;
}

/** Runs a command in a real terminal and returns what it printed to a file. */
export async function runInTerminal(command: string, options: { terminal?: vscode.Terminal; name?: string; timeoutMs?: number } = {}): Promise<string> {
  const fs = await import('fs');
  const os = await import('os');
  const path = await import('path');
  const out = path.join(os.tmpdir(), `awsidc-term-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
  const terminal = options.terminal ?? vscode.window.createTerminal({ name: options.name ?? 'awsidc test' });
  terminal.sendText(`{ ${command} ; } > ${out}.tmp 2>&1; mv ${out}.tmp ${out}`);
  const text = await waitFor(`output of "${command}"`, () => (fs.existsSync(out) ? fs.readFileSync(out, 'utf8') || ' ' : ''), options.timeoutMs ?? 30_000);
  fs.rmSync(out, { force: true });
  if (!options.terminal) terminal.dispose();
  return text;
}

/** Runs a command in another window (test/harness windows) through its Command Palette, as a person would. */
export async function runInWindow(window: number, title: string): Promise<void> {
  const { harness } = await import('../harness/bridgeClient');
  // F1 can be lost while a terminal or a notification takes focus (seen on a busy 1.100): asked again, up to 3 times.
  for (let attempt = 1; ; attempt++) {
    await harness.keys({ window, keys: ['Escape', 'F1'] });
    try {
      await harness.keys({ window, waitFor: '.quick-input-widget input', text: title, keys: [{ wait: 400 }, 'Enter'] });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

/** Waits until a status bar item of `window` matches `pattern`; returns its text. */
export async function statusBarIn(window: number, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const { harness } = await import('../harness/bridgeClient');
  return waitFor(
    `window ${window}'s status bar to match ${pattern}`,
    async () => (await harness.texts('.statusbar-item', window).catch(() => [] as string[])).find((t) => pattern.test(t)),
    timeoutMs,
  );
}

export type RoleNode = Extract<TreeNode, { kind: 'role' }>;

/** The first role row under the first plainly named account ("Sandbox 3"…) of the Accounts tree. */
export async function firstPlainRoleNode(a: TestApi): Promise<RoleNode> {
  const account = a.tree.orderedAccounts().find((acc) => /^[A-Za-z ]+\d+$/.test(acc.accountName))!;
  return (await a.tree.getChildren({ kind: 'account', account })).find((n): n is RoleNode => n.kind === 'role')!;
}

/** Two roles of plainly named accounts ("Sandbox 3"…), in different accounts, with their account names. */
export function twoPlainRoles(a: TestApi): [RoleRef & { accountName: string }, RoleRef & { accountName: string }] {
  const roles = a.catalog.allRoles().filter((r) => /^[A-Za-z ]+\d+$/.test(a.catalog.account(r.accountId)!.accountName));
  const pick = (r: RoleRef) => ({ ...r, accountName: a.catalog.account(r.accountId)!.accountName });
  const first = pick(roles[0]);
  return [first, pick(roles.find((r) => r.accountId !== first.accountId)!)];
}
