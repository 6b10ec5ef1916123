// VS Code's authentication API: the sign-in appears in the Accounts menu, and other extensions can
// ask for it through vscode.authentication.getSession('awsIdc', ['sso:account:access']). VS Code
// asks the user before it hands a session to another extension.
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/events';
import { SSO_SCOPE } from '../../core/common/model';
import type { Portals } from '../../core/signIn/portals';
import { sameStartUrl } from '../../core/common/validate';

export const AUTH_PROVIDER_ID = 'awsIdc';
export const AUTH_PROVIDER_LABEL = 'AWS IAM Identity Center';
/** The only scope there is: the portal access that the sign-in grants. */
export const PORTAL_SCOPE = SSO_SCOPE;

export interface AuthProviderOptions {
  portals: Portals;
  /** Runs the interactive sign-in (to that start URL when given); true when signed in. */
  signIn: (startUrl?: string) => Promise<boolean>;
  /** Signs out of one portal (by id), or asks which when none is given. */
  signOut: (portal?: string) => Promise<void>;
}

/**
 * One AuthenticationSession per signed-in portal: its account id is the start URL, so an extension
 * that asks for a session with `account: { id: <start URL> }` gets that portal's (and Sign In to
 * that portal when it is not signed in yet); one that names no account gets the first portal's.
 * `supportsMultipleAccounts` stays false: VS Code would otherwise put an account picker in front of
 * the consent dialog even with one portal signed in.
 */
export class IdentityCenterAuthProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  private readonly disposables = new DisposableStore(this.changed);
  /** What other extensions were last told about, by session id (kept in memory only). */
  private published = new Map<string, vscode.AuthenticationSession>();
  private announcing: Promise<void> = Promise.resolve();

  constructor(private readonly o: AuthProviderOptions) {
    this.disposables.add(
      vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, this, { supportsMultipleAccounts: false }),
      o.portals.onDidChange(() => this.announce()),
    );
    void o.portals.ready.then(() => this.announce());
  }

  async getSessions(scopes?: readonly string[], options?: vscode.AuthenticationProviderSessionOptions): Promise<vscode.AuthenticationSession[]> {
    if (!supported(scopes)) return [];
    const all = await this.current();
    const wanted = options?.account?.id;
    return wanted ? all.filter((s) => sameStartUrl(s.account.id, wanted)) : all;
  }

  async createSession(scopes: readonly string[], options?: vscode.AuthenticationProviderSessionOptions): Promise<vscode.AuthenticationSession> {
    if (!supported(scopes))
      throw new Error(
        vscode.l10n.t({
          message: 'AWS IAM Identity Center only offers the scope {0}.',
          args: [PORTAL_SCOPE],
          comment: ['{0} is an authentication scope name: an identifier, not text.'],
        }),
      );
    const wanted = options?.account?.id;
    const find = async (): Promise<vscode.AuthenticationSession | undefined> => (await this.getSessions(scopes, options))[0];
    const current = (wanted ? await find() : undefined) ?? ((await this.o.signIn(wanted)) ? await this.newest(wanted) : undefined);
    if (!current) throw new Error(vscode.l10n.t('Sign-in to AWS IAM Identity Center was cancelled or failed.'));
    return current;
  }

  async removeSession(sessionId: string): Promise<void> {
    const portal = this.o.portals.signedIn.find(({ info }) => idOf(info.startUrl, info.region) === sessionId);
    // VS Code names a session it was given; one already gone needs nothing.
    if (portal) await this.o.signOut(portal.info.id);
  }

  dispose(): void {
    this.disposables.dispose();
  }

  /** The session for `startUrl`, else the last one signed in. */
  private async newest(startUrl?: string): Promise<vscode.AuthenticationSession | undefined> {
    const all = await this.current();
    return (startUrl ? all.find((s) => sameStartUrl(s.account.id, startUrl)) : undefined) ?? all.at(-1);
  }

  private async current(): Promise<vscode.AuthenticationSession[]> {
    const out: vscode.AuthenticationSession[] = [];
    for (const { session } of this.o.portals.signedIn) {
      const state = session.state;
      if (state.kind !== 'signedIn') continue;
      let accessToken: string;
      try {
        accessToken = await session.accessToken();
      } catch {
        continue;
      }
      out.push({
        id: idOf(state.startUrl, state.region),
        accessToken,
        account: { id: state.startUrl, label: `${safeHost(state.startUrl)} (${state.region})` },
        scopes: [PORTAL_SCOPE],
      });
    }
    return out;
  }

  /** Tells VS Code (and so other extensions) when sessions appear, change token or end, in order. */
  private announce(): void {
    this.announcing = this.announcing.then(
      () => this.announceNow(),
      () => this.announceNow(),
    );
  }

  private async announceNow(): Promise<void> {
    const next = new Map((await this.current()).map((s) => [s.id, s]));
    const before = this.published;
    this.published = next;
    const added = [...next.values()].filter((s) => !before.has(s.id));
    const removed = [...before.values()].filter((s) => !next.has(s.id));
    const changed = [...next.values()].filter((s) => before.has(s.id) && before.get(s.id)!.accessToken !== s.accessToken);
    if (added.length || removed.length || changed.length) this.changed.fire({ added, removed, changed });
  }
}

function supported(scopes: readonly string[] | undefined): boolean {
  return !scopes || scopes.every((s) => s === PORTAL_SCOPE);
}

/** Stable per portal and region, and reveals neither. */
function idOf(startUrl: string, region: string): string {
  return `awsIdc-${createHash('sha256').update(`${startUrl} ${region}`).digest('hex').slice(0, 16)}`;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
