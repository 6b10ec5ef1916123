// Tiny fetch-based client for the /_emulator/ control API, for tests that run
// in another process than the emulator (e.g. inside a VS Code extension host).
// Mirrors the in-process Emulator knobs one to one.
import type { CallEntry, CallFilter } from './callLog';
import type { EmulatorSnapshot, ExpireTarget } from './control';
import type { EmulatorOptions, FaultSpec, ResolvedOptions, SeedAccount } from './options';
import type { PendingDeviceView } from './state';
import type { TrailRecord } from './trail';

export class EmulatorControl {
  readonly baseUrl: string;

  /** baseUrl: the emulator URL (http://127.0.0.1:PORT). */
  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** Find the emulator through the endpoint variables the SDK itself reads. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): EmulatorControl {
    const url = env.AWS_ENDPOINT_URL_SSO_OIDC ?? env.AWS_ENDPOINT_URL_SSO ?? env.AWS_ENDPOINT_URL;
    if (!url) throw new Error('AWS_ENDPOINT_URL_SSO_OIDC is not set; is the emulator running?');
    return new EmulatorControl(url);
  }

  state(): Promise<EmulatorSnapshot> {
    return this.call('GET', 'state');
  }
  accounts(): Promise<SeedAccount[]> {
    return this.call('GET', 'accounts');
  }
  configure(partial: EmulatorOptions): Promise<ResolvedOptions> {
    return this.call('POST', 'configure', partial);
  }

  /** Approve a pending device authorization (no code: the latest one). Resolves to the user code, or undefined if none matched. */
  approve(userCode?: string): Promise<string | undefined> {
    return this.decide('approve', userCode);
  }
  deny(userCode?: string): Promise<string | undefined> {
    return this.decide('deny', userCode);
  }

  async injectFault(spec: FaultSpec): Promise<void> {
    await this.call('POST', 'fault', spec);
  }
  async clearFaults(): Promise<void> {
    await this.call('POST', 'faults/clear');
  }

  calls(filter: CallFilter = {}): Promise<CallEntry[]> {
    const q = new URLSearchParams();
    if (filter.operation !== undefined) q.set('operation', filter.operation);
    if (filter.since !== undefined) q.set('since', String(filter.since));
    const qs = q.toString();
    return this.call('GET', qs ? `calls?${qs}` : 'calls');
  }

  async clearCalls(): Promise<void> {
    await this.call('POST', 'calls/clear');
  }
  /** Every signed call the emulator answered, oldest first (what LookupEvents serves). */
  trail(): Promise<TrailRecord[]> {
    return this.call('GET', 'trail');
  }
  issuedSecrets(): Promise<string[]> {
    return this.call('GET', 'secrets');
  }
  async revokeAllTokens(): Promise<void> {
    await this.call('POST', 'revoke', { refresh: false });
  }
  async revokeRefreshTokens(): Promise<void> {
    await this.call('POST', 'revoke', { refresh: true });
  }
  async expire(what: ExpireTarget): Promise<number> {
    return (await this.call<{ expired: number }>('POST', 'expire', { what })).expired;
  }
  async reset(): Promise<void> {
    await this.call('POST', 'reset');
  }
  pending(): Promise<PendingDeviceView[]> {
    return this.call('GET', 'pending');
  }

  /** The most recent pending device authorization, if any. */
  async pendingDevice(): Promise<PendingDeviceView | undefined> {
    return (await this.pending()).at(-1);
  }

  /** Poll until a device authorization is pending (the extension started a sign-in). */
  async waitForPending(timeoutMs = 10_000, pollMs = 50): Promise<PendingDeviceView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const p = await this.pendingDevice();
      if (p) return p;
      if (Date.now() > deadline) throw new Error(`no pending device authorization within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  private async decide(kind: 'approve' | 'deny', userCode?: string): Promise<string | undefined> {
    const res = await fetch(`${this.baseUrl}/_emulator/${kind}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(userCode ? { userCode } : {}),
    });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`emulator ${kind}: HTTP ${res.status} ${await res.text()}`);
    return ((await res.json()) as { userCode: string }).userCode;
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}/_emulator/${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator ${method} ${path}: HTTP ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }
}
