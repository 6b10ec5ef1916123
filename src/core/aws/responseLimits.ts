// Limits on what an AWS server may make us wait for or hold: a deadline for the whole response of
// every call (the request handler's requestTimeout only counts idle time, so a body dripping one
// byte a second never trips it), and a cap on the size of a response body, checked while it
// streams in, before the SDK collects and parses it. Both work through the SDK's own request handler.
import { Transform, type Readable } from 'node:stream';

/** The whole call took longer than its deadline (retries included). Mapped like a request timeout. */
export class DeadlineError extends Error {
  constructor(readonly deadlineMs: number) {
    super(`No complete answer within ${deadlineMs} ms.`);
    this.name = 'TimeoutError';
  }
}

/** A response body was larger than any answer of the API can be. */
export class ResponseTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`Response body larger than ${maxBytes} bytes.`);
    this.name = 'ResponseTooLarge';
  }
}

/**
 * Runs `call` with a signal that aborts at `deadlineMs` or when `signal` aborts. When the deadline
 * passes first the call rejects at once with a DeadlineError, whatever the SDK is still doing
 * (aborting makes the handler destroy the socket).
 */
export async function withDeadline<T>(deadlineMs: number, signal: AbortSignal | undefined, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const onCallerAbort = (): void => abort.abort(signal?.reason);
  if (signal?.aborted) onCallerAbort();
  else signal?.addEventListener('abort', onCallerAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const e = new DeadlineError(deadlineMs);
      abort.abort(e);
      reject(e);
    }, deadlineMs);
  });
  try {
    return await Promise.race([call(abort.signal), deadline]);
  } catch (e) {
    if (abort.signal.reason instanceof DeadlineError && !signal?.aborted) throw abort.signal.reason;
    throw e;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onCallerAbort);
  }
}

interface RawResponse {
  headers?: Record<string, string | undefined>;
  body?: unknown;
}

type Handler = (args: unknown) => Promise<{ response: unknown }>;

/**
 * SDK middleware (deserialize step, low priority: it runs between the handler and the
 * deserializer) that refuses a body over `maxBytes`: at once when Content-Length says so,
 * otherwise as soon as that many bytes have streamed in. The socket is destroyed either way.
 */
export function bodySizeLimit(maxBytes: number): (next: Handler) => Handler {
  return (next) => async (args) => {
    const out = await next(args);
    const response = out.response as RawResponse;
    const body = response?.body as Readable | undefined;
    if (!body || typeof body.pipe !== 'function') return out;
    const declared = Number(response.headers?.['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      body.destroy();
      throw new ResponseTooLargeError(maxBytes);
    }
    let seen = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        seen += chunk.length;
        if (seen > maxBytes) {
          body.unpipe(counter);
          body.destroy();
          done(new ResponseTooLargeError(maxBytes));
          return;
        }
        done(null, chunk);
      },
    });
    body.on('error', (e) => counter.destroy(e));
    response.body = body.pipe(counter);
    return out;
  };
}
