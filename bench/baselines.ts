// What other tools do, with the real SDK client and its default retries (3 attempts):
//   sequential: one call after another, like a shell loop over `aws sso list-account-roles`;
//   promiseAll: every account's ListAccountRoles at once (each promise catches its own error, so
//   failed accounts can be counted; a bare Promise.all would drop the whole listing on the first).
import { ListAccountRolesCommand, ListAccountsCommand, SSOClient } from '@aws-sdk/client-sso';

export interface BaselineListing {
  firstPageMs?: number;
  allRolesMs: number;
  roles: Map<string, string[]>;
  accountIds: string[];
  /** Accounts whose roles could not be listed, by error name. */
  errors: Record<string, number>;
}

export async function runBaseline(mode: 'sequential' | 'promiseAll', url: string, accessToken: string): Promise<BaselineListing> {
  const client = new SSOClient({ region: 'us-east-1', endpoint: url });
  const roles = new Map<string, string[]>();
  const errors: Record<string, number> = {};
  const t0 = performance.now();
  let firstPageMs: number | undefined;
  const accountIds: string[] = [];
  let nextToken: string | undefined;
  do {
    const out = await client.send(new ListAccountsCommand({ accessToken, maxResults: 100, nextToken }));
    accountIds.push(...(out.accountList ?? []).map((a) => a.accountId ?? ''));
    firstPageMs ??= performance.now() - t0;
    nextToken = out.nextToken;
  } while (nextToken);

  const listRoles = async (accountId: string): Promise<void> => {
    try {
      const names: string[] = [];
      let token: string | undefined;
      do {
        const out = await client.send(new ListAccountRolesCommand({ accessToken, accountId, maxResults: 100, nextToken: token }));
        names.push(...(out.roleList ?? []).map((r) => r.roleName ?? ''));
        token = out.nextToken;
      } while (token);
      roles.set(accountId, names);
    } catch (e) {
      const name = (e as Error)?.name ?? 'Error';
      errors[name] = (errors[name] ?? 0) + 1;
    }
  };
  if (mode === 'sequential') for (const id of accountIds) await listRoles(id);
  else await Promise.all(accountIds.map(listRoles));
  const allRolesMs = performance.now() - t0;
  client.destroy();
  return { firstPageMs, allRolesMs, roles, accountIds, errors };
}
