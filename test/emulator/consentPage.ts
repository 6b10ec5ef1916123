// The HTML both browser sign-in steps show (the device code's verification page and /authorize):
// one page frame, and one consent form with Allow (#allow) and Deny (#deny), like the real portal.
import { xmlEscape as esc } from './responses';

export function page(title: string, inner: string): string {
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

/** "Allow <client> to access your data?", what else the step shows, the start URL, and the two buttons posting `hidden` to `action`. */
export function consentForm(o: { clientName: string; startUrl: string; between?: string; action: string; hidden: [name: string, value: string] }): string {
  return `<p>Allow <strong id="client-name">${esc(o.clientName)}</strong> to access your data?</p>
${o.between ?? ''}<p>Start URL: <span id="start-url">${esc(o.startUrl)}</span></p>
<form method="post" action="${o.action}">
<input type="hidden" name="${o.hidden[0]}" value="${esc(o.hidden[1])}">
<button id="allow" type="submit" name="action" value="allow">Allow</button>
<button id="deny" type="submit" name="action" value="deny">Deny</button>
</form>`;
}
