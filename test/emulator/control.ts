// Control API under /_emulator/: the same knobs as the in-process Emulator
// methods, as JSON over HTTP, for tests running in another process.
import type { CallEntry, CallFilter } from './callLog';
import type { PendingFault } from './faults';
import type { EmulatorOptions, FaultSpec, ResolvedOptions, SeedAccount } from './options';
import type { PendingDeviceView } from './state';
import type { TrailRecord } from './trail';

export const CONTROL_PREFIX = '/_emulator/';

export type ExpireTarget = 'accessTokens' | 'roleCredentials' | 'deviceCodes' | 'clientSecrets';

export interface EmulatorSnapshot {
  url: string;
  options: ResolvedOptions;
  faults: PendingFault[];
  counts: {
    accounts: number;
    clients: number;
    pendingDevices: number;
    accessTokens: number;
    refreshTokens: number;
    roleKeys: number;
    calls: number;
  };
}

/** What the control API drives; implemented by Emulator. */
export interface Controllable {
  snapshot(): EmulatorSnapshot;
  configure(partial: EmulatorOptions): ResolvedOptions;
  approve(userCode?: string): string | undefined;
  deny(userCode?: string): string | undefined;
  injectFault(spec: FaultSpec): void;
  clearFaults(): void;
  calls(filter?: CallFilter): CallEntry[];
  clearCalls(): void;
  trailRecords(): TrailRecord[];
  issuedSecrets(): string[];
  revokeAllTokens(): void;
  revokeRefreshTokens(): void;
  expire(what: ExpireTarget): number;
  reset(): void;
  pending(): PendingDeviceView[];
  accounts(): SeedAccount[];
}

export interface ControlResult {
  status: number;
  body: unknown;
}

const EXPIRE_TARGETS: ExpireTarget[] = ['accessTokens', 'roleCredentials', 'deviceCodes', 'clientSecrets'];

export function handleControl(emu: Controllable, method: string, path: string, query: URLSearchParams, rawBody: string): ControlResult {
  let body: Record<string, unknown> = {};
  if (rawBody.trim() !== '') {
    try {
      body = JSON.parse(rawBody) as Record<string, unknown>;
    } catch {
      return { status: 400, body: { error: 'body must be JSON' } };
    }
  }
  const route = `${method} ${path.slice(CONTROL_PREFIX.length - 1)}`;
  const userCode = typeof body.userCode === 'string' ? body.userCode : undefined;
  try {
    switch (route) {
      case 'GET /state':
        return ok(emu.snapshot());
      case 'GET /accounts':
        return ok(emu.accounts());
      case 'POST /configure':
        return ok(emu.configure(body as EmulatorOptions));
      case 'POST /approve':
      case 'POST /deny': {
        const decided = route === 'POST /approve' ? emu.approve(userCode) : emu.deny(userCode);
        return decided ? ok({ userCode: decided }) : { status: 404, body: { error: 'no matching pending device authorization' } };
      }
      case 'POST /fault':
        emu.injectFault(body as unknown as FaultSpec);
        return ok(emu.snapshot().faults);
      case 'POST /faults/clear':
        emu.clearFaults();
        return ok({});
      case 'GET /calls': {
        const since = query.get('since');
        return ok(emu.calls({ operation: query.get('operation') ?? undefined, since: since === null ? undefined : Number(since) }));
      }
      case 'GET /trail':
        return ok(emu.trailRecords());
      case 'POST /calls/clear':
        emu.clearCalls();
        return ok({});
      case 'GET /secrets':
        return ok(emu.issuedSecrets());
      case 'POST /revoke':
        if (body.refresh === true) emu.revokeRefreshTokens();
        else emu.revokeAllTokens();
        return ok({});
      case 'POST /expire': {
        const what = body.what as ExpireTarget;
        if (!EXPIRE_TARGETS.includes(what)) return { status: 400, body: { error: `what must be one of ${EXPIRE_TARGETS.join(', ')}` } };
        return ok({ expired: emu.expire(what) });
      }
      case 'POST /reset':
        emu.reset();
        return ok({});
      case 'GET /pending':
        return ok(emu.pending());
      default:
        return { status: 404, body: { error: `unknown control route ${route}` } };
    }
  } catch (e) {
    return { status: 400, body: { error: e instanceof Error ? e.message : String(e) } };
  }
}

const ok = (body: unknown): ControlResult => ({ status: 200, body });
