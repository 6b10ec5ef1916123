// Where secrets and non-secret state live. The VS Code adapter backs these with context.secrets (shared
// by every window) and the Mementos; the keys are in storageKeys.ts.
import type { Event } from './events';

export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  readonly onDidChange: Event<{ key: string }>;
}

/** A key-value store for non-secret state (VS Code's Memento fits). */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export async function readJson<T>(store: SecretStore, key: string): Promise<T | undefined> {
  const raw = await store.get(key);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    // A damaged entry is treated as absent rather than crashing the sign-in.
    return undefined;
  }
}
