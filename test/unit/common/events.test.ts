// DisposableStore: frees what it holds once, in order; what is added after dispose() is freed at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DisposableStore, Emitter } from '../../../src/core/common/events';

test('DisposableStore frees everything in the order it was added, once', () => {
  const freed: string[] = [];
  const item = (name: string) => ({ dispose: () => void freed.push(name) });
  const store = new DisposableStore(item('a'));
  store.add(item('b'), item('c'));
  store.dispose();
  store.dispose();
  assert.deepEqual(freed, ['a', 'b', 'c']);
  store.add(item('late'));
  assert.deepEqual(freed, ['a', 'b', 'c', 'late']);
});

test('a listener registered on the store stops hearing the emitter after dispose()', () => {
  const emitter = new Emitter<number>();
  const heard: number[] = [];
  const store = new DisposableStore();
  store.add(emitter.event((v) => void heard.push(v)));
  emitter.fire(1);
  store.dispose();
  emitter.fire(2);
  assert.deepEqual(heard, [1]);
});
