// What the Accounts tree is given: its options, and the sources that add rows or words to it.
import type * as vscode from 'vscode';
import type { ActiveRole } from '../../core/accounts/activeRole';
import type { PortalCatalogs } from '../../core/accounts/portalCatalogs';
import type { RoleRef } from '../../core/common/model';
import type { StateStore } from '../../core/common/stores';
import type { ChainedRoleDefinition } from '../../core/credentials/chainedRoles';
import type { Portals } from '../../core/signIn/portals';
import type { MessageNode } from './treeItems';

/** Rows shown above the accounts (e.g. long-term access keys found). */
export interface TreeBanner {
  nodes(): MessageNode[];
  readonly onDidChange: vscode.Event<void>;
}

/** Roles assumed from Identity Center roles (awsIdc.chainedRoles), shown under their source. */
export interface ChainedRoleSource {
  readonly roles: readonly ChainedRoleDefinition[];
  readonly onDidChange: vscode.Event<unknown>;
}

/** Each role's own region (Set Role Region), shown beside it. */
export interface RoleRegionSource {
  regionOf(role: RoleRef): string | undefined;
  readonly onDidChange: vscode.Event<void>;
}

export interface AccountsTreeOptions {
  /** Every portal's catalog. */
  catalog: PortalCatalogs;
  portals: Portals;
  active: ActiveRole;
  /** Where pinned accounts are kept (globalState). */
  state: StateStore;
  /** Signed out, the view is empty so its welcome content (Sign In) shows. */
  signedIn: () => boolean;
}
