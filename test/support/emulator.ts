// Starts the local Identity Center for a test and builds our real client against it.
import { IdentityCenter } from '../../src/core/aws/identityCenter';
import { after, before, beforeEach } from 'node:test';
import { Emulator, EmulatorOptions } from '../emulator/server';

export const START_URL = 'https://emulator.awsapps.com/start';
export const REGION = 'us-east-1';

export async function startEmulator(options: EmulatorOptions = {}): Promise<{ emulator: Emulator; client: () => Promise<IdentityCenter> }> {
  const emulator = await Emulator.start({ interval: 1, ...options });
  const client = (): Promise<IdentityCenter> =>
    IdentityCenter.create({ region: REGION, endpoints: { oidc: emulator.url, portal: emulator.url }, requestTimeoutMs: 3_000 });
  return { emulator, client };
}

/**
 * Registers a test file's emulator hooks: started once for the file, reset and configured with
 * `config` before each test. The getters are valid inside tests.
 */
export function emulatorPerTest(config: EmulatorOptions): { emulator: () => Emulator; client: () => Promise<IdentityCenter> } {
  let started: Awaited<ReturnType<typeof startEmulator>> | undefined;
  before(async () => (started = await startEmulator()));
  after(() => started?.emulator.stop());
  beforeEach(() => {
    started!.emulator.reset();
    started!.emulator.configure(config);
  });
  return { emulator: () => started!.emulator, client: () => started!.client() };
}
