// Marks the walkthrough's steps that are already done: a configured portal, a sign-in, an active
// role. VS Code's walkthrough service marks an `onContext:` step only when a key of its expression
// CHANGES while the expression holds, and an expression that already holds when the walkthrough is
// registered is never marked in that session. The service registers walkthroughs lazily, when a
// Welcome or walkthrough page first opens (seen on 1.100 and 1.139). So each step's expression is
// "<fact> && awsIdc.setup.pulse": the fact keys follow the live state, and the pulse key is true
// only for a moment, after a walkthrough page opens, after Get Started and whenever a fact changes,
// so registration always sees the expressions false and the next pulse marks what is done.
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/events';
import { readSsoSessions } from '../../core/awsFiles/awsConfigRead';
import type { ActiveRole } from '../../core/accounts/activeRole';
import type { SessionView } from './activeSessionView';
import { checkRegion, checkStartUrl } from '../../core/common/validate';
import { ContextKeys, setContextKey, type ContextKey } from '../platform/contextKeys';
import { settings } from '../platform/settings';

/** Time for a page that just opened to register its walkthroughs before the pulse. */
const SETTLE_MS = 500;
const PULSE_MS = 1_500;

export interface WalkthroughProgressOptions {
  session: SessionView;
  active: ActiveRole;
}

export class WalkthroughProgress implements vscode.Disposable {
  private readonly facts = new Map<ContextKey, boolean>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly subscriptions = new DisposableStore();

  constructor(private readonly opts: WalkthroughProgressOptions) {
    this.subscriptions.add(
      opts.session.onDidChange(() => void this.update(false)),
      opts.active.onDidChange(() => void this.update(false)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (['startUrl', 'region', 'ssoSession'].some((k) => settings.affects(e, k))) void this.update(false);
      }),
      // A walkthrough or Welcome page is an editor of a type the API does not model.
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        if (e.opened.some((t) => !isModelledInput(t.input))) this.pulseSoon(SETTLE_MS, true);
      }),
    );
    // The first pulse covers a Welcome page shown at startup, before we activated. It reads
    // settings only: ~/.aws/config needs the SDK's INI parser, which activation does not load.
    this.pulseSoon(SETTLE_MS, false);
  }

  /** Get Started: after the walkthrough opened, mark what is already done. */
  afterOpened(): void {
    this.pulseSoon(SETTLE_MS, true);
  }

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.subscriptions.dispose();
  }

  /** `withAwsConfig`: also look for an [sso-session] in ~/.aws/config. */
  private async update(withAwsConfig: boolean): Promise<boolean> {
    const state = this.opts.session.state.kind;
    const portal = state === 'signedIn' || portalInSettings() || (withAwsConfig && (await portalInAwsConfig()));
    const changed = [
      this.setFact(ContextKeys.setupSignedIn, state === 'signedIn'),
      this.setFact(ContextKeys.setupActiveRole, state === 'signedIn' && !!this.opts.active.current),
      // Once seen, a configured portal stays known until something says otherwise.
      this.setFact(ContextKeys.setupPortal, portal || (!withAwsConfig && this.facts.get(ContextKeys.setupPortal) === true)),
    ].some(Boolean);
    if (changed) this.pulseSoon(0, false);
    return changed;
  }

  private setFact(key: ContextKey, value: boolean): boolean {
    if (this.facts.get(key) === value) return false;
    this.facts.set(key, value);
    void setContextKey(key, value);
    return true;
  }

  private pulseSoon(delayMs: number, withAwsConfig: boolean): void {
    this.later(delayMs, async () => {
      await this.update(withAwsConfig);
      await setContextKey(ContextKeys.setupPulse, true);
      this.later(PULSE_MS, () => setContextKey(ContextKeys.setupPulse, false));
    });
  }

  private later(ms: number, fn: () => unknown): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      void fn();
    }, ms);
    this.timers.add(t);
  }
}

function isModelledInput(input: unknown): boolean {
  return [
    vscode.TabInputText,
    vscode.TabInputTextDiff,
    vscode.TabInputCustom,
    vscode.TabInputWebview,
    vscode.TabInputNotebook,
    vscode.TabInputNotebookDiff,
    vscode.TabInputTerminal,
  ].some((type) => input instanceof type);
}

/** A portal Sign In would use without asking: valid settings, a named sso-session, or one in ~/.aws/config. */
function portalInSettings(): boolean {
  return (checkStartUrl(settings.startUrl()).ok && checkRegion(settings.region()).ok) || !!settings.ssoSession();
}

async function portalInAwsConfig(): Promise<boolean> {
  return (await readSsoSessions().catch(() => ({ sessions: [] }))).sessions.length > 0;
}
