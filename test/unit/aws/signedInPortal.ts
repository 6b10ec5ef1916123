// A started emulator, our client for it and a signed-in access token: what the portal tests
// (catalog, broker, response limits) start from.
import { IdentityCenter, type IdentityCenterOptions } from '../../../src/core/aws/identityCenter';
import type { RoleRef } from '../../../src/core/common/model';
import { Emulator, type EmulatorOptions } from '../../emulator/server';
import { REGION, START_URL } from '../../support/emulator';

export interface SignedInPortal {
  emulator: Emulator;
  ic: IdentityCenter;
  accessToken: string;
  /** The first role of the first account that has one. */
  role: RoleRef;
  stop(): Promise<void>;
}

export async function signedInPortal(options: EmulatorOptions, client: Partial<IdentityCenterOptions> = {}): Promise<SignedInPortal> {
  const emulator = await Emulator.start({ autoApprove: true, interval: 1, ...options });
  const ic = await IdentityCenter.create({ region: REGION, endpoints: { oidc: emulator.url, portal: emulator.url }, ...client });
  const reg = await ic.registerClient('test');
  const auth = await ic.startDeviceAuthorization(reg, START_URL);
  const accessToken = (await ic.createTokenWithDeviceCode(reg, auth.deviceCode)).accessToken;
  const account = emulator.accounts().find((a) => a.roles.length);
  const role = { accountId: account?.accountId ?? '', roleName: account?.roles[0] ?? '' };
  return {
    emulator,
    ic,
    accessToken,
    role,
    stop: async () => {
      ic.dispose();
      await emulator.stop();
    },
  };
}
