// What the runner hands each scenario process and what it gets back.

export type ScenarioKind = 'ours' | 'warm' | 'sequential' | 'promiseAll' | 'sdkLoad';

export interface ScenarioInput {
  kind: ScenarioKind;
  /** Emulator URL (portal and OIDC). */
  url: string;
  accounts: number;
  /** ours writes its cached listing here; warm reads it. */
  snapshotPath: string;
  /** dist/awsSdk.js, for sdkLoad. */
  sdkPath?: string;
}

export interface ScenarioResult {
  /** ms from the start until the first page of accounts is in memory, ready to show. */
  firstPageMs?: number;
  /** ms from the start until every account's roles are known (or failed for good). */
  allRolesMs?: number;
  /** Accounts the user would see an error for, plus listing failures. */
  userErrors: number;
  /** Accounts whose roles match the emulator's seed exactly. */
  correctAccounts: number;
  heapGrowthBytes?: number;
  /** Scenario-specific extras (client-side counters, error names). */
  notes?: Record<string, unknown>;
}

export const RESULT_PREFIX = 'BENCH_RESULT ';
