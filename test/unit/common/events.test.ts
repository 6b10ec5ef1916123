// DisposableStore: frees what it holds once, in order; what is added after dispose() is freed at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DisposableStore, Emitter, setUnexpectedErrorHandler } from '../../../src/core/common/events';

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

test('add returns what it was given; a throwing member is reported and the others are still freed', () => {
  const reported: string[] = [];
  setUnexpectedErrorHandler((_e, where) => void reported.push(where));
  try {
    const freed: string[] = [];
    const store = new DisposableStore();
    const first = { dispose: () => void freed.push('first') };
    assert.equal(store.add(first), first);
    store.add({
      dispose: () => {
        throw new Error('boom');
      },
    });
    store.add({ dispose: () => void freed.push('last') });
    store.dispose();
    assert.deepEqual(freed, ['first', 'last']);
    assert.deepEqual(reported, ['a disposable threw']);
  } finally {
    setUnexpectedErrorHandler(() => undefined);
  }
});

test('one throwing listener does not keep the others from hearing the event', () => {
  const reported: string[] = [];
  setUnexpectedErrorHandler((_e, where) => void reported.push(where));
  try {
    const emitter = new Emitter<number>();
    const heard: number[] = [];
    emitter.event(() => {
      throw new Error('boom');
    });
    emitter.event((v) => void heard.push(v));
    emitter.fire(7);
    assert.deepEqual(heard, [7]);
    assert.deepEqual(reported, ['an event listener threw']);
  } finally {
    setUnexpectedErrorHandler(() => undefined);
  }
});
