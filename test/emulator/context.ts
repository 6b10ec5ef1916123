// What every protocol handler needs; the Emulator implements it.
import type { ResolvedOptions } from './options';
import type { EmulatorState } from './state';

export interface Context {
  readonly options: ResolvedOptions;
  readonly state: EmulatorState;
  readonly port: number;
  now(): number;
}

/** Wire values are int32 seconds; fractional knobs round up so they are never 0 by accident. */
export const wireSeconds = (sec: number): number => Math.max(0, Math.ceil(sec));

export function verificationUri(ctx: Context, userCode?: string): string {
  const base = `http://${ctx.options.verificationHost}:${ctx.port}/device`;
  return userCode ? `${base}?user_code=${encodeURIComponent(userCode)}` : base;
}
