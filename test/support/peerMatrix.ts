// One cell of the issue-23 matrix: a terminal design × what the user's ~/.aws holds, every real
// client run in parallel in that terminal's environment, and which key each one signed
// GetCallerIdentity with (the emulator logs the access key id of every call, valid or not).
import { CredentialBroker } from '../../src/core/credentials/broker';
import { CredentialBinding, CredentialServer } from '../../src/core/terminals/credentialServer';
import type { RoleRef } from '../../src/core/common/model';
import { Emulator } from '../emulator/server';
import { EmulatorSession, brokerFor, signIn, twoRoles } from '../soak/emulatorSession';
import { PeerClient, runClient } from './peerClients';
import { Design, Shadow, USER_KEYS, applyDesign, shadowHome, terminalEnv } from './peerShadows';

/** What a client ended up signing with: `role` is the active role's key, as the broker holds it. */
export type Signer = 'role' | 'default key' | 'default process' | 'source key' | 'other' | 'unknown key' | 'failed';

export interface Outcome {
  client: string;
  signer: Signer;
  ms: number;
  /** Exit code and the last line of stderr: why a client failed. No secret is in either. */
  detail: string;
}

export interface PeerWorld {
  em: Emulator;
  broker: CredentialBroker;
  binding: CredentialBinding;
  role: RoleRef;
  dispose(): Promise<void>;
}

export async function startPeerWorld(): Promise<PeerWorld> {
  const em = await Emulator.start({ accounts: 2, roleCredentialTtlSec: 3600, autoApprove: true });
  let session: EmulatorSession | undefined;
  let broker: CredentialBroker | undefined;
  let server: CredentialServer | undefined;
  try {
    session = await signIn(em);
    const [role] = twoRoles(session.roles);
    broker = brokerFor(session, 15 * 60_000);
    server = await CredentialServer.start();
    const b = broker;
    const binding = server.bind('active role', () => b.get(role));
    await broker.get(role);
    const s = server;
    const se = session;
    return {
      em,
      broker: b,
      binding,
      role,
      dispose: async () => {
        binding.dispose();
        s.dispose();
        b.dispose();
        se.dispose();
        await em.stop();
      },
    };
  } catch (e) {
    server?.dispose();
    broker?.dispose();
    session?.dispose();
    await em.stop();
    throw e;
  }
}

export interface CellOptions {
  /** Choose the user's `other` profile explicitly: on the command line (CLIs) or with AWS_PROFILE. */
  explicit?: 'flag' | 'AWS_PROFILE';
  /** Variables the user's environment adds on top (e.g. ones the extension cannot blank). */
  inherited?: Record<string, string>;
}

/** Runs every client in one design × shadow cell; a missing client is left out (see `missing`). */
export async function runCell(
  world: PeerWorld,
  design: Design,
  shadow: Shadow,
  clients: readonly PeerClient[],
  options: CellOptions = {},
): Promise<{ outcomes: Outcome[]; missing: string[] }> {
  const home = shadowHome(shadow);
  try {
    const vars = await applyDesign(design, home, world.binding, () => world.broker.get(world.role));
    if (options.explicit === 'AWS_PROFILE') vars.AWS_PROFILE = 'other';
    const env = { ...options.inherited, ...terminalEnv(home.home, world.em.url, vars) };
    const roleKey = world.broker.peek(world.role)?.accessKeyId;
    const before = world.em.calls().length;
    const missing: string[] = [];
    const runs = await Promise.all(
      clients.map(async (c) => {
        const extra = options.explicit === 'flag' ? (c.profileArgs?.('other') ?? []) : [];
        return { c, r: await runClient(c, env, extra) };
      }),
    );
    const calls = world.em.calls().slice(before);
    const label = (key: string | undefined): Signer =>
      key === undefined
        ? 'failed'
        : key === roleKey
          ? 'role'
          : key === USER_KEYS.default
            ? 'default key'
            : key === USER_KEYS.process
              ? 'default process'
              : key === USER_KEYS.source
                ? 'source key'
                : key === USER_KEYS.other
                  ? 'other'
                  : 'unknown key';
    const outcomes: Outcome[] = [];
    for (const { c, r } of runs) {
      if ('missing' in r) {
        missing.push(`${c.name}: ${r.missing}`);
        continue;
      }
      const lastErr = r.stderr.trim().split('\n').at(-1)?.slice(0, 240) ?? '';
      const signedWith = c.userAgent
        ? calls.filter((x) => x.operation === 'GetCallerIdentity' && c.userAgent!.test(x.userAgent ?? '')).at(-1)?.accessKeyId
        : r.code === 0
          ? r.stdout.trim()
          : undefined;
      outcomes.push({ client: c.name, signer: label(signedWith), ms: r.ms, detail: `exit ${r.code}${lastErr ? `: ${lastErr}` : ''}` });
    }
    return { outcomes, missing };
  } finally {
    home.cleanup();
  }
}
