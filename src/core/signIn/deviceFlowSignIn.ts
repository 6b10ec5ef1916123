// A device-flow sign-in from scratch: the OIDC client registration (RegisterClient once, kept in
// the secret store until shortly before clientSecretExpiresAt, for its region, scope and grant
// types: a device-code client and an authorization-code client are kept apart, as the AWS CLI
// does), then the device authorization, turned into the token the session keeps.
import * as l10n from '@vscode/l10n';
import type { IdentityCenter, TokenResponse } from '../aws/identityCenter';
import type { Clock } from '../common/clock';
import { toIdcError } from '../common/errors';
import type { Logger } from '../common/log';
import { SSO_SCOPE, type ClientRegistrationSecret, type SsoTarget, type SsoTokenSecret } from '../common/model';
import { SECRET_KEYS } from '../common/storageKeys';
import { readJson, type SecretStore } from '../common/stores';
import { runDeviceFlow, type DeviceCodePrompt } from './deviceFlow';

export type { DeviceCodePrompt } from './deviceFlow';

/** A cached registration is replaced this long before it expires. */
const REGISTRATION_MARGIN_MS = 15 * 60_000;

export interface RegistrationDeps {
  store: SecretStore;
  /** The portal's registration key (storageKeys.ts); the single-sign-in key when absent. */
  registrationKey?: string;
  clock: Clock;
  log: Logger;
  clientName?: string;
}

/**
 * The cached registration under `registrationKey`, or a new one. `authCode`: an authorization-code
 * client (redirect URI and issuer); a cached device-code client is never used for it, nor the reverse.
 */
export async function clientRegistration(
  deps: RegistrationDeps,
  ic: IdentityCenter,
  signal?: AbortSignal,
  authCode?: { redirectUri: string; issuerUrl: string },
): Promise<ClientRegistrationSecret> {
  const key = deps.registrationKey ?? SECRET_KEYS.registration;
  const cached = await readJson<ClientRegistrationSecret>(deps.store, key);
  const sameKind = !!cached?.grantTypes?.includes('authorization_code') === !!authCode;
  if (
    cached &&
    sameKind &&
    !cached.fromAwsCli &&
    cached.region === ic.region &&
    cached.scopes?.includes(SSO_SCOPE) &&
    cached.expiresAt - REGISTRATION_MARGIN_MS > deps.clock.now()
  ) {
    return cached;
  }
  try {
    const fresh = await ic.registerClient(deps.clientName ?? 'aws-identity-center-sessions-vscode', signal, authCode);
    await deps.store.store(key, JSON.stringify(fresh));
    deps.log.info(
      `[session] registered ${authCode ? 'an authorization-code' : 'a device-code'} OIDC client in ${ic.region}; valid until ${new Date(fresh.expiresAt).toISOString()}`,
    );
    return fresh;
  } catch (e) {
    throw toIdcError(e, l10n.t('Sign-in'));
  }
}

export interface DeviceFlowSignInDeps extends RegistrationDeps {
  onCode: (p: DeviceCodePrompt) => void | Promise<void>;
  signal?: AbortSignal;
}

/** Registers (or reuses the registration), runs the device flow, and returns the token to keep. */
export async function deviceFlowSignIn(
  ic: IdentityCenter,
  target: SsoTarget,
  deps: DeviceFlowSignInDeps,
): Promise<{ token: SsoTokenSecret; registration: ClientRegistrationSecret; expiresIn: number }> {
  const registration = await clientRegistration(deps, ic, deps.signal);
  const tokens = await runDeviceFlow(ic, registration, {
    startUrl: target.startUrl,
    onCode: deps.onCode,
    signal: deps.signal,
    clock: deps.clock,
    log: deps.log,
  });
  return { token: tokenFor(target, tokens, deps.clock), registration, expiresIn: tokens.expiresIn };
}

/** The token the session keeps, from CreateToken's answer. */
export function tokenFor(target: SsoTarget, tokens: TokenResponse, clock: Clock): SsoTokenSecret {
  return {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresAt: clock.now() + tokens.expiresIn * 1000,
    startUrl: target.startUrl,
    region: target.region,
    ...(target.sessionName ? { sessionName: target.sessionName } : {}),
  };
}
