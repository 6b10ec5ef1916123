// What the authorization-code sign-in needs from the editor: which flow this window uses
// (awsIdc.signIn.flow × the kind of window, decided in core's chooseFlow), opening /authorize in
// the user's browser, and, in a remote window, the listener's address as that browser reaches it
// (vscode.env.asExternalUri forwards the port).
import * as vscode from 'vscode';
import { chooseFlow, type WindowKind } from '../../core/signIn/flowChoice';
import type { SignInInteraction } from '../../core/signIn/sessionTypes';
import { settings } from '../platform/settings';

/** VS Code for the Web and code-server are web windows whatever their extension host. */
export function windowKind(): WindowKind {
  if (vscode.env.uiKind === vscode.UIKind.Web) return 'web';
  return vscode.env.remoteName ? 'remote' : 'desktop';
}

export interface AuthCodeUi {
  /** Says in the progress notification what to do now. */
  report(message: string): void;
  /** The /authorize address, for "Open page again". */
  onAuthorizeUrl(url: string | undefined): void;
  onListening(port: number): void;
  timeoutMs?: number;
  /** The command that opens the page again. */
  openAgainCommand: string;
}

export function flowInteraction(ui: AuthCodeUi): Omit<SignInInteraction, 'onCode' | 'signal'> {
  return {
    plan: chooseFlow(settings.signInFlow(), windowKind()),
    openBrowser: async (url) => {
      ui.onAuthorizeUrl(url);
      ui.report(
        vscode.l10n.t({
          message: 'Click Allow in the browser page that opened. [Open page again](command:{0})',
          args: [ui.openAgainCommand],
          comment: ['Markdown link: translate only the text in square brackets. Keep "(command:{0})" exactly as it is: it is a command id, not text.'],
        }),
      );
      await vscode.env.openExternal(vscode.Uri.parse(url, true));
    },
    externalRedirect: async (local) => (await vscode.env.asExternalUri(vscode.Uri.parse(local, true))).toString(true),
    onListening: ui.onListening,
    timeoutMs: ui.timeoutMs,
  };
}
