// Time as a dependency, so tests can move it without waiting and without fake-timer libraries.
export interface Clock {
  now(): number;
  /** Runs `fn` after `ms`; returns a function that cancels it. */
  setTimeout(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    // Node caps timers at 2^31-1 ms; longer waits re-arm themselves.
    const max = 2_147_483_647;
    let handle: NodeJS.Timeout;
    const due = Date.now() + ms;
    const arm = (): void => {
      const left = due - Date.now();
      handle = setTimeout(left > max ? arm : fn, Math.min(Math.max(left, 0), max));
      handle.unref?.();
    };
    arm();
    return () => clearTimeout(handle);
  },
};

/** Resolves after `ms`, or rejects with an AbortError as soon as `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const onAbort = (): void => {
      cancel();
      reject(abortError());
    };
    const cancel = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortError(): Error {
  const e = new Error('The operation was cancelled.');
  e.name = 'AbortError';
  return e;
}
