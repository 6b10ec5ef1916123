// Context keys (package.json's `when` clauses read them) and the one place that sets them.
import * as vscode from 'vscode';

export const ContextKeys = {
  state: 'awsIdc.state',
  /** Two or more portals are signed in (the tree shows a node per portal). */
  severalPortals: 'awsIdc.severalPortals',
  /** The walkthrough's steps watch these and the pulse (see WalkthroughProgress). */
  setupPortal: 'awsIdc.setup.portalConfigured',
  setupSignedIn: 'awsIdc.setup.signedIn',
  setupActiveRole: 'awsIdc.setup.activeRole',
  setupPulse: 'awsIdc.setup.pulse',
  /** Long-term access keys were found (the signed-out welcome view mentions them too). */
  longTermKeys: 'awsIdc.longTermKeys',
  /** A CloudTrail review was shown in this window (Refresh on the Markdown preview's title). */
  cloudTrailShown: 'awsIdc.cloudTrailShown',
} as const;

export type ContextKey = (typeof ContextKeys)[keyof typeof ContextKeys];

/** Sets a context key; the only caller of VS Code's setContext. */
export function setContextKey(key: ContextKey, value: boolean | string): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', key, value);
}
