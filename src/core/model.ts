// Plain data shared by core and adapters. Types that hold secrets say so in their name.

export interface Account {
  accountId: string;
  accountName: string;
  emailAddress?: string;
}

export interface RoleRef {
  accountId: string;
  roleName: string;
}

export const roleKey = (role: RoleRef): string => `${role.accountId}/${role.roleName}`;

/** Temporary role credentials. Secret: never log, persist or show. */
export interface RoleCredentialsSecret extends RoleRef {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch milliseconds. */
  expiration: number;
}

/** Where the sign-in goes. Not secret. */
export interface SsoTarget {
  startUrl: string;
  region: string;
  /** Name of the `[sso-session]` it came from, if any. */
  sessionName?: string;
}

/** The OIDC client registration. Secret (holds clientSecret). */
export interface ClientRegistrationSecret {
  clientId: string;
  clientSecret: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  region: string;
  scopes: string[];
}

/** The sign-in tokens. Secret. */
export interface SsoTokenSecret {
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
  startUrl: string;
  region: string;
}
