// Where a role's credentials come from: the portal (GetRoleCredentials) for Identity Center roles,
// STS AssumeRole signed with the source role's credentials for chained roles.
import * as l10n from '@vscode/l10n';
import { assumeChainedRole, AssumeChainedRoleOptions } from './assumeRole';
import { ChainedRoleDefinition, chainedRoleDefinition } from './chainedRoles';
import { IdcError } from '../common/errors';
import type { RoleCredentialsSecret, RoleRef } from '../common/model';

export interface RoleCredentialSources {
  portal: (role: RoleRef) => Promise<RoleCredentialsSecret>;
  /** Source-role credentials (the broker's cache, so they are shared and kept fresh). */
  source: (role: RoleRef) => Promise<RoleCredentialsSecret>;
  chainedRoles: () => readonly ChainedRoleDefinition[];
  region: () => string;
  mfaCode?: AssumeChainedRoleOptions['mfaCode'];
}

export function roleCredentials(s: RoleCredentialSources): (role: RoleRef) => Promise<RoleCredentialsSecret> {
  return async (role) => {
    if (!role.via) return s.portal(role);
    const def = chainedRoleDefinition(s.chainedRoles(), role);
    if (!def) {
      throw new IdcError(
        'notFound',
        l10n.t({
          message: 'The chained role "{0}" is no longer defined in awsIdc.chainedRoles. Pick another role with Switch Role.',
          args: [role.chainName ?? role.roleName],
          comment: ['{0}: a chained role name; awsIdc.chainedRoles is a setting id; "Switch Role" is a command title'],
        }),
      );
    }
    const creds = await assumeChainedRole(def, await s.source(role.via), { region: s.region(), mfaCode: s.mfaCode });
    return { ...creds, accountId: role.accountId, roleName: role.roleName, via: role.via, chainName: role.chainName };
  };
}
