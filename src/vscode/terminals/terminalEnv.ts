// Gives integrated terminals the active role's credentials. In endpoint mode terminals get a
// loopback URL and token once, and every fetch returns fresh keys for whatever role is active
// then. In env mode the keys themselves go in the collection (VS Code marks old terminals stale).
// The collection is never persistent: credentials must not reach disk.
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/events';
import type { ActiveRole } from '../../core/accounts/activeRole';
import type { CredentialBroker } from '../../core/credentials/broker';
import type { CredentialBinding, CredentialServer } from '../../core/terminals/credentialServer';
import { IdcError, errorName } from '../../core/common/errors';
import type { Logger } from '../../core/common/log';
import type { RoleCredentialsSecret, RoleRef } from '../../core/common/model';
import { roleKey } from '../../core/common/model';
import type { SessionView } from '../accounts/activeSessionView';
import { endpointVariables, envVariables, neutralisedNames, environmentOverrides, regionVariables, TerminalVariables } from '../../core/terminals/terminalEnv';
import { regionFor, settings } from '../platform/settings';
import type { EndpointRevival } from './endpointRevival';
import { boundTerminalLaunch } from './boundTerminalLaunch';
import { isTrusted, onDidGrantTrust, requireTrust } from '../platform/workspaceTrust';

export interface TerminalEnvironmentOptions {
  /** context.environmentVariableCollection. */
  collection: vscode.GlobalEnvironmentVariableCollection;
  session: SessionView;
  active: ActiveRole;
  broker: CredentialBroker;
  /** Starts the loopback credential endpoint (on first use). */
  startServer: () => Promise<CredentialServer>;
  log: Logger;
  /** Records which terminal got which credentials (the activity log; nothing secret). */
  served?: (creds: RoleCredentialsSecret, consumer: string) => void;
  /** Keeps the active binding's URL and token across reloads and names terminals that lose theirs (endpointRevival.ts). */
  revival?: Pick<EndpointRevival, 'identity' | 'rotate' | 'track'>;
  /** Puts the terminal profile in place; its name, or undefined when terminals cannot select it. */
  profile?: () => Promise<string | undefined>;
  /** Refuses a guarded role outside its time box (core/credentials/roleGuard.ts): throws the endpoint's refusal. */
  guard?: { check(role: RoleRef): void };
  /** A role's own region (Set Role Region or its AWS CLI profile), else undefined. */
  roleRegion?: (role: RoleRef) => string | undefined;
}

export class TerminalEnvironment implements vscode.Disposable {
  private binding: CredentialBinding | undefined;
  private serverPromise: Promise<CredentialServer> | undefined;
  private readonly bound = new Map<vscode.Terminal, vscode.Disposable>();
  private readonly disposables = new DisposableStore();
  private applied = '';
  /** When the endpoint last handed out credentials (Date.now()), for telling whether an AWS command used it. */
  lastServedAt = 0;

  constructor(private readonly o: TerminalEnvironmentOptions) {
    o.collection.persistent = false;
    o.collection.description = new vscode.MarkdownString(
      vscode.l10n.t({
        message: 'AWS Identity Center: short-lived credentials for the active role',
        comment: ['Shown where VS Code lists which extensions change the terminal environment.'],
      }),
    );
    this.disposables.add(
      o.session.onDidChange(() => void this.update()),
      o.active.onDidChange(() => void this.update()),
      o.broker.onDidRefresh((creds) => {
        if (settings.terminalMode() === 'env' && this.o.active.current && roleKey(creds) === roleKey(this.o.active.current)) void this.update();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (settings.affects(e, 'terminal')) void this.update();
      }),
      vscode.window.onDidOpenTerminal((t) => {
        if (this.applied.startsWith('endpoint:')) o.revival?.track(t, 'active');
      }),
      onDidGrantTrust(() => void this.update()),
      vscode.window.onDidCloseTerminal((t) => {
        this.bound.get(t)?.dispose();
        this.bound.delete(t);
      }),
    );
    void this.update();
  }

  /** Brings the collection in line with the mode, sign-in and active role. */
  async update(): Promise<void> {
    const mode = settings.terminalMode();
    const role = this.o.active.current;
    // Restricted Mode: nothing until the user trusts the workspace (workspaceTrust.ts).
    if (mode === 'off' || !isTrusted() || this.o.session.state.kind !== 'signedIn' || !role) {
      this.clear();
      return;
    }
    const region = this.region(role);
    let vars: TerminalVariables;
    if (mode === 'endpoint') {
      const [binding, profile] = await Promise.all([this.activeBinding(), this.o.profile?.()]);
      vars = endpointVariables(binding, region, process.env, { profile });
    } else {
      try {
        this.o.guard?.check(role); // env mode: a guarded role's keys only inside its time
        const [creds, profile] = await Promise.all([this.o.broker.get(role), this.o.profile?.()]);
        vars = envVariables(creds, region, process.env, { profile });
        this.o.served?.(creds, 'new terminals (environment variables)');
      } catch (e) {
        this.o.log.warn(`[terminal] no credentials for ${roleKey(role)} yet (${errorName(e)})`);
        if (e instanceof IdcError && e.kind === 'denied') this.clear();
        return;
      }
    }
    this.apply(vars, mode, role);
    this.warnAboutOverrides(vars.AWS_PROFILE);
  }

  /** A terminal bound to one role, untouched by later role switches; closing it revokes its token. */
  async openBoundTerminal(role: RoleRef & { accountName: string }): Promise<vscode.Terminal> {
    requireTrust();
    const label = `${role.accountName}/${role.roleName}`;
    const { binding, release } = await this.bindRole(role, label, `terminal "AWS: ${label}"`);
    const terminal = vscode.window.createTerminal({
      name: vscode.l10n.t({ message: 'AWS: {0}', args: [label], comment: ['Terminal name: {0} is account name/role name.'] }),
      iconPath: new vscode.ThemeIcon('key'),
      ...boundTerminalLaunch(binding, this.region(role), await this.o.profile?.()),
    });
    this.bound.set(terminal, { dispose: release });
    this.o.revival?.track(terminal, 'bound');
    this.o.log.info(`[terminal] opened a terminal bound to ${roleKey(role)}`);
    return terminal;
  }

  /**
   * Credentials for one launched process bound to `role` (a debug session), in the current mode:
   * an endpoint path and token of its own, revoked by release(), or the keys as they are now.
   */
  async launchGrant(role: RoleRef, consumer: string): Promise<{ vars: TerminalVariables; release(): void }> {
    requireTrust();
    const region = this.region(role);
    if (settings.terminalMode() === 'env') {
      this.o.guard?.check(role);
      const [fetched, profile] = await Promise.all([this.o.broker.get(role), this.o.profile?.()]);
      const creds = this.serve(fetched, consumer);
      return { vars: envVariables(creds, region, process.env, { profile }), release: () => undefined };
    }
    const [{ binding, release }, profile] = await Promise.all([this.bindRole(role, consumer, consumer), this.o.profile?.()]);
    return { vars: endpointVariables(binding, region, process.env, { profile }), release };
  }

  /** Pushes the collection again (a change VS Code compares revived terminals against: endpointRevival.ts). */
  reapplyCollection(): void {
    this.applied = '';
    void this.update();
  }

  /** AWS_REGION/AWS_DEFAULT_REGION as terminals get them (of `role`, default the active one). */
  regionVariables(role?: RoleRef): TerminalVariables {
    return regionVariables(this.region(role));
  }

  /** An endpoint path and token that always serve `role`, kept fresh until released. */
  private async bindRole(role: RoleRef, label: string, consumer: string): Promise<{ binding: CredentialBinding; release(): void }> {
    const server = await this.server();
    const keepFresh = this.o.broker.keepFresh(role);
    // A guarded role's binding is refused once its time is up (checked on every fetch).
    const binding = server.bind(label, () => this.guarded(role).then(() => this.o.broker.get(role).then((c) => this.serve(c, consumer))));
    return {
      binding,
      release: () => {
        binding.dispose();
        keepFresh.dispose();
      },
    };
  }

  /** Warns once if the user's environment sets variables that would win over the active role. */
  private warnAboutOverrides(profile: string | undefined): void {
    const names = environmentOverrides(process.env, settings.terminalMode(), { profile });
    if (!names.length || this.warnedOverrides) return;
    this.warnedOverrides = true;
    const list = names.join(', ');
    const message =
      names.length > 1
        ? vscode.l10n.t({
            message:
              "{0} are set in VS Code's environment, so the AWS CLI and SDKs in terminals use that instead of the active role. Unset {0} in your shell profile (a blank value makes the AWS CLI fail, so it cannot be neutralised for you).",
            args: [list],
            comment: ['{0}: environment variable names, e.g. "AWS_PROFILE, AWS_DEFAULT_PROFILE"'],
          })
        : vscode.l10n.t({
            message:
              "{0} is set in VS Code's environment, so the AWS CLI and SDKs in terminals use that instead of the active role. Unset {0} in your shell profile (a blank value makes the AWS CLI fail, so it cannot be neutralised for you).",
            args: [list],
            comment: ['{0}: an environment variable name, e.g. AWS_PROFILE'],
          });
    this.o.log.warn(`[terminal] ${message}`);
    void vscode.window.showWarningMessage(message);
  }

  private warnedOverrides = false;

  clear(): void {
    if (this.applied) this.o.log.info('[terminal] terminal credentials cleared');
    this.o.collection.clear();
    this.applied = '';
    // Revoked on purpose: the next binding gets a new URL and token (not on shutdown: a reload restores it).
    if (this.binding && !this.disposing) this.o.revival?.rotate();
    this.binding?.dispose();
    this.binding = undefined;
  }

  private disposing = false;

  dispose(): void {
    this.disposing = true;
    this.clear();
    for (const d of this.bound.values()) d.dispose();
    this.bound.clear();
    this.disposables.dispose();
    void this.serverPromise?.then(
      (s) => s.dispose(),
      () => undefined,
    );
  }

  private region(role: RoleRef | undefined = this.o.active.current): string {
    return regionFor('tools', this.o.session, role && this.o.roleRegion?.(role));
  }

  /** Resolves when `role` may have credentials now; rejects with the guard's refusal otherwise. */
  private async guarded(role: RoleRef): Promise<void> {
    this.o.guard?.check(role);
  }

  private server(): Promise<CredentialServer> {
    this.serverPromise ??= this.o.startServer();
    this.serverPromise.catch(() => (this.serverPromise = undefined));
    return this.serverPromise;
  }

  private async activeBinding(): Promise<CredentialBinding> {
    if (!this.binding) {
      const server = await this.server();
      const identity = await this.o.revival?.identity();
      if (this.binding) return this.binding; // another update() bound it meanwhile
      // The binding serves whatever role is active at the time of each request.
      this.binding = server.bind(
        'active role',
        () => {
          const role = this.o.active.current;
          if (!role || this.o.session.state.kind !== 'signedIn') {
            return Promise.reject(new IdcError('sessionEnded', "Not signed in to AWS IAM Identity Center. Run 'AWS Identity Center: Sign In' in VS Code."));
          }
          return this.guarded(role).then(() => this.o.broker.get(role).then((c) => this.serve(c, 'terminals (active role endpoint)')));
        },
        identity,
      );
    }
    return this.binding;
  }

  private serve(creds: RoleCredentialsSecret, consumer: string): RoleCredentialsSecret {
    this.lastServedAt = Date.now();
    this.o.served?.(creds, consumer);
    return creds;
  }

  private apply(vars: TerminalVariables, mode: 'endpoint' | 'env', role: RoleRef): void {
    // Endpoint variables change only with the binding (open terminals stay valid across role
    // switches); env variables change with every fetch of fresh keys.
    const key =
      mode === 'endpoint'
        ? `endpoint:${vars.AWS_CONTAINER_CREDENTIALS_FULL_URI}:${vars.AWS_PROFILE ?? ''}:${vars.AWS_REGION ?? ''}`
        : `env:${roleKey(role)}:${vars.AWS_ACCESS_KEY_ID}:${vars.AWS_REGION ?? ''}`;
    if (key === this.applied) return;
    this.o.collection.clear();
    for (const [name, value] of Object.entries(vars)) this.o.collection.replace(name, value);
    this.applied = key;
    this.o.log.info(
      `[terminal] new terminals get ${mode}-mode credentials for ${roleKey(role)}; blanked ${neutralisedNames(mode).join(', ') || 'nothing'} so they cannot override them${vars.AWS_PROFILE ? `; they select [profile ${vars.AWS_PROFILE}] with AWS_PROFILE` : ''}`,
    );
  }
}
