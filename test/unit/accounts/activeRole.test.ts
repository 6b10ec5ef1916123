// The active role is remembered per workspace, with the last global choice as the fallback.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActiveRole } from '../../../src/core/accounts/activeRole';
import { MemoryState } from '../../support/memoryState';

const sandbox = { accountId: '111111111111', roleName: 'ReadOnly', accountName: 'Sandbox' };
const prod = { accountId: '222222222222', roleName: 'Admin', accountName: 'Prod' };

test('each workspace reopens with its own role; a new workspace starts from the last global choice', async () => {
  const global = new MemoryState();
  const projectA = new MemoryState();
  const projectB = new MemoryState();
  await new ActiveRole(projectA, global).set(sandbox);
  await new ActiveRole(projectB, global).set(prod);
  assert.deepEqual(new ActiveRole(projectA, global).current, sandbox, 'project A keeps its own');
  assert.deepEqual(new ActiveRole(projectB, global).current, prod);
  assert.deepEqual(new ActiveRole(new MemoryState(), global).current, prod, 'fallback: the last global choice');
});

test('recent roles: newest first, no duplicates, at most 8', async () => {
  const active = new ActiveRole(new MemoryState(), new MemoryState());
  for (let i = 0; i < 10; i++) await active.set({ accountId: String(i).padStart(12, '0'), roleName: 'R', accountName: `A${i}` });
  await active.set({ accountId: '000000000003', roleName: 'R', accountName: 'A3' });
  assert.deepEqual(
    active.recent.map((r) => r.accountName),
    ['A3', 'A9', 'A8', 'A7', 'A6', 'A5', 'A4', 'A2'],
  );
});

test('damaged stored values are ignored, not trusted', () => {
  const ws = new MemoryState();
  ws.data.set('awsIdc.activeRole', { accountId: 42 });
  assert.equal(new ActiveRole(ws, new MemoryState()).current, undefined);
});

test('clear(): no role active, in this workspace and as the global fallback', async () => {
  const global = new MemoryState();
  const workspace = new MemoryState();
  const active = new ActiveRole(workspace, global);
  await active.set(prod);
  const seen: unknown[] = [];
  active.onDidChange((r) => seen.push(r));
  await active.clear();
  assert.equal(active.current, undefined);
  assert.deepEqual(seen, [undefined]);
  assert.equal(new ActiveRole(workspace, global).current, undefined, 'a reload starts with none');
  assert.equal(active.recent.length, 1, 'the recent list stays');
});
