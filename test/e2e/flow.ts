// The whole user journey in the real workbench with the packaged .vsix: sign in by clicking,
// browse the tree, make a role active, see the countdown, run the AWS CLI in a terminal, switch
// role from the status bar, restart the extension host, another extension asks for the sign-in
// (consent dialog), a second window, sign out — then scan every file the editor and browser wrote
// for every secret the emulator issued (canary).
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { filesContaining, scannableSecrets } from '../harness/canary';
import { workbenchUrl } from '../harness/codeServer';
import type { Step } from './run';
import { awsCliCommand } from '../support/cliFixtures';

const SIDEBAR = '#workbench\\.parts\\.sidebar';
const STATUS = '.statusbar-item';
const TERMINAL_ROWS = '.terminal-wrapper.active .xterm-rows';

async function palette(page: Page, command: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type(command);
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: command.replace(/^>/, '') })
    .first()
    .waitFor();
  await page.keyboard.press('Enter');
}

/** What test/fixtures/auth-consumer writes to $AWSIDC_CONSUMER_RESULT (never the token). */
interface ConsumerResult {
  ok: boolean;
  accountLabel?: string;
  scopes?: string[];
  portalStatus?: number;
  accounts?: number;
  error?: string;
  message?: string;
}
const CONSUMER_UA = 'awsidc-tests-auth-consumer/0.0.1';

async function readJsonWhenWritten<T>(file: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} not written within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

let firstRole = '';
let secondRole = '';
let deviceGrantsBeforeRestart = 0;
/** Sign-ins started with either flow: device authorizations and /authorize visits. */
const signInsStarted = (emulator: { calls(f: { operation: string }): unknown[] }): number =>
  emulator.calls({ operation: 'StartDeviceAuthorization' }).length + emulator.calls({ operation: 'Authorize' }).length;

export const FLOW_STEPS: Step[] = [
  {
    name: 'Sign In from the view: the portal page opens and Allow is clicked; accounts fill the tree',
    async run({ page, emulator, bridge }) {
      // The default of the suites (a local window's): the authorization code, one Allow and no code to compare.
      bridge.mode = 'ignore';
      await page.locator(`${SIDEBAR} .welcome-view-content`).getByRole('button', { name: 'Sign In' }).click();
      const deadline = Date.now() + 30_000;
      while (!bridge.visits.length && Date.now() < deadline) await page.waitForTimeout(100);
      const [visit] = bridge.visits;
      if (!visit || !/\/authorize\/consent\?request=/.test(visit.url)) throw new Error(`the Allow page did not open: ${JSON.stringify(visit?.url)}`);
      await bridge.screenshotVerification('e2e-01b-allow-page');
      bridge.mode = 'allow';
      await bridge.clickVerification('allow');
      if (!/Signed in to AWS IAM Identity Center/.test(visit.result ?? '')) throw new Error(`after Allow the browser showed: ${visit.result ?? visit.error}`);
      if (emulator.calls({ operation: 'StartDeviceAuthorization' }).length) throw new Error('a device authorization was started');
      if (bridge.visits.length !== 1) throw new Error(`${bridge.visits.length} browser pages opened`);
      const first = emulator
        .accounts()
        .slice()
        .sort((a, b) => a.accountName.localeCompare(b.accountName))[0];
      await page.locator(`${SIDEBAR} .monaco-list-row[aria-label*="${first.accountId}"]`).waitFor({ timeout: 30_000 });
      await page.locator(STATUS, { hasText: 'AWS: choose a role' }).waitFor();
    },
  },
  {
    name: 'expand an account, make a role active from its context menu; the status bar counts down',
    async run({ page, emulator, bridge }) {
      const account = emulator.accounts().find((a) => a.roles.includes('ReadOnly') && /^[A-Za-z ]+\d+$/.test(a.accountName))!;
      await page.locator(`${SIDEBAR} .monaco-list-row[aria-label*="${account.accountId}"]`).click();
      const role = page.locator(`${SIDEBAR} .monaco-list-row[aria-label^="Role ReadOnly in ${account.accountName}"]`);
      await role.click({ button: 'right' });
      await page.locator('.context-view .action-label', { hasText: 'Use This Role' }).click();
      firstRole = `${account.accountName}/ReadOnly`;
      await page.locator(STATUS, { hasText: new RegExp(`${firstRole} (59m|1h 00m)`) }).waitFor();
      await page.mouse.move(700, 400);
      await bridge.screenshot('e2e-02-signed-in');
    },
  },
  {
    name: 'a new terminal runs the AWS CLI as the active role',
    timeoutMs: 45_000,
    async run({ page, emulator, bridge }) {
      await palette(page, 'Terminal: Create New Terminal');
      await page.locator(TERMINAL_ROWS).waitFor();
      await page.waitForTimeout(1000);
      await page.locator(TERMINAL_ROWS).click({ force: true });
      await page.keyboard.type(`${awsCliCommand()} sts get-caller-identity --query Arn --output text\n`);
      const account = emulator.accounts().find((a) => `${a.accountName}/ReadOnly` === firstRole)!;
      await page.locator(TERMINAL_ROWS, { hasText: `arn:aws:sts::${account.accountId}:assumed-role/ReadOnly/` }).waitFor({ timeout: 30_000 });
      await bridge.screenshot('e2e-03-terminal');
    },
  },
  {
    name: 'Switch Role from the status bar; the SAME terminal follows',
    timeoutMs: 45_000,
    async run({ page, emulator }) {
      const other = emulator
        .accounts()
        .find((a) => a.roles.includes('AdministratorAccess') && /^[A-Za-z ]+\d+$/.test(a.accountName) && !firstRole.startsWith(a.accountName))!;
      await page.locator(STATUS, { hasText: firstRole }).click();
      await page.locator('.quick-input-widget input').waitFor();
      await page.keyboard.type(`${other.accountName} AdministratorAccess`);
      await page
        .locator('.quick-input-list .monaco-list-row', { hasText: `${other.accountName} / AdministratorAccess` })
        .first()
        .waitFor();
      await page.keyboard.press('Enter');
      secondRole = `${other.accountName}/AdministratorAccess`;
      await page.locator(STATUS, { hasText: secondRole }).waitFor();
      await page.locator(TERMINAL_ROWS).click({ force: true });
      await page.keyboard.type(`${awsCliCommand()} sts get-caller-identity --query Arn --output text\n`);
      await page.locator(TERMINAL_ROWS, { hasText: `arn:aws:sts::${other.accountId}:assumed-role/AdministratorAccess/` }).waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'the window reloads (a new extension host): signed in from secrets, role remembered, no new sign-in',
    timeoutMs: 60_000,
    async run({ page, emulator }) {
      deviceGrantsBeforeRestart = signInsStarted(emulator);
      // code-server's palette has no "Restart Extension Host"; a reload starts a fresh one.
      await page.reload();
      await page.locator('.monaco-workbench').waitFor();
      await page.locator(STATUS, { hasText: new RegExp(`${secondRole} (59m|1h 00m)`) }).waitFor({ timeout: 45_000 });
      const after = signInsStarted(emulator);
      if (after !== deviceGrantsBeforeRestart) throw new Error(`a new sign-in was started (${after - deviceGrantsBeforeRestart})`);
    },
  },
  {
    name: 'another extension asks for the session: VS Code asks for consent, Allow hands over a token the portal accepts; Accounts menu lists it',
    timeoutMs: 20_000,
    async run({ page, emulator, bridge, consumerResult }) {
      fs.rmSync(consumerResult, { force: true });
      await page.bringToFront();
      await palette(page, 'Auth Consumer: Ask for AWS Identity Center session');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 10_000 });
      const text = (await dialog.innerText()).replace(/\s+/g, ' ').trim();
      if (!text.includes("The extension 'Auth Consumer' wants to sign in using AWS IAM Identity Center")) throw new Error(`not the consent dialog: "${text}"`);
      await bridge.screenshot('e2e-consent');
      await dialog.getByRole('button', { name: 'Allow', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
      const result = await readJsonWhenWritten<ConsumerResult>(consumerResult, 10_000);
      const want = { ok: true, accountLabel: 'emulator.awsapps.com (us-east-1)', scopes: ['sso:account:access'], portalStatus: 200, accounts: 1 };
      const got = { ok: result.ok, accountLabel: result.accountLabel, scopes: result.scopes, portalStatus: result.portalStatus, accounts: result.accounts };
      if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`consumer result ${JSON.stringify(result)}, want ${JSON.stringify(want)}`);
      const seen = emulator.calls({ operation: 'ListAccounts' }).filter((c) => c.userAgent === CONSUMER_UA);
      if (!seen.some((c) => c.status === 200)) throw new Error(`the portal saw no successful ListAccounts from the consumer: ${JSON.stringify(seen)}`);

      // Accounts menu: the account, and under Manage Trusted Extensions the consumer just allowed.
      await page.locator('.activitybar a.action-label[aria-label^="Accounts"]').click();
      // Match the labels, not .action-item: a submenu's DOM sits inside its parent's item.
      await page.locator('.context-view .action-label', { hasText: 'emulator.awsapps.com (us-east-1) (AWS IAM Identity Center)' }).hover();
      const manage = page.locator('.context-view .monaco-submenu .action-label', { hasText: /^Manage Trusted Extensions$/ });
      const pick = page.locator('.quick-input-widget:visible');
      const title = pick.locator('.quick-input-title', { hasText: 'Manage Trusted Extensions' });
      await manage.click();
      // A click that lands while the submenu is still opening only highlights the item: Enter runs it.
      if (
        !(await title.waitFor({ timeout: 3_000 }).then(
          () => true,
          () => false,
        ))
      ) {
        if (await manage.isVisible()) await page.keyboard.press('Enter');
        await title.waitFor({ timeout: 5_000 });
      }
      await pick.locator('.monaco-list-row:visible', { hasText: 'Auth Consumer' }).first().waitFor(); // :visible: the palette's old rows linger hidden
      await bridge.screenshot('e2e-consent-trusted');
      await page.keyboard.press('Escape');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    },
  },
  {
    name: 'a second window shares the sign-in; Sign Out there signs out both',
    timeoutMs: 60_000,
    async run({ page, cs }) {
      const second = await page.context().newPage();
      try {
        await second.goto(workbenchUrl(cs));
        await second.locator(STATUS, { hasText: secondRole }).waitFor({ timeout: 40_000 });
        await palette(second, 'AWS Identity Center: Sign Out');
        await second.locator(STATUS, { hasText: 'AWS: signed out' }).waitFor();
        // Desktop VS Code broadcasts secret changes to every window at once; VS Code for the Web
        // (code-server) keeps a per-window copy, so the first window learns on its next portal
        // call: the portal refuses the logged-out token and the session ends there too.
        await page.bringToFront();
        await palette(page, 'AWS Identity Center: Refresh Accounts');
        await page.locator(STATUS, { hasText: 'AWS: signed out' }).waitFor({ timeout: 15_000 });
        await page.locator(`${SIDEBAR} .welcome-view-content`).getByRole('button', { name: 'Sign In' }).waitFor();
      } finally {
        await second.close({ runBeforeUnload: false });
      }
    },
  },
  {
    name: 'canary: no issued secret in any file of the test HOME, user data, extensions or browser profile',
    async run({ emulator, cs, profileDir, consumerResult }) {
      const secrets = scannableSecrets(emulator.issuedSecrets());
      if (secrets.length < 5) throw new Error(`only ${secrets.length} secrets issued: the flow did not run`);
      // The browser's history holds the authorization code of the redirect it followed, as any browser does (State.browserSecrets).
      const browserSecrets = scannableSecrets(emulator.issuedSecrets(), emulator.browserUrlSecrets());
      const hits = [
        ...filesContaining([cs.runDir, cs.home, cs.userDataDir, cs.extensionsDir, path.dirname(consumerResult)], secrets),
        ...filesContaining([profileDir], browserSecrets),
      ];
      if (hits.length) throw new Error(`secrets found in:\n${hits.join('\n')}`);
    },
  },
];
