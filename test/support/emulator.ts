// Starts the local Identity Center for a test and builds our real client against it.
import { IdentityCenter } from '../../src/core/aws/identityCenter';
import { Emulator, EmulatorOptions } from '../emulator/server';

export const START_URL = 'https://emulator.awsapps.com/start';
export const REGION = 'us-east-1';

export async function startEmulator(options: EmulatorOptions = {}): Promise<{ emulator: Emulator; client: () => Promise<IdentityCenter> }> {
  const emulator = await Emulator.start({ interval: 1, ...options });
  const client = (): Promise<IdentityCenter> =>
    IdentityCenter.create({ region: REGION, endpoints: { oidc: emulator.url, portal: emulator.url }, requestTimeoutMs: 3_000 });
  return { emulator, client };
}
