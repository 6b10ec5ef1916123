// The browser page behind verificationUri: shows the user code and client name
// with Allow (#allow) / Deny (#deny) buttons, like the real portal's consent step.
import type { Context } from './context';
import { decide } from './oidc';
import { xmlEscape as esc } from './responses';

export interface PageResult {
  status: number;
  html: string;
  userCode?: string;
}

function page(title: string, inner: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#16191f}
.code{font:600 1.6rem ui-monospace,monospace;letter-spacing:.15em;margin:1rem 0}
button,input{font:inherit;padding:.4rem .9rem;margin-right:.5rem}
#allow{background:#0972d3;color:#fff;border:0;border-radius:4px}
</style></head>
<body><h1>${esc(title)}</h1>
${inner}
</body></html>
`;
}

export function renderDevicePage(ctx: Context, userCode: string | null): PageResult {
  if (!userCode) {
    return {
      status: 200,
      html: page(
        'Authorize request',
        `<form method="get" action="/device">
<label for="user_code">Enter the code shown in your application</label><br>
<input id="user_code" name="user_code" autocomplete="off" placeholder="ABCD-EFGH">
<button id="submit" type="submit">Next</button></form>`,
      ),
    };
  }
  const device = ctx.state.deviceByUserCode(userCode);
  if (!device || device.expiresAt <= ctx.now()) {
    return { status: 404, html: page('Invalid code', `<p id="result">The code ${esc(userCode)} is invalid or has expired.</p>`) };
  }
  if (device.status !== 'pending') return resultPage(device.status === 'denied', device.userCode);
  const clientName = ctx.state.clients.get(device.clientId)?.clientName ?? 'unknown application';
  return {
    status: 200,
    userCode: device.userCode,
    html: page(
      'Authorize request',
      `<p>Allow <strong id="client-name">${esc(clientName)}</strong> to access your data?</p>
<p>Confirm this code matches the one shown in your application:</p>
<div class="code" id="user-code">${esc(device.userCode)}</div>
<p>Start URL: <span id="start-url">${esc(device.startUrl)}</span></p>
<form method="post" action="/device">
<input type="hidden" name="user_code" value="${esc(device.userCode)}">
<button id="allow" type="submit" name="action" value="allow">Allow</button>
<button id="deny" type="submit" name="action" value="deny">Deny</button>
</form>`,
    ),
  };
}

export function submitDevicePage(ctx: Context, form: URLSearchParams): PageResult {
  const userCode = form.get('user_code') ?? '';
  const action = form.get('action');
  if (action !== 'allow' && action !== 'deny') {
    return { status: 400, html: page('Bad request', '<p id="result">Choose Allow or Deny.</p>') };
  }
  const decided = decide(ctx, userCode, action === 'allow');
  if (!decided) {
    const device = ctx.state.deviceByUserCode(userCode);
    // Re-submitting an already decided code shows the same outcome again.
    if (device && device.status !== 'pending' && device.expiresAt > ctx.now()) return resultPage(device.status === 'denied', device.userCode);
    return { status: 404, html: page('Invalid code', `<p id="result">The code ${esc(userCode)} is invalid or has expired.</p>`) };
  }
  return resultPage(action === 'deny', decided);
}

function resultPage(denied: boolean, userCode: string): PageResult {
  const text = denied ? 'Request denied' : 'Request approved';
  const detail = denied ? 'The application was not given access.' : 'You can close this window and return to your application.';
  return { status: 200, userCode, html: page(text, `<p id="result">${text}</p><p>${detail}</p>`) };
}
