// Asks for an access portal: its URL, then its region unless the URL names it
// (…portal.<region>.app.aws) or, for a vanity URL, its redirect does (learned as the AWS CLI does).
import * as vscode from 'vscode';
import { learnPortalRegion } from '../../core/aws/portalRegion';
import type { Logger } from '../../core/common/log';
import type { SsoTarget } from '../../core/common/model';
import { checkRegion, checkStartUrl, regionFromStartUrl } from '../../core/common/validate';

export async function askForPortal(startUrl: string, region: string, log: Logger): Promise<{ target: SsoTarget; askedFor: boolean } | undefined> {
  const url = await vscode.window.showInputBox({
    title: vscode.l10n.t('AWS access portal URL'),
    prompt: vscode.l10n.t('The start URL of your AWS access portal (IAM Identity Center).'),
    placeHolder: 'https://my-org.awsapps.com/start',
    value: startUrl,
    ignoreFocusOut: true,
    validateInput: (v) => {
      const c = checkStartUrl(v);
      return c.ok ? (c.warning ? { message: c.warning, severity: vscode.InputBoxValidationSeverity.Warning } : undefined) : c.error;
    },
  });
  if (!url) return undefined;
  const named = regionFromStartUrl(url) ?? (await learnedRegion(url.trim(), log));
  if (named) return { target: { startUrl: url.trim(), region: named }, askedFor: true };
  const reg = await vscode.window.showInputBox({
    title: vscode.l10n.t('IAM Identity Center region'),
    prompt: vscode.l10n.t('The region where your IAM Identity Center instance lives.'),
    placeHolder: 'us-east-1',
    value: region,
    ignoreFocusOut: true,
    validateInput: (v) => checkRegion(v).error,
  });
  if (!reg) return undefined;
  return { target: { startUrl: url.trim(), region: reg.trim() }, askedFor: true };
}

/** A vanity URL's region from where it redirects, shown as a short wait in the status bar. */
async function learnedRegion(url: string, log: Logger): Promise<string | undefined> {
  const learned = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Looking up the region of the AWS access portal…') },
    () => learnPortalRegion(url),
  );
  if (learned.region) log.info(`[signIn] ${new URL(url).host} redirects to ${new URL(learned.resolvedUrl!).host}: region ${learned.region}`);
  return learned.region;
}
