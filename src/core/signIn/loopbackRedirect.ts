// The loopback listener of the authorization-code sign-in (RFC 8252): an HTTP server on 127.0.0.1,
// bound BEFORE the browser opens (a warm portal session redirects at once), that takes exactly one
// redirect to its callback path carrying this sign-in's `state`, answers the browser with a small
// page, and closes. A redirect with a wrong or missing state is refused and the wait goes on; a
// timeout or an abort closes it too, so the port is always freed.
import * as http from 'node:http';
import * as l10n from '@vscode/l10n';
import { IdcError } from '../common/errors';
import { callbackPages } from './callbackPages';

export const CALLBACK_PATH = '/oauth/callback';
/** What the AWS CLI waits for the browser. */
export const REDIRECT_TIMEOUT_MS = 10 * 60_000;

export interface RedirectListener {
  readonly port: number;
  /** http://127.0.0.1:<port>/oauth/callback */
  readonly redirectUri: string;
  /** The authorization code (secret), once the redirect with the right state arrived. */
  wait(options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<string>;
  /** Stops listening now (idempotent); a pending wait() rejects. */
  close(): Promise<void>;
  /** Redirects refused for a wrong or missing state so far (nothing else is kept about them). */
  readonly refused: number;
}

/** An OAuth error code as RFC 6749 spells them; anything else is not repeated to the user. */
const OAUTH_ERROR = /^[a-z_]{1,64}$/;

export async function listenForRedirect(state: string, options: { port?: number } = {}): Promise<RedirectListener> {
  let settle: { resolve: (code: string) => void; reject: (e: Error) => void } | undefined;
  let outcome: { code?: string; error?: Error } | undefined;
  let refused = 0;
  const finish = (result: { code?: string; error?: Error }): void => {
    if (outcome) return;
    outcome = result;
    if (settle && result.code) settle.resolve(result.code);
    else if (settle) settle.reject(result.error!);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const reply = (status: number, html: string, then?: () => void): void => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
      res.end(html, then);
    };
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH || outcome) return reply(404, callbackPages.notFound());
    const q = url.searchParams;
    if (q.get('state') !== state) {
      refused++;
      return reply(400, callbackPages.wrongState());
    }
    const error = q.get('error');
    if (error !== null) {
      const code = OAUTH_ERROR.test(error) ? error : 'unknown';
      const denied = code === 'access_denied';
      reply(400, denied ? callbackPages.denied() : callbackPages.failed(code), () => finish({ error: redirectError(code) }));
      return;
    }
    const code = q.get('code');
    if (!code) {
      reply(400, callbackPages.failed('invalid_request'), () => finish({ error: redirectError('invalid_request') }));
      return;
    }
    reply(200, callbackPages.signedIn(), () => finish({ code }));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback only: the code must never be reachable from another machine.
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as { port: number }).port;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };

  return {
    port,
    redirectUri: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    get refused() {
      return refused;
    },
    close,
    async wait({ signal, timeoutMs = REDIRECT_TIMEOUT_MS } = {}) {
      const result = new Promise<string>((resolve, reject) => {
        settle = { resolve, reject };
        if (outcome) return outcome.code ? resolve(outcome.code) : reject(outcome.error!);
      });
      const onAbort = (): void => finish({ error: new IdcError('cancelled', l10n.t('Sign-in was cancelled.'), 'AbortError') });
      if (signal?.aborted) onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => finish({ error: timedOut(timeoutMs) }), timeoutMs);
      try {
        return await result;
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        await close();
      }
    },
  };
}

function redirectError(code: string): IdcError {
  if (code === 'access_denied')
    return new IdcError(
      'denied',
      l10n.t({
        message: 'Sign-in was denied in the browser. Run "AWS Identity Center: Sign In" to try again.',
        comment: ['"AWS Identity Center: Sign In" is a command title'],
      }),
      'AccessDenied',
    );
  return new IdcError(
    'service',
    l10n.t({
      message: 'Sign-in failed: IAM Identity Center sent the browser back with the error "{0}". Run "AWS Identity Center: Sign In" to try again.',
      args: [code],
      comment: ['{0}: an OAuth error code such as invalid_request; "AWS Identity Center: Sign In" is a command title'],
    }),
    'AuthorizationError',
  );
}

function timedOut(ms: number): IdcError {
  return new IdcError(
    'timeout',
    l10n.t({
      message: 'Sign-in timed out: the browser did not come back within {0} minutes. Run "AWS Identity Center: Sign In" to try again.',
      args: [Math.max(1, Math.round(ms / 60_000))],
      comment: ['{0}: a number of minutes; "AWS Identity Center: Sign In" is a command title'],
    }),
    'RedirectTimeout',
  );
}
