// Signing in and out: one sign-in per portal (settings and each [sso-session]), the sign-in UI, VS
// Code's Accounts menu, notices before and after a sign-in ends, and other windows' sign-ins.
import * as vscode from 'vscode';
import { CliTokenCache } from '../../core/awsFiles/cliTokenCache';
import { systemClock } from '../../core/common/clock';
import { DisposableStore } from '../../core/common/events';
import { Portals } from '../../core/signIn/portals';
import { Commands } from '../platform/commandIds';
import { ContextKeys, setContextKey } from '../platform/contextKeys';
import type { Platform } from '../platform';
import { settings } from '../platform/settings';
import { IdentityCenterAuthProvider } from './authProvider';
import { OtherWindows } from './otherWindows';
import { SessionNotices } from './sessionNotices';
import { SignInUi } from './signInUi';
import { signOutPortals } from './signOut';

export interface SignInOptions {
  platform: Platform;
}

export interface SignIn extends vscode.Disposable {
  portals: Portals;
  ui: SignInUi;
  notices: SessionNotices;
  auth: IdentityCenterAuthProvider;
  otherWindows: OtherWindows;
  /** True when signed in to some portal, else asks to sign in first (and does when the user says so). */
  ensureSignedIn(): Promise<boolean>;
  /** Signs out of one portal (its id), or asks which when several are signed in; false when the user backed out. */
  signOut(portal?: string): Promise<boolean>;
}

export function registerSignIn({ platform }: SignInOptions): SignIn {
  const { context, log, secrets, command } = platform;
  const store = new DisposableStore();
  const portals = store.add(Portals.create({ store: secrets, clock: systemClock, log, cliCache: new CliTokenCache(), shareWithCli: settings.shareWithAwsCli }));
  const otherWindows = store.add(new OtherWindows(secrets, portals, log));
  const ui = store.add(new SignInUi(portals, log, otherWindows));
  const notices = store.add(new SessionNotices({ portals, clock: systemClock, warnBeforeMs: settings.warnBeforeMs }));
  const where = { portals, state: context.globalState, listingRoot: context.globalStorageUri.fsPath };
  const signOut = (portal?: string): Promise<boolean> => signOutPortals(where, portal);
  const auth = store.add(
    new IdentityCenterAuthProvider({ portals, signIn: (startUrl) => ui.signIn(startUrl), signOut: (portal) => signOut(portal).then(() => undefined) }),
  );
  const ensureSignedIn = async (): Promise<boolean> => {
    if (portals.summary === 'signedIn') return true;
    const signIn = vscode.l10n.t('Sign In');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Sign in to AWS IAM Identity Center first.'), signIn);
    return choice === signIn ? ui.signIn() : false;
  };
  const showState = (): void => {
    void setContextKey(ContextKeys.state, portals.summary);
    void setContextKey(ContextKeys.severalPortals, portals.signedIn.length > 1);
  };
  void portals.ready.then(showState);
  store.add(
    portals.onDidChange(showState),
    // Sharing switched on while signed in: the AWS CLI can use these sign-ins at once; off: the token files we wrote go.
    vscode.workspace.onDidChangeConfiguration((e) => settings.affects(e, 'shareWithAwsCli') && portals.shareWithCli(settings.shareWithAwsCli())),
    // Secret changes are not broadcast between windows in every host (VS Code for the Web).
    vscode.window.onDidChangeWindowState((w) => w.focused && void portals.reload()),
    // A start URL argument (a notice's Sign In Again, VS Code's Accounts menu) signs in to that portal.
    command(Commands.signIn, (startUrl?: unknown) => ui.signIn(typeof startUrl === 'string' ? startUrl : undefined)),
    command(Commands.signOut, async () => {
      if (!(await signOut())) return;
      void vscode.window.showInformationMessage(
        portals.all.length
          ? vscode.l10n.t('Signed out of that AWS access portal; its terminal credentials were removed. Your other sign-ins stay.')
          : vscode.l10n.t('Signed out of AWS IAM Identity Center. Terminal credentials were removed.'),
      );
    }),
  );
  return { portals, ui, notices, auth, otherWindows, ensureSignedIn, signOut, dispose: () => store.dispose() };
}
