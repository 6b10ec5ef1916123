// The browser page behind verificationUri: shows the user code and client name
// with Allow (#allow) / Deny (#deny) buttons, like the real portal's consent step.
import type { Context } from './context';
import { decide } from './oidc';
import { xmlEscape as esc } from './responses';
import { consentForm, page } from './consentPage';

export interface PageResult {
  status: number;
  html: string;
  userCode?: string;
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
      consentForm({
        clientName,
        startUrl: device.startUrl,
        between: `<p>Confirm this code matches the one shown in your application:</p>\n<div class="code" id="user-code">${esc(device.userCode)}</div>\n`,
        action: '/device',
        hidden: ['user_code', device.userCode],
      }),
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
