// A sign-in from scratch with the flow the window was given (flowChoice.ts): the authorization code
// with PKCE, or the device code; a remote window whose redirect cannot come back falls back to the
// device code. Each flow keeps its own client registration, as the AWS CLI does; the one that
// issued the token is also kept as the token's client (refresh and AWS CLI sharing use it).
import type { IdentityCenter } from '../aws/identityCenter';
import type { Clock } from '../common/clock';
import type { Logger } from '../common/log';
import type { ClientRegistrationSecret, SignInFlow, SsoTarget, SsoTokenSecret } from '../common/model';
import type { PortalSecretKeys } from '../common/storageKeys';
import type { SecretStore } from '../common/stores';
import { REGISTERED_REDIRECT_URI, RedirectUnreachable, runAuthCodeFlow } from './authCodeFlow';
import { clientRegistration, deviceFlowSignIn, tokenFor } from './deviceFlowSignIn';
import type { SignInInteraction } from './sessionTypes';

export interface FreshSignInDeps {
  store: SecretStore;
  keys: PortalSecretKeys;
  clock: Clock;
  log: Logger;
  clientName?: string;
}

export interface FreshSignIn {
  token: SsoTokenSecret;
  registration: ClientRegistrationSecret;
  expiresIn: number;
  flow: SignInFlow;
}

export async function freshSignIn(ic: IdentityCenter, target: SsoTarget, deps: FreshSignInDeps, ui: SignInInteraction): Promise<FreshSignIn> {
  const plan = ui.plan ?? { flow: 'deviceCode' };
  if (plan.flow === 'authorizationCode' && ui.openBrowser) {
    const registrationDeps = { ...deps, registrationKey: deps.keys.authCodeRegistration };
    try {
      const { tokens, registration } = await runAuthCodeFlow(ic, {
        startUrl: target.startUrl,
        openBrowser: ui.openBrowser,
        externalRedirect: plan.redirect === 'forwarded' ? ui.externalRedirect : undefined,
        requireForwarded: plan.redirect === 'forwarded' && plan.fallback === 'deviceCode',
        registration: (signal) => clientRegistration(registrationDeps, ic, signal, { redirectUri: REGISTERED_REDIRECT_URI, issuerUrl: target.startUrl }),
        signal: ui.signal,
        timeoutMs: ui.timeoutMs,
        onListening: ui.onListening,
        log: deps.log,
      });
      // The token's client: a refresh only works with the client the token was issued to.
      await deps.store.store(deps.keys.registration, JSON.stringify(registration));
      return { token: tokenFor(target, tokens, deps.clock), registration, expiresIn: tokens.expiresIn, flow: 'authorizationCode' };
    } catch (e) {
      if (!(e instanceof RedirectUnreachable)) throw e;
      deps.log.info('[signIn] using the device code: the browser cannot reach this window for the redirect');
    }
  }
  const device = await deviceFlowSignIn(ic, target, {
    store: deps.store,
    registrationKey: deps.keys.registration,
    clock: deps.clock,
    log: deps.log,
    clientName: deps.clientName,
    onCode: ui.onCode,
    signal: ui.signal,
  });
  return { ...device, flow: 'deviceCode' };
}
