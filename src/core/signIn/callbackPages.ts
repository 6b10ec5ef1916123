// The small pages the browser shows after the authorization-code redirect reaches the editor:
// done, or what went wrong. Nothing from the request is echoed (no code, no state, no server text).
import * as l10n from '@vscode/l10n';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, detail: string, ok: boolean): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}h1{color:${ok ? '#037f0c' : '#d91515'}}</style>
</head><body><h1 id="${ok ? 'signed-in' : 'sign-in-failed'}">${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p></body></html>
`;
}

export const callbackPages = {
  signedIn: (): string =>
    page(
      l10n.t('Signed in to AWS IAM Identity Center'),
      l10n.t({ message: 'You can close this tab and return to the editor.', comment: ['Shown in the browser after a successful sign-in.'] }),
      true,
    ),
  denied: (): string =>
    page(
      l10n.t('Sign-in denied'),
      l10n.t('The sign-in was not allowed, so the editor was given no access. Run "AWS Identity Center: Sign In" to try again.'),
      false,
    ),
  /** The service redirected with an OAuth error code other than access_denied. */
  failed: (code: string): string =>
    page(
      l10n.t('Sign-in failed'),
      l10n.t({
        message: 'IAM Identity Center answered with the error "{0}". Run "AWS Identity Center: Sign In" to try again.',
        args: [code],
        comment: ['{0}: an OAuth error code such as invalid_request'],
      }),
      false,
    ),
  /** A redirect without this sign-in's state: forged, stale, or from another sign-in. */
  wrongState: (): string =>
    page(
      l10n.t('This sign-in link is not the one the editor is waiting for'),
      l10n.t('It may be left over from an earlier sign-in. Finish the sign-in in the tab the editor opened, or run "AWS Identity Center: Sign In" again.'),
      false,
    ),
  notFound: (): string => page(l10n.t('Not found'), l10n.t('This address only receives the AWS IAM Identity Center sign-in.'), false),
};
