// The guard of powerful roles: asked about once per time box, time-boxed with the test clock,
// falling back to the role before, refusing bound consumers afterwards, kept across a reload.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActiveRole, type ActiveRoleChoice } from '../../../src/core/accounts/activeRole';
import { IdcError } from '../../../src/core/common/errors';
import type { Logger } from '../../../src/core/common/log';
import { STATE_KEYS } from '../../../src/core/common/storageKeys';
import { DEFAULT_GUARDED_ROLES } from '../../../src/core/credentials/guardedRolePatterns';
import { RoleGuard, type GuardAnswer, type GuardQuestion } from '../../../src/core/credentials/roleGuard';
import { ManualClock } from '../../support/clocks';
import { MemoryState } from '../../support/memoryState';

const PORTAL = 'https://my-org.awsapps.com/start';
const sandbox: ActiveRoleChoice = { accountId: '111111111111', roleName: 'ReadOnly', accountName: 'Sandbox', portal: PORTAL };
const prodAdmin: ActiveRoleChoice = { accountId: '222222222222', roleName: 'AdministratorAccess', accountName: 'Production', portal: PORTAL };
const s3Full: ActiveRoleChoice = { accountId: '333333333333', roleName: 'AmazonS3FullAccess', accountName: 'Data', portal: PORTAL };
const MINUTE = 60_000;

function setup(o: { answers?: (GuardAnswer | Error)[]; noPrompt?: string[]; minutes?: number; global?: MemoryState } = {}) {
  const clock = new ManualClock();
  const global = o.global ?? new MemoryState();
  const active = new ActiveRole(new MemoryState(), global);
  const asked: GuardQuestion[] = [];
  const remembered: string[] = [];
  const lines: string[] = [];
  const log: Logger = { trace: () => undefined, info: (l) => lines.push(l), warn: (l) => lines.push(l), error: (l) => lines.push(l) };
  const answers = [...(o.answers ?? [])];
  const options: ConstructorParameters<typeof RoleGuard>[0] = {
    clock,
    active,
    state: global,
    patterns: () => DEFAULT_GUARDED_ROLES,
    noPrompt: () => o.noPrompt ?? [],
    minutes: () => o.minutes ?? 60,
    accountName: () => undefined,
    ask: async (q) => {
      asked.push(q);
      const next = answers.shift() ?? 'refuse';
      if (next instanceof Error) throw next;
      return next;
    },
    remember: async (e) => void remembered.push(e),
    log,
  };
  return { clock, global, active, guard: new RoleGuard(options), options, asked, remembered, lines };
}

test('an unguarded role is made active without a question', async () => {
  const t = setup();
  assert.equal(await t.guard.activate(sandbox), true);
  assert.equal(t.active.current?.roleName, 'ReadOnly');
  assert.equal(t.asked.length, 0);
});

test('refused: the active role stays and nothing is allowed; the log says so', async () => {
  const t = setup({ answers: ['refuse'] });
  await t.active.set(sandbox);
  assert.equal(await t.guard.activate(prodAdmin), false);
  assert.equal(t.active.current?.accountId, sandbox.accountId);
  assert.deepEqual(
    t.asked.map((q) => [q.purpose, q.pattern, q.minutes]),
    [['activate', '*/AdministratorAccess', 60]],
  );
  assert.throws(
    () => t.guard.check(prodAdmin),
    (e: unknown) => e instanceof IdcError && e.kind === 'denied' && /guarded role/.test(e.message),
  );
  assert.match(t.lines.join('\n'), /222222222222\/AdministratorAccess \(guarded by "\*\/AdministratorAccess"\) was refused for activate/);
});

test('two uses at once (a compound launch) share one question', async () => {
  const t = setup({ answers: ['allow'] });
  const both = await Promise.all([t.guard.approve(prodAdmin, 'debug'), t.guard.approve(prodAdmin, 'debug')]);
  assert.deepEqual(both, [true, true]);
  assert.equal(t.asked.length, 1);
});

test('a question that cannot be shown is a refusal', async () => {
  const t = setup({ answers: [new Error('no modal here')] });
  assert.equal(await t.guard.approve(prodAdmin, 'terminal'), false);
  assert.match(t.lines.join('\n'), /could not be shown \(Error\): refused/);
});

test('allowed once per time box; a minute ahead a warning; extended; then the role before returns and bound consumers are refused', async () => {
  const t = setup({ answers: ['allow', 'allow'] });
  const warned: number[] = [];
  const ended: unknown[] = [];
  t.guard.onWillEnd(() => warned.push(t.clock.now()));
  t.guard.onDidEnd((e) => ended.push({ role: e.role.roleName, to: e.returnedTo?.roleName, wasActive: e.wasActive, timedOut: e.timedOut }));
  await t.active.set(sandbox);
  const start = t.clock.now();
  assert.equal(await t.guard.activate(prodAdmin), true);
  assert.equal(t.active.current?.roleName, 'AdministratorAccess');
  assert.equal(t.guard.endsAt(prodAdmin), start + 60 * MINUTE);
  assert.equal(t.guard.returnsTo(prodAdmin)?.roleName, 'ReadOnly');
  // Within the box: a bound terminal, the console, the clipboard get it without a second question.
  for (const purpose of ['terminal', 'console', 'copy', 'debug'] as const) assert.equal(await t.guard.approve(prodAdmin, purpose), true);
  assert.equal(t.asked.length, 1);
  t.guard.check(prodAdmin);

  await t.clock.advance(59 * MINUTE);
  assert.deepEqual(warned, [start + 59 * MINUTE], 'warned a minute ahead');
  await t.guard.extend(prodAdmin);
  assert.equal(t.guard.endsAt(prodAdmin), start + 120 * MINUTE);
  await t.clock.advance(2 * MINUTE);
  assert.equal(t.active.current?.roleName, 'AdministratorAccess', 'extended: still active');
  await t.clock.advance(59 * MINUTE);
  assert.equal(t.active.current?.roleName, 'ReadOnly', 'the role before returns');
  assert.deepEqual(ended, [{ role: 'AdministratorAccess', to: 'ReadOnly', wasActive: true, timedOut: true }]);
  assert.throws(() => t.guard.check(prodAdmin), IdcError, 'bound terminals and debug sessions are refused');
  assert.equal(t.guard.endsAt(prodAdmin), undefined);
  assert.equal(t.global.get(STATE_KEYS.guardedRoleBoxes), undefined, 'no box left stored');
  assert.match(t.lines.join('\n'), /its time is up; .* the active role is https:\/\/my-org\.awsapps\.com\/start\|111111111111\/ReadOnly again/);
  // After its time, using it again asks again.
  assert.equal(await t.guard.approve(prodAdmin, 'terminal'), true);
  assert.equal(t.asked.length, 2);
  assert.equal(t.clock.pendingTimers > 0, true);
});

test('with no role before it, the time box ends with no role active; a guarded role before it is skipped', async () => {
  const t = setup({ answers: ['allow', 'allow'], minutes: 1 });
  assert.equal(await t.guard.activate(s3Full), true);
  await t.clock.advance(MINUTE);
  assert.equal(t.active.current, undefined);

  const u = setup({ answers: ['allow', 'allow'], minutes: 5 });
  await u.active.set(sandbox);
  await u.guard.activate(s3Full);
  await u.clock.advance(MINUTE);
  await u.guard.activate(prodAdmin); // from one guarded role to another: sandbox is still where it returns
  assert.equal(u.guard.returnsTo(prodAdmin)?.roleName, 'ReadOnly');
  await u.clock.advance(5 * MINUTE);
  assert.equal(u.active.current?.roleName, 'ReadOnly');
});

test('a bound (not active) guarded role ends without touching the active role', async () => {
  const t = setup({ answers: ['allow'], minutes: 2 });
  await t.active.set(sandbox);
  const ended: boolean[] = [];
  t.guard.onDidEnd((e) => ended.push(e.wasActive));
  assert.equal(await t.guard.approve(prodAdmin, 'terminal'), true);
  await t.clock.advance(2 * MINUTE);
  assert.equal(t.active.current?.roleName, 'ReadOnly');
  assert.deepEqual(ended, [false]);
  assert.throws(() => t.guard.check(prodAdmin), IdcError);
});

test('the user’s no-question list skips the question (still time-boxed); "don’t ask again" adds the role to it', async () => {
  const t = setup({ noPrompt: ['222222222222/AdministratorAccess'], minutes: 1 });
  assert.equal(await t.guard.activate(prodAdmin), true);
  assert.equal(t.asked.length, 0);
  assert.match(t.lines.join('\n'), /awsIdc.guardedRolesNoPrompt: used for activate without a question/);
  await t.clock.advance(MINUTE);
  assert.equal(t.active.current, undefined, 'still time-boxed');

  const u = setup({ answers: ['always'] });
  assert.equal(await u.guard.approve(s3Full, 'console'), true);
  assert.deepEqual(u.remembered, ['333333333333/AmazonS3FullAccess']);
  assert.match(u.lines.join('\n'), /allowed for console, and not asked about again/);
});

test('a reload keeps a running box (stored without secrets); a guarded role restored without one is not kept active', async () => {
  const global = new MemoryState();
  const t = setup({ answers: ['allow'], global });
  await t.active.set(sandbox);
  await t.guard.activate(prodAdmin);
  const stored = JSON.stringify(global.get(STATE_KEYS.guardedRoleBoxes));
  assert.match(stored, /"until":\d+/);
  assert.doesNotMatch(stored, /secret|token|accessKey/i);

  // The next window (same clock time): the box is still running, so the role stays.
  const again = new RoleGuard({ ...t.options, active: new ActiveRole(new MemoryState(), global) });
  assert.equal(again.endsAt(prodAdmin), t.guard.endsAt(prodAdmin));
  await again.reviewActive();

  // Without the box (expired or never allowed): the newest recent role that needs no question.
  await global.update(STATE_KEYS.guardedRoleBoxes, undefined);
  const active = new ActiveRole(new MemoryState(), global);
  assert.equal(active.current?.roleName, 'AdministratorAccess');
  const fresh = new RoleGuard({ ...t.options, active });
  const ended: boolean[] = [];
  fresh.onDidEnd((e) => ended.push(e.timedOut));
  await fresh.reviewActive();
  assert.equal(active.current?.roleName, 'ReadOnly');
  assert.deepEqual(ended, [false]);
});
