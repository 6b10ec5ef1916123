// Plain data shared by core and adapters. Types that hold secrets say so in their name.

/** The one OAuth scope of the access portal; without it there is no refresh token. */
export const SSO_SCOPE = 'sso:account:access';

export interface Account {
  accountId: string;
  accountName: string;
  emailAddress?: string;
}

export interface RoleRef {
  accountId: string;
  roleName: string;
  /**
   * The portal (portalId(): the normalised start URL) whose sign-in reaches this role. Set on every
   * Identity Center role the extension lists; a chained role's portal is its source's (`via`).
   */
  portal?: string;
  /**
   * Set for a chained role (assumed with STS AssumeRole from an Identity Center role): the source
   * role, and the name of the settings entry that defines it.
   */
  via?: RoleRef;
  chainName?: string;
}

export const roleKey = (role: RoleRef): string =>
  role.via ? `${roleKey(role.via)}>${role.chainName ?? ''}` : `${role.portal ? `${role.portal}|` : ''}${role.accountId}/${role.roleName}`;

/** The portal a role is reached through (a chained role: its source's). */
export const portalOf = (role: RoleRef): string | undefined => (role.via ? portalOf(role.via) : role.portal);

/** A portal's id: its start URL without surrounding spaces or trailing slashes (as validate.ts sameStartUrl compares). */
export const portalId = (startUrl: string): string => startUrl.trim().replace(/\/+$/, '');

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
  /** Set for an authorization-code client (authorization_code, refresh_token); absent for a device-code one. */
  grantTypes?: string[];
  /** Taken from the AWS CLI's token cache: it refreshes that sign-in, but its grant types are unknown. */
  fromAwsCli?: boolean;
}

/** The sign-in tokens. Secret. */
export interface SsoTokenSecret {
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
  startUrl: string;
  region: string;
  /** The `[sso-session]` this sign-in belongs to, if any (names the AWS CLI token cache file). */
  sessionName?: string;
}

/** How a sign-in is made: the authorization code with PKCE (loopback redirect) or the device code. */
export type SignInFlow = 'authorizationCode' | 'deviceCode';
