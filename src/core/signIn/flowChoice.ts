// Which sign-in flow a window uses, as a pure decision (table-tested), like the AWS Toolkit and the
// AWS CLI: the authorization code with PKCE wherever the browser's redirect can reach the extension
// host's loopback listener, the device code where it cannot.
import type { SignInFlow } from '../common/model';

/** awsIdc.signIn.flow (user settings only). */
export type SignInFlowSetting = 'auto' | SignInFlow;

export function parseFlowSetting(value: unknown): SignInFlowSetting {
  return value === 'authorizationCode' || value === 'deviceCode' ? value : 'auto';
}

/**
 * - `desktop`: a local window; the browser runs on the extension host's machine.
 * - `web`: VS Code for the Web or code-server (vscode.env.uiKind Web): the browser may be anywhere.
 * - `remote`: a desktop window on a remote extension host (SSH, WSL, containers, Codespaces).
 */
export type WindowKind = 'desktop' | 'web' | 'remote';

export type FlowPlan =
  | { flow: 'deviceCode' }
  /**
   * `redirect`: `local` sends the browser to the listener's own address; `forwarded` asks the editor
   * to forward it (asExternalUri) and, when that gives no loopback address on the user's side,
   * `fallback` says what happens: the device code (auto) or the local address anyway (the user chose it).
   */
  | { flow: 'authorizationCode'; redirect: 'local' }
  | { flow: 'authorizationCode'; redirect: 'forwarded'; fallback: 'deviceCode' | 'local' };

export function chooseFlow(setting: SignInFlowSetting, window: WindowKind): FlowPlan {
  if (setting === 'deviceCode') return { flow: 'deviceCode' };
  if (setting === 'authorizationCode')
    return window === 'remote' ? { flow: 'authorizationCode', redirect: 'forwarded', fallback: 'local' } : { flow: 'authorizationCode', redirect: 'local' };
  // auto
  if (window === 'desktop') return { flow: 'authorizationCode', redirect: 'local' };
  if (window === 'remote') return { flow: 'authorizationCode', redirect: 'forwarded', fallback: 'deviceCode' };
  return { flow: 'deviceCode' };
}
