// The credential_process script of the terminal profile (terminalProfile.ts). It depends on
// nothing of the VS Code installation (whose path changes with every update and on remote
// servers): it reads the endpoint and its token from the terminal's environment and asks the
// loopback endpoint for the credential_process JSON (`?format=process`), which it prints as it is.
// The token never goes on a command line (other users see argv in `ps`): curl reads the header
// from standard input (`-K -`, printf being a shell builtin), and bash's /dev/tcp needs no program.

/** Found in the first lines of every version of the script: tells a script of ours from any other file. */
export const SCRIPT_MARKER = 'awsidc-terminal credential_process';

/** Bumped when the text changes, so an older copy is rewritten. */
export const SCRIPT_VERSION = 3;

/** The version in a script's marker line, if it is one of ours. */
export function scriptVersion(text: string): number | undefined {
  const m = new RegExp(`^# ${SCRIPT_MARKER} v(\\d+)$`, 'm').exec(text.slice(0, 256));
  return m ? Number(m[1]) : undefined;
}

const HELP = 'Open a new terminal in VS Code (AWS Identity Center Sessions) or choose another profile with --profile or AWS_PROFILE.';

/** The script, POSIX sh; bash only for the /dev/tcp fallback when curl is missing. */
export function credentialProcessScript(): string {
  return `#!/bin/sh
# ${SCRIPT_MARKER} v${SCRIPT_VERSION}
# Written by the VS Code extension "AWS Identity Center Sessions" for [profile awsidc-terminal] in
# the AWS config file. It prints the credentials of the role the extension's status bar shows, read
# from the extension's loopback endpoint of this terminal (or, in env mode, from the keys the
# extension put in its environment). It holds no secret. Outside those terminals it fails with a
# message; to remove it, delete that profile and this file.
fail() {
  printf 'awsidc-terminal: %s\\n' "$1" >&2
  exit 1
}
uri=\${AWS_CONTAINER_CREDENTIALS_FULL_URI:-}
token=\${AWS_CONTAINER_AUTHORIZATION_TOKEN:-}
# Env mode: the extension put the role's keys in the environment. Most clients read them before
# any profile; the JS SDK v3 reads a selected profile first, so it gets them here.
if [ -z "$uri" ] && [ -n "\${AWS_ACCESS_KEY_ID:-}" ] && [ -n "\${AWS_SECRET_ACCESS_KEY:-}" ]; then
  for v in "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "\${AWS_SESSION_TOKEN:-}" "\${AWS_CREDENTIAL_EXPIRATION:-}"; do
    case "$v" in *[!A-Za-z0-9/+=.:_-]*) fail "the AWS keys in this shell's environment are not well-formed." ;; esac
  done
  printf '{"Version":1,"AccessKeyId":"%s","SecretAccessKey":"%s"' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY"
  [ -z "\${AWS_SESSION_TOKEN:-}" ] || printf ',"SessionToken":"%s"' "$AWS_SESSION_TOKEN"
  [ -z "\${AWS_CREDENTIAL_EXPIRATION:-}" ] || printf ',"Expiration":"%s"' "$AWS_CREDENTIAL_EXPIRATION"
  printf '}\\n'
  exit 0
fi
[ -n "$uri" ] && [ -n "$token" ] || fail "this shell has no AWS Identity Center Sessions credentials. ${HELP}"
# Only our own endpoint's shape: loopback, a port, one path segment; a token header-safe.
rest=\${uri#http://127.0.0.1:}
port=\${rest%%/*}
path=\${rest#*/}
case "$uri" in http://127.0.0.1:*/*) ;; *) fail "AWS_CONTAINER_CREDENTIALS_FULL_URI is not the extension's loopback endpoint. ${HELP}" ;; esac
case "$port" in '' | *[!0-9]*) fail "AWS_CONTAINER_CREDENTIALS_FULL_URI has no port. ${HELP}" ;; esac
case "$path" in '' | *[!A-Za-z0-9_-]*) fail "AWS_CONTAINER_CREDENTIALS_FULL_URI is not the extension's endpoint. ${HELP}" ;; esac
case "$token" in *[!A-Za-z0-9_-]*) fail "AWS_CONTAINER_AUTHORIZATION_TOKEN is not the extension's token. ${HELP}" ;; esac
nl='
'
if command -v curl >/dev/null 2>&1; then
  # -q: no ~/.curlrc; the header comes from standard input, not argv.
  reply=$(printf 'header = "Authorization: %s"\\n' "$token" |
    curl -q -s --noproxy '*' --max-time 20 -K - -w "\${nl}%{http_code}" "http://127.0.0.1:$port/$path?format=process") ||
    fail "the VS Code window that opened this terminal does not answer (closed?). ${HELP}"
  status=\${reply##*"$nl"}
  body=\${reply%"$nl"*}
elif command -v bash >/dev/null 2>&1; then
  reply=$(AWSIDC_PORT=$port AWSIDC_PATH=$path bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$AWSIDC_PORT" || exit 1
    printf "GET /%s?format=process HTTP/1.0\\r\\nHost: 127.0.0.1:%s\\r\\nAuthorization: %s\\r\\n\\r\\n" \\
      "$AWSIDC_PATH" "$AWSIDC_PORT" "$AWS_CONTAINER_AUTHORIZATION_TOKEN" >&3
    IFS=" " read -r -t 20 _ code _ <&3 || exit 1
    while IFS= read -r -t 20 line <&3 && [ "\${line%$(printf "\\r")}" != "" ]; do :; done
    body=$(cat <&3)
    printf "%s\\n%s" "$body" "$code"
  ' 2>/dev/null) || fail "the VS Code window that opened this terminal does not answer (closed?). ${HELP}"
  status=\${reply##*"$nl"}
  body=\${reply%"$nl"*}
else
  fail "neither curl nor bash is installed, so the endpoint cannot be read. Install curl."
fi
if [ "$status" = 200 ]; then
  printf '%s\\n' "$body"
  exit 0
fi
# The endpoint's refusals are JSON {"Code","Message"} whose Message says what to do.
message=$(printf '%s' "$body" | sed -n 's/.*"Message":"\\([^"]*\\)".*/\\1/p' | tr -d '\\000-\\037\\177')
case "$status" in
401 | 404) fail "this terminal's link to VS Code has ended (the window was reloaded or the terminal was closed in VS Code). ${HELP}" ;;
esac
fail "\${message:-the endpoint refused the request.} (HTTP $status)"
`;
}
