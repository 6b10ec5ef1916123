// Guarded roles (awsIdc.guardedRoles): powerful access made deliberate and short. A guarded role is
// used only after the user said yes in this VS Code session (or listed it in awsIdc.guardedRolesNoPrompt),
// and only for awsIdc.guardedRoleMinutes from that yes (its time box): then the active role returns
// to the one before it, and whatever is bound to it (terminals, debug sessions) is refused. A minute
// ahead, onWillEnd lets the adapter offer more time. Boxes are kept in globalState (no secrets), so a
// window reload keeps a running one; a guarded role restored without one is not kept active.
import * as l10n from '@vscode/l10n';
import type { ActiveRole, ActiveRoleChoice } from '../accounts/activeRole';
import type { Clock } from '../common/clock';
import { IdcError } from '../common/errors';
import { Emitter, type Disposable } from '../common/events';
import type { Logger } from '../common/log';
import { roleKey, type RoleRef } from '../common/model';
import { STATE_KEYS } from '../common/storageKeys';
import type { StateStore } from '../common/stores';
import { guardingPattern, type GuardedRoleFacts } from './guardedRolePatterns';

/** What a guarded role is about to be used for (the question says which). */
export type GuardPurpose = 'activate' | 'terminal' | 'debug' | 'console' | 'copy';
/** `always`: allow, and add the role to the user's list of guarded roles that are not asked about. */
export type GuardAnswer = 'allow' | 'always' | 'refuse';

export interface GuardQuestion {
  role: ActiveRoleChoice;
  purpose: GuardPurpose;
  /** The pattern that guards it (the question says why it asks). */
  pattern: string;
  minutes: number;
}

export interface RoleGuardOptions {
  clock: Clock;
  active: ActiveRole;
  /** globalState: the editor's own storage. */
  state: StateStore;
  /** awsIdc.guardedRoles (user value, parsed by guardedRolePatterns). */
  patterns: () => readonly string[];
  /** awsIdc.guardedRolesNoPrompt (user value): guarded roles used without a question. */
  noPrompt: () => readonly string[];
  /** awsIdc.guardedRoleMinutes. */
  minutes: () => number;
  /** The catalog's account name of an account id. */
  accountName: (accountId: string) => string | undefined;
  /** Asks the person at the keyboard; anything but an answer (a host that cannot show it) is a refusal. */
  ask: (question: GuardQuestion) => Promise<GuardAnswer>;
  /** Adds `<accountId>/<roleName>` to the user's awsIdc.guardedRolesNoPrompt. */
  remember: (entry: string) => Promise<void>;
  log: Logger;
}

interface Box {
  role: ActiveRoleChoice;
  until: number;
  /** The role to return to when the box ends while this one is active. */
  fallback?: ActiveRoleChoice;
}

export interface GuardEnded {
  role: ActiveRoleChoice;
  /** Whether it was the active role (then `returnedTo` is active now, or none). */
  wasActive: boolean;
  returnedTo?: ActiveRoleChoice;
  /** True when the box ended by time; false when a restored guarded role was not kept (not confirmed in this session). */
  timedOut: boolean;
}

const WARN_AHEAD_MS = 60_000;
const KEY = STATE_KEYS.guardedRoleBoxes;

export class RoleGuard implements Disposable {
  private readonly boxes = new Map<string, Box>();
  private readonly timers = new Map<string, (() => void)[]>();
  /** Questions on screen, per role: a second use meanwhile (a compound launch) waits for the same answer. */
  private readonly asking = new Map<string, Promise<boolean>>();
  private readonly changed = new Emitter<void>();
  private readonly willEnd = new Emitter<{ role: ActiveRoleChoice; until: number }>();
  private readonly ended = new Emitter<GuardEnded>();
  /** A box started, was extended or ended (the status bar re-renders). */
  readonly onDidChange = this.changed.event;
  /** A running box ends in a minute. */
  readonly onWillEnd = this.willEnd.event;
  readonly onDidEnd = this.ended.event;

  constructor(private readonly o: RoleGuardOptions) {
    const stored = o.state.get<Record<string, Partial<Box>>>(KEY);
    for (const [key, box] of Object.entries(stored && typeof stored === 'object' ? stored : {})) {
      if (typeof box?.until === 'number' && box.until > o.clock.now() && box.role && roleKey(box.role) === key) this.boxes.set(key, box as Box);
    }
    for (const key of this.boxes.keys()) this.arm(key);
  }

  /** The pattern that guards `role`, else undefined. */
  patternOf(role: RoleRef & { accountName?: string }): string | undefined {
    return guardingPattern(this.o.patterns(), this.facts(role));
  }

  /** When the role's running box ends (undefined: none running). */
  endsAt(role: RoleRef): number | undefined {
    const box = this.boxes.get(roleKey(role));
    return box && box.until > this.o.clock.now() ? box.until : undefined;
  }

  /** The role the active one returns to when its box ends. */
  returnsTo(role: RoleRef): ActiveRoleChoice | undefined {
    return this.boxes.get(roleKey(role))?.fallback;
  }

  /**
   * True when `role` may be used for `purpose`: not guarded, inside its box, or allowed now (which
   * starts its box). Asks at most once per box; a dismissed question refuses.
   */
  async approve(role: ActiveRoleChoice, purpose: GuardPurpose): Promise<boolean> {
    const pattern = this.patternOf(role);
    if (!pattern || this.endsAt(role) !== undefined) return true;
    const key = roleKey(role);
    const pending = this.asking.get(key);
    if (pending) return pending;
    const answer = this.decide(role, purpose, pattern).finally(() => this.asking.delete(key));
    this.asking.set(key, answer);
    return answer;
  }

  private async decide(role: ActiveRoleChoice, purpose: GuardPurpose, pattern: string): Promise<boolean> {
    const key = roleKey(role);
    const minutes = this.o.minutes();
    let answer: GuardAnswer = 'allow';
    if (guardingPattern(this.o.noPrompt(), this.facts(role))) {
      this.o.log.info(`[guard] ${key} (guarded by "${pattern}") is in awsIdc.guardedRolesNoPrompt: used for ${purpose} without a question`);
    } else {
      answer = await this.o.ask({ role, purpose, pattern, minutes }).catch((e: Error) => {
        this.o.log.warn(`[guard] the question for ${key} could not be shown (${e.name}): refused`);
        return 'refuse' as const;
      });
    }
    if (answer === 'refuse') {
      this.o.log.info(`[guard] ${key} (guarded by "${pattern}") was refused for ${purpose}: the user did not allow it`);
      return false;
    }
    if (answer === 'always') await this.o.remember(`${role.accountId}/${role.roleName}`);
    this.open(role, minutes);
    this.o.log.info(
      `[guard] ${key} (guarded by "${pattern}") allowed for ${purpose}${answer === 'always' ? ', and not asked about again' : ''}: for ${minutes} minutes, until ${new Date(this.endsAt(role) ?? 0).toISOString()}`,
    );
    return true;
  }

  /** Makes `choice` the active role, through the question if it is guarded. False when refused. */
  async activate(choice: ActiveRoleChoice): Promise<boolean> {
    const before = this.o.active.current;
    if (!(await this.approve(choice, 'activate'))) return false;
    const box = this.boxes.get(roleKey(choice));
    if (box && before && roleKey(before) !== roleKey(choice)) {
      // The role to return to: the one active now, or, if that is guarded too, the one it would return to.
      box.fallback = this.patternOf(before) ? (this.boxes.get(roleKey(before))?.fallback ?? box.fallback) : before;
      await this.save();
    }
    await this.o.active.set(choice);
    return true;
  }

  /** Throws the refusal an endpoint sends when `role` is guarded and outside its box. */
  check(role: RoleRef & { accountName?: string }): void {
    if (!this.patternOf(role) || this.endsAt(role) !== undefined) return;
    throw new IdcError(
      'denied',
      l10n.t({
        message:
          'AWS role {0} is a guarded role and its time is up (or it was not allowed in this VS Code session), so no credentials were given. Choose it again in VS Code (AWS Identity Center: Switch Role) to allow it.',
        args: [`${this.facts(role).accountName ?? role.accountId}/${role.roleName}`],
        comment: ['{0}: account name/IAM role name. Sent to AWS tools in terminals; they print it.'],
      }),
    );
  }

  /** Gives a running box `awsIdc.guardedRoleMinutes` more. */
  async extend(role: RoleRef): Promise<void> {
    const key = roleKey(role);
    const box = this.boxes.get(key);
    if (!box) return;
    box.until = Math.max(box.until, this.o.clock.now()) + this.o.minutes() * 60_000;
    this.arm(key);
    await this.save();
    this.o.log.info(`[guard] ${key}: extended until ${new Date(box.until).toISOString()}`);
    this.changed.fire();
  }

  /**
   * A guarded active role without a running box (restored from an earlier session, or guarded by a
   * pattern just added) is not kept: the newest recent role that needs no question takes its place.
   */
  async reviewActive(): Promise<void> {
    const current = this.o.active.current;
    if (!current || !this.patternOf(current) || this.endsAt(current) !== undefined) return;
    const back = this.o.active.recent.find((r) => roleKey(r) !== roleKey(current) && this.usable(r));
    await (back ? this.o.active.set(back) : this.o.active.clear());
    this.o.log.info(`[guard] ${roleKey(current)} is guarded and was not allowed in this session: the active role is ${back ? roleKey(back) : 'none'} instead`);
    this.ended.fire({ role: current, wasActive: true, returnedTo: back, timedOut: false });
    this.changed.fire();
  }

  dispose(): void {
    for (const key of this.timers.keys()) this.cancel(key);
    this.changed.dispose();
    this.willEnd.dispose();
    this.ended.dispose();
  }

  private usable(role: ActiveRoleChoice): boolean {
    return !this.patternOf(role) || this.endsAt(role) !== undefined;
  }

  private facts(role: RoleRef & { accountName?: string }): GuardedRoleFacts {
    return {
      accountId: role.accountId,
      accountName: this.o.accountName(role.accountId) ?? (role.via ? undefined : role.accountName),
      roleName: role.roleName,
      chainName: role.chainName,
    };
  }

  private open(role: ActiveRoleChoice, minutes: number): void {
    const key = roleKey(role);
    // Only the fields a choice has are stored (never anything else a caller attached).
    const { accountId, roleName, accountName, portal, via, chainName } = role;
    const clean: ActiveRoleChoice = { accountId, roleName, accountName, ...(portal ? { portal } : {}), ...(via ? { via, chainName } : {}) };
    this.boxes.set(key, { role: clean, until: this.o.clock.now() + minutes * 60_000, fallback: this.boxes.get(key)?.fallback });
    this.arm(key);
    void this.save();
    this.changed.fire();
  }

  private arm(key: string): void {
    this.cancel(key);
    const box = this.boxes.get(key);
    if (!box) return;
    const left = box.until - this.o.clock.now();
    const timers = [this.o.clock.setTimeout(() => void this.end(key), left)];
    if (left > WARN_AHEAD_MS) timers.push(this.o.clock.setTimeout(() => this.willEnd.fire({ role: box.role, until: box.until }), left - WARN_AHEAD_MS));
    this.timers.set(key, timers);
  }

  private cancel(key: string): void {
    for (const stop of this.timers.get(key) ?? []) stop();
    this.timers.delete(key);
  }

  private async end(key: string): Promise<void> {
    const box = this.boxes.get(key);
    if (!box) return;
    this.cancel(key);
    this.boxes.delete(key);
    await this.save();
    const current = this.o.active.current;
    const wasActive = !!current && roleKey(current) === key;
    const returnedTo = wasActive && box.fallback && this.usable(box.fallback) ? box.fallback : undefined;
    if (wasActive) await (returnedTo ? this.o.active.set(returnedTo) : this.o.active.clear());
    this.o.log.info(
      `[guard] ${key}: its time is up; terminals and debug sessions bound to it get no more credentials${wasActive ? `; the active role is ${returnedTo ? roleKey(returnedTo) : 'none'} again` : ''}`,
    );
    this.ended.fire({ role: box.role, wasActive, returnedTo, timedOut: true });
    this.changed.fire();
  }

  private save(): PromiseLike<void> {
    const value: Record<string, Box> = {};
    for (const [key, box] of this.boxes) value[key] = box;
    return this.o.state.update(KEY, this.boxes.size ? value : undefined);
  }
}
