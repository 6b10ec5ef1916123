// Where secrets live. The VS Code adapter backs this with context.secrets (shared by every window).
import type { Event } from './events';

export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  readonly onDidChange: Event<{ key: string }>;
}

export const SECRET_KEYS = {
  token: 'awsIdc.token',
  registration: 'awsIdc.registration',
  refreshLease: 'awsIdc.refreshLease',
} as const;

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
