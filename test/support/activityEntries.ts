// Activity entries for the activity log and table tests: a fixed instant and numbered entries.
import type { ActivityEntry } from '../../src/core/activity/activityEntry';

export const T0 = Date.UTC(2025, 0, 2, 14, 3, 5);
export const entry = (n: number, over: Partial<ActivityEntry> = {}): ActivityEntry => ({
  at: T0 + n * 1000,
  accountId: '111122223333',
  accountName: 'Sandbox',
  roleName: 'ReadOnly',
  expiresAt: T0 + 3_600_000,
  accessKeyId: `ASIA${String(n).padStart(16, '0')}`,
  consumer: 'terminal: build',
  event: 'issued',
  ...over,
});
