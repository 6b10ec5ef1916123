// A browser for the authorization-code sign-in in plain Node tests: opens /authorize, clicks Allow or
// Deny on the emulator's consent page, and follows the redirect to the loopback listener, as the
// harness's Chromium does in the VS Code suites. *.localhost resolves to loopback, as in browsers.

export interface BrowserVisit {
  /** Status and text of the last page (the listener's "signed in" or error page). */
  status: number;
  text: string;
  /** Every address visited, with query strings removed (they carry the code and state). */
  path: string[];
}

const toLoopback = (u: URL): URL => {
  const out = new URL(u);
  if (out.hostname.endsWith('.localhost')) out.hostname = '127.0.0.1';
  return out;
};
const bare = (u: URL): string => `${u.origin}${u.pathname}`;

export async function browse(start: string, action: 'allow' | 'deny' | 'none' = 'allow'): Promise<BrowserVisit> {
  const path: string[] = [];
  let url = new URL(start);
  let init: RequestInit = {};
  for (let hop = 0; hop < 6; hop++) {
    path.push(bare(url));
    const res = await fetch(toLoopback(url), { ...init, redirect: 'manual' });
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.arrayBuffer();
      url = new URL(location, url);
      init = {};
      continue;
    }
    const text = await res.text();
    const request = /name="request" value="([^"]+)"/.exec(text)?.[1];
    if (request && action !== 'none' && url.pathname === '/authorize/consent') {
      init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ request, action }).toString() };
      continue;
    }
    return {
      status: res.status,
      text: text
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
      path,
    };
  }
  throw new Error(`too many redirects: ${path.join(' → ')}`);
}
