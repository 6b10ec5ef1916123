import * as vscode from 'vscode';
import { decideRegion, type RegionUse } from '../../core/common/region';
import { guardedRolePatterns } from '../../core/credentials/guardedRolePatterns';
import { parseFlowSetting, type SignInFlowSetting } from '../../core/signIn/flowChoice';
import type { SessionState } from '../../core/signIn/session';
import type { TerminalMode } from '../../core/terminals/terminalEnv';

const SECTION = 'awsIdc';

/**
 * Settings that decide where a token is sent are read from user (global) settings only:
 * a cloned repository's .vscode/settings.json must never redirect a sign-in.
 */
function userOnly(key: string): string {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown>(key);
  const value = inspected?.globalValue;
  return typeof value === 'string' ? value.trim() : '';
}

function userOnlyFlag(key: string): boolean {
  return vscode.workspace.getConfiguration(SECTION).inspect<unknown>(key)?.globalValue === true;
}

function numberSetting(key: string, fallback: number, min: number, max: number): number {
  const value = vscode.workspace.getConfiguration(SECTION).get<unknown>(key);
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(Math.max(value, min), max) : fallback;
}

export const settings = {
  startUrl: (): string => userOnly('startUrl'),
  region: (): string => userOnly('region'),
  ssoSession: (): string => userOnly('ssoSession'),
  /** Which sign-in flow (awsIdc.signIn.flow): it decides where the browser sends the code, so the user's choice only. */
  signInFlow: (): SignInFlowSetting => parseFlowSetting(vscode.workspace.getConfiguration(SECTION).inspect<unknown>('signIn.flow')?.globalValue),
  /** Writing tokens to ~/.aws/sso/cache is a user decision; a workspace cannot turn it on. */
  shareWithAwsCli: (): boolean => userOnlyFlag('shareWithAwsCli'),
  /** Roles to assume from Identity Center roles; user settings only (a repository must not pick what you assume). */
  chainedRoles: (): unknown => vscode.workspace.getConfiguration(SECTION).inspect<unknown>('chainedRoles')?.globalValue ?? [],
  /** Env mode puts keys in every terminal's environment (saved with persistent sessions): the user's choice only. */
  terminalMode: (): TerminalMode => {
    const v = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('terminal.mode')?.globalValue;
    return v === 'env' || v === 'off' ? v : 'endpoint';
  },
  terminalRegion: (): string => {
    const v = vscode.workspace.getConfiguration(SECTION).get<unknown>('terminal.region');
    return typeof v === 'string' ? v.trim() : '';
  },
  /** Guarded roles: user settings only (a repository must not unguard a role or lengthen its time). */
  guardedRoles: (): string[] => guardedRolePatterns(vscode.workspace.getConfiguration(SECTION).inspect<unknown>('guardedRoles')?.globalValue),
  guardedRolesNoPrompt: (): string[] => {
    const v = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('guardedRolesNoPrompt')?.globalValue;
    return Array.isArray(v) ? v.filter((e): e is string => typeof e === 'string' && e.trim() !== '').map((e) => e.trim()) : [];
  },
  guardedRoleMinutes: (): number => {
    const v = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('guardedRoleMinutes')?.globalValue;
    return typeof v === 'number' && Number.isFinite(v) ? Math.min(Math.max(v, 0.5), 1440) : 60; // 30 s at least: short boxes for a try-out
  },
  refreshBeforeMs: (): number => numberSetting('refreshBeforeExpiry', 15, 1, 720) * 60_000,
  warnBeforeMs: (): number => numberSetting('warnBeforeExpiry', 10, 1, 720) * 60_000,
  async saveTarget(startUrl: string, region: string): Promise<void> {
    const config = vscode.workspace.getConfiguration(SECTION);
    await config.update('startUrl', startUrl, vscode.ConfigurationTarget.Global);
    await config.update('region', region, vscode.ConfigurationTarget.Global);
  },
  affects: (e: vscode.ConfigurationChangeEvent, key: string): boolean => e.affectsConfiguration(`${SECTION}.${key}`),
};

/** The region for `use`, from the sign-in, the settings and the role's own region (decided by core's decideRegion). */
export function regionFor(use: RegionUse, session: { readonly state: SessionState }, roleRegion?: string): string {
  const state = session.state;
  return decideRegion(use, {
    signedIn: state.kind === 'signedIn' ? state.region : undefined,
    setting: settings.region(),
    terminal: settings.terminalRegion(),
    role: use === 'identityCenter' ? undefined : roleRegion,
  });
}
