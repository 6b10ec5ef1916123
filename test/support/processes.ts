// Shared by tests that run real clients as child processes or need process.env set for a while.
import { execFile } from 'node:child_process';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a program to completion; never rejects (a failure is a non-zero code, -1 if it could not start or timed out). */
export function runProcess(file: string, args: string[], env?: NodeJS.ProcessEnv, timeoutMs = 60_000, cwd?: string): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(file, args, { env, cwd, timeout: timeoutMs, maxBuffer: 8 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr), ms: Date.now() - started });
    });
  });
}

/** Sets (or, for undefined, deletes) process.env entries while fn runs, then restores them. */
export async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (v: Record<string, string | undefined>): void => {
    for (const [k, val] of Object.entries(v))
      if (val === undefined) delete process.env[k];
      else process.env[k] = val;
  };
  apply(vars);
  try {
    return await fn();
  } finally {
    apply(saved);
  }
}
