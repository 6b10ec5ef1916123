// The OAuth device-authorization grant against SSO OIDC: start, show the code, poll until the
// user approves, denies, or the code expires. Cancellable at every wait through an AbortSignal.
import * as l10n from '@vscode/l10n';
import { Clock, sleep, systemClock } from '../common/clock';
import { IdcError, errorName, isAbort, isNetwork, toIdcError } from '../common/errors';
import type { DeviceAuthorization, IdentityCenter, TokenResponse } from '../aws/identityCenter';
import type { Logger } from '../common/log';
import { silentLogger } from '../common/log';
import type { ClientRegistrationSecret } from '../common/model';

/** What the UI shows while the user approves in the browser. Not secret: the user code is meant to be seen. */
export interface DeviceCodePrompt {
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  /** Epoch ms when the code stops working. */
  expiresAt: number;
}

export interface DeviceFlowOptions {
  startUrl: string;
  onCode: (prompt: DeviceCodePrompt) => void | Promise<void>;
  signal?: AbortSignal;
  clock?: Clock;
  log?: Logger;
  /** Consecutive network failures tolerated while polling before giving up. */
  maxNetworkFailures?: number;
}

const SLOW_DOWN_STEP_S = 5;

export async function runDeviceFlow(ic: IdentityCenter, client: ClientRegistrationSecret, options: DeviceFlowOptions): Promise<TokenResponse> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger;
  const target = { startUrl: options.startUrl, region: ic.region };
  let auth: DeviceAuthorization;
  try {
    auth = await ic.startDeviceAuthorization(client, options.startUrl, options.signal);
  } catch (e) {
    throw toIdcError(e, l10n.t('Sign-in'), target);
  }
  const expiresAt = clock.now() + auth.expiresIn * 1000;
  await options.onCode({
    userCode: auth.userCode,
    verificationUri: auth.verificationUri,
    verificationUriComplete: auth.verificationUriComplete,
    expiresAt,
  });

  let intervalS = Math.max(auth.interval, 1);
  let networkFailures = 0;
  for (;;) {
    await sleep(clock, intervalS * 1000, options.signal);
    if (clock.now() >= expiresAt) {
      throw new IdcError(
        'codeExpired',
        l10n.t({
          message: 'Sign-in timed out: the code was not approved in time. Run "AWS Identity Center: Sign In" to get a new code.',
          comment: ['"AWS Identity Center: Sign In" is a command title'],
        }),
        'LocalExpiry',
      );
    }
    try {
      return await ic.createTokenWithDeviceCode(client, auth.deviceCode, options.signal);
    } catch (e) {
      if (isAbort(e) || options.signal?.aborted) throw toIdcError(e, l10n.t('Sign-in'), target);
      const name = errorName(e);
      if (name === 'AuthorizationPendingException') {
        networkFailures = 0;
        continue;
      }
      if (name === 'SlowDownException') {
        intervalS += SLOW_DOWN_STEP_S;
        log.info(`[signIn] asked to slow down; polling every ${intervalS}s`);
        continue;
      }
      if (isNetwork(e) && ++networkFailures <= (options.maxNetworkFailures ?? 3)) {
        log.warn(`[signIn] poll failed (${name}); retrying`);
        continue;
      }
      throw toIdcError(e, l10n.t('Sign-in'), target);
    }
  }
}
