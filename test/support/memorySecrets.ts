// An in-memory stand-in for VS Code's SecretStorage (the editor's API, not our code). Two
// sessions built on one store behave like two windows sharing one secret store.
import { Emitter } from '../../src/core/common/events';
import type { SecretStore } from '../../src/core/common/stores';

export class MemorySecrets implements SecretStore {
  readonly data = new Map<string, string>();
  private readonly changed = new Emitter<{ key: string }>();
  readonly onDidChange = this.changed.event;

  async get(key: string): Promise<string | undefined> {
    return this.data.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    this.data.set(key, value);
    this.changed.fire({ key });
  }
  async delete(key: string): Promise<void> {
    if (this.data.delete(key)) this.changed.fire({ key });
  }
}
