// The accounts the user pinned to the top of the Accounts tree, kept in globalState.
import { STATE_KEYS } from '../../core/common/storageKeys';
import type { StateStore } from '../../core/common/stores';

export class PinStore {
  constructor(private readonly state: StateStore) {}

  /** Pinned account ids, in the order they were pinned (anything malformed in storage is skipped). */
  get ids(): string[] {
    const value = this.state.get<unknown>(STATE_KEYS.pinnedAccounts);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }

  has(accountId: string): boolean {
    return this.ids.includes(accountId);
  }

  async set(accountId: string, pinned: boolean): Promise<void> {
    const next = this.ids.filter((id) => id !== accountId);
    if (pinned) next.push(accountId);
    await this.state.update(STATE_KEYS.pinnedAccounts, next);
  }
}
