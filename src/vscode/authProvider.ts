// VS Code's authentication API: the sign-in appears in the Accounts menu, and other extensions can
// ask for it through vscode.authentication.getSession('awsIdc', ['sso:account:access']). VS Code
// asks the user before it hands a session to another extension.
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { DisposableStore } from '../core/common/events';
import { SSO_SCOPE } from '../core/common/model';
import type { Session } from '../core/signIn/session';

export const AUTH_PROVIDER_ID = 'awsIdc';
export const AUTH_PROVIDER_LABEL = 'AWS IAM Identity Center';
/** The only scope there is: the portal access that the sign-in grants. */
export const PORTAL_SCOPE = SSO_SCOPE;

export interface AuthProviderOptions {
  session: Session;
  /** Runs the interactive sign-in; true when signed in. */
  signIn: () => Promise<boolean>;
  signOut: () => Promise<void>;
}

export class IdentityCenterAuthProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  private readonly disposables = new DisposableStore(this.changed);
  /** What other extensions were last told about (kept in memory only). */
  private published: vscode.AuthenticationSession | undefined;
  private announcing: Promise<void> = Promise.resolve();

  constructor(private readonly o: AuthProviderOptions) {
    this.disposables.add(
      vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, this, { supportsMultipleAccounts: false }),
      o.session.onDidChange(() => this.announce()),
    );
    void o.session.ready.then(() => this.announce());
  }

  async getSessions(scopes?: readonly string[]): Promise<vscode.AuthenticationSession[]> {
    if (!supported(scopes)) return [];
    const current = await this.current();
    return current ? [current] : [];
  }

  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    if (!supported(scopes))
      throw new Error(
        vscode.l10n.t({
          message: 'AWS IAM Identity Center only offers the scope {0}.',
          args: [PORTAL_SCOPE],
          comment: ['{0} is an authentication scope name: an identifier, not text.'],
        }),
      );
    const current = (await this.current()) ?? ((await this.o.signIn()) ? await this.current() : undefined);
    if (!current) throw new Error(vscode.l10n.t('Sign-in to AWS IAM Identity Center was cancelled or failed.'));
    return current;
  }

  async removeSession(): Promise<void> {
    await this.o.signOut();
  }

  dispose(): void {
    this.disposables.dispose();
  }

  private async current(): Promise<vscode.AuthenticationSession | undefined> {
    const state = this.o.session.state;
    if (state.kind !== 'signedIn') return undefined;
    let accessToken: string;
    try {
      accessToken = await this.o.session.accessToken();
    } catch {
      return undefined;
    }
    return {
      id: sessionId(state.startUrl, state.region),
      accessToken,
      account: { id: state.startUrl, label: `${safeHost(state.startUrl)} (${state.region})` },
      scopes: [PORTAL_SCOPE],
    };
  }

  /** Tells VS Code (and so other extensions) when the session appears, changes token or ends, in order. */
  private announce(): void {
    this.announcing = this.announcing.then(
      () => this.announceNow(),
      () => this.announceNow(),
    );
  }

  private async announceNow(): Promise<void> {
    const next = await this.current();
    const before = this.published;
    this.published = next;
    if (!before && next) this.changed.fire({ added: [next], removed: [], changed: [] });
    else if (before && !next) this.changed.fire({ added: [], removed: [before], changed: [] });
    else if (before && next && before.id !== next.id) this.changed.fire({ added: [next], removed: [before], changed: [] });
    else if (before && next && before.accessToken !== next.accessToken) this.changed.fire({ added: [], removed: [], changed: [next] });
  }
}

function supported(scopes: readonly string[] | undefined): boolean {
  return !scopes || scopes.every((s) => s === PORTAL_SCOPE);
}

/** Stable per portal and region, and reveals neither. */
function sessionId(startUrl: string, region: string): string {
  return `awsIdc-${createHash('sha256').update(`${startUrl} ${region}`).digest('hex').slice(0, 16)}`;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
