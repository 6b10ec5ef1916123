// A device-flow sign-in from scratch: the OIDC client registration (RegisterClient once, kept in
// the secret store until shortly before clientSecretExpiresAt, for its region and scope), then the
// device authorization, turned into the token the session keeps.
import * as l10n from '@vscode/l10n';
import type { IdentityCenter } from '../aws/identityCenter';
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

export async function clientRegistration(deps: RegistrationDeps, ic: IdentityCenter, signal?: AbortSignal): Promise<ClientRegistrationSecret> {
  const cached = await readJson<ClientRegistrationSecret>(deps.store, deps.registrationKey ?? SECRET_KEYS.registration);
  if (cached && cached.region === ic.region && cached.scopes?.includes(SSO_SCOPE) && cached.expiresAt - REGISTRATION_MARGIN_MS > deps.clock.now()) {
    return cached;
  }
  try {
    const fresh = await ic.registerClient(deps.clientName ?? 'aws-identity-center-sessions-vscode', signal);
    await deps.store.store(deps.registrationKey ?? SECRET_KEYS.registration, JSON.stringify(fresh));
    deps.log.info(`[session] registered OIDC client in ${ic.region}; valid until ${new Date(fresh.expiresAt).toISOString()}`);
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
  const token: SsoTokenSecret = {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresAt: deps.clock.now() + tokens.expiresIn * 1000,
    startUrl: target.startUrl,
    region: target.region,
    ...(target.sessionName ? { sessionName: target.sessionName } : {}),
  };
  return { token, registration, expiresIn: tokens.expiresIn };
}
