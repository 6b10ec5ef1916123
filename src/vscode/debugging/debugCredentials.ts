// Debug sessions of any type get what a terminal gets: the configuration is resolved with the role's
// variables in its environment (never written to launch.json), each session with an endpoint token
// of its own that is revoked when the session ends. The role is fixed at launch (the active role, or
// the configuration's `awsIdc` attribute), so a role switch never changes a running session.
import { randomUUID } from 'crypto';
import * as vscode from 'vscode';
import type { PortalCatalogs } from '../../core/accounts/portalCatalogs';
import type { ActiveRole } from '../../core/accounts/activeRole';
import { DisposableStore } from '../../core/common/events';
import type { Logger } from '../../core/common/log';
import { roleKey, type RoleRef } from '../../core/common/model';
import type { ChainedRoleDefinition } from '../../core/credentials/chainedRoles';
import { explicitAwsNames, findLaunchRole, parseLaunchRole, planLaunch, withLaunchVariables, type LaunchConfig } from '../../core/debugging/launchEnv';
import { debugConsumer } from '../../core/common/labels';
import { launchCredentialFailure } from '../../core/credentials/credentialFailure';
import { readEnvFileSafely } from '../../core/debugging/envFile';
import { settings } from '../platform/settings';
import type { TerminalEnvironment } from '../terminals/terminalEnv';

/** Non-secret id of our grant in a resolved configuration, to revoke it when the session ends. */
const GRANT = '__awsIdcGrant';
/** A grant whose session never started (the launch failed) is revoked after this. */
const UNCLAIMED_MS = 2 * 60_000;

export interface DebugCredentialsOptions {
  /** Whether any portal is signed in. */
  signedIn: () => boolean;
  active: ActiveRole;
  /** Every signed-in portal's roles (each carries its portal, so a launch's role is fetched with that portal's sign-in). */
  catalog: PortalCatalogs;
  chained: () => readonly ChainedRoleDefinition[];
  terminals: TerminalEnvironment;
  log: Logger;
  /** Whether a role the configuration names (not the active one) may be used: asks the user (launchApproval.ts). */
  approve: (role: RoleRef, configName: string, folder: vscode.WorkspaceFolder | undefined) => Promise<boolean>;
  /** False in Restricted Mode: nothing is granted until the workspace is trusted. */
  trusted: () => boolean;
  /** A guarded role is asked about before a session gets it, and refused outside its time (core/credentials/roleGuard.ts). */
  guard?: (role: RoleRef) => Promise<boolean>;
}

export class DebugCredentials implements vscode.DebugConfigurationProvider, vscode.Disposable {
  private readonly grants = new Map<string, { release(): void; timer?: NodeJS.Timeout }>();
  private readonly disposables = new DisposableStore();

  constructor(private readonly o: DebugCredentialsOptions) {
    this.disposables.add(
      vscode.debug.registerDebugConfigurationProvider('*', this),
      vscode.debug.onDidStartDebugSession((s) => {
        const grant = this.grants.get(String(s.configuration[GRANT]));
        if (grant?.timer) clearTimeout(grant.timer);
      }),
      vscode.debug.onDidTerminateDebugSession((s) => this.release(String(s.configuration[GRANT]))),
    );
  }

  async resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    // Child sessions (js-debug's targets, a compound's members already resolved) inherit the
    // environment of the process that started them.
    if (config[GRANT] || config.__pendingTargetId || config.__parentId) return config;
    const mode = settings.terminalMode();
    if (mode === 'off' || !this.o.signedIn()) return config;
    if (!this.o.trusted()) {
      this.o.log.info(`[debug] "${config.name ?? config.type}" gets no AWS credentials: the workspace is not trusted (Restricted Mode)`);
      return config;
    }
    const role = this.roleFor(config);
    if (role === null) return undefined; // told the user; the launch stops
    if (!role) return config;
    // A role the repository's configuration chose, not the user: only once the user allowed it here.
    if (role !== this.o.active.current && !(await this.o.approve(role, String(config.name ?? config.type), folder))) return undefined;
    if (this.o.guard && !(await this.o.guard(role))) return undefined; // the guard logged why

    const consumer = debugConsumer(config.name, config.type);
    const explicit = explicitAwsNames(config as LaunchConfig, await this.readEnvFile(config.envFile, consumer));
    // Decided before anything is granted: a configuration with its own credentials gets no token,
    // and the activity log records no hand-out it never used.
    const own = planLaunch(this.o.terminals.regionVariables(role), explicit);
    if (!own.credentials) {
      this.o.log.info(`[debug] ${consumer} sets ${own.kept.join(', ')} itself: its own credentials are used`);
      return withLaunchVariables(config as LaunchConfig, own.vars) as vscode.DebugConfiguration;
    }
    let grant: { vars: Record<string, string>; release(): void };
    try {
      grant = await this.o.terminals.launchGrant(role, consumer);
    } catch (e) {
      // Through the one mapper: a server's own text (it may echo a token) is never shown.
      const err = launchCredentialFailure(e);
      this.o.log.warn(`[debug] no credentials for ${consumer} (${err.causeName ?? err.kind})`);
      void vscode.window.showErrorMessage(err.message);
      return undefined;
    }
    const plan = planLaunch(grant.vars, explicit);
    if (plan.kept.length) this.o.log.info(`[debug] ${consumer} sets ${plan.kept.join(', ')} itself: kept`);
    const id = randomUUID();
    this.grants.set(id, { release: grant.release, timer: setTimeout(() => this.release(id), UNCLAIMED_MS) });
    this.o.log.info(`[debug] ${consumer} gets ${mode}-mode credentials for ${roleKey(role)}`);
    return { ...(withLaunchVariables(config as LaunchConfig, plan.vars) as vscode.DebugConfiguration), [GRANT]: id };
  }

  dispose(): void {
    for (const id of [...this.grants.keys()]) this.release(id);
    this.disposables.dispose();
  }

  /** The configuration's own role, else the active one; null when the one it names is not available. */
  private roleFor(config: vscode.DebugConfiguration): RoleRef | undefined | null {
    const parsed = parseLaunchRole(config.awsIdc);
    if (!parsed.ok) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The "awsIdc" attribute of launch configuration "{0}" {1}.', String(config.name), parsed.error));
      return null;
    }
    if (!parsed.request) return this.o.active.current;
    const role = findLaunchRole(parsed.request, this.o.catalog.allRoles(), this.o.chained());
    if (!role) {
      const wanted = 'name' in parsed.request ? parsed.request.name : `${parsed.request.accountId}/${parsed.request.roleName}`;
      void vscode.window.showErrorMessage(
        vscode.l10n.t({
          message:
            'Launch configuration "{0}" asks for the role {1}, which your IAM Identity Center sign-in cannot use. Change its "awsIdc" attribute, or Refresh Accounts if the role is new.',
          args: [String(config.name), wanted],
          comment: ['{1} is accountId/roleName or the name of a chained role; "awsIdc" is a launch.json attribute name.'],
        }),
      );
      return null;
    }
    return role;
  }

  /** The text of a configuration's envFile, to see which AWS_ variables it sets; '' if none or not safely readable. */
  private async readEnvFile(envFile: unknown, consumer: string): Promise<string> {
    const result = await readEnvFileSafely(envFile);
    if ('problem' in result) this.o.log.warn(`[debug] the envFile of ${consumer} was not read (${result.problem}): its AWS_ variables are not known`);
    return result.text;
  }

  private release(id: string): void {
    const grant = this.grants.get(id);
    if (!grant) return;
    clearTimeout(grant.timer);
    grant.release();
    this.grants.delete(id);
  }
}
