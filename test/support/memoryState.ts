// An in-memory stand-in for VS Code's Memento (globalState / workspaceState: the editor's API, not
// our code). Like the Memento, updating a key to undefined removes it.
import type { StateStore } from '../../src/core/common/stores';

export class MemoryState implements StateStore {
  readonly data = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, value);
  }
}
