// Which command lines typed in a terminal are AWS commands, and whether they choose their own
// credentials. Pure: shell integration hands us the command line, we only read it.

/**
 * Tools that sign AWS requests with the default credential chain when run plainly. Programs run
 * by an interpreter (python, node, go run…) cannot be told apart from any other program, so they
 * are left out: a missed warning is better than a wrong one.
 */
export const AWS_TOOLS = [
  'aws',
  'sam',
  'cdk',
  'cdktf',
  'terraform',
  'tofu',
  'terragrunt',
  'pulumi',
  'eksctl',
  'copilot',
  'serverless',
  'sls',
  'amplify',
  'chalice',
] as const;

/** Sub-commands that never fetch credentials (a warning after them would be noise). */
const NO_CREDENTIALS: Record<string, RegExp> = {
  aws: /^(--version|help|configure|completer)$/,
  terraform: /^(-?-?version|-?-?help|fmt|validate|graph|providers)$/,
  tofu: /^(-?-?version|-?-?help|fmt|validate|graph|providers)$/,
  cdk: /^(--version|help|init|docs|doctor|acknowledge|notices)$/,
  sam: /^(--version|--help|init|build|validate|local)$/,
};

/** Prefixes that run the next word as the command. */
const WRAPPERS = new Set(['sudo', 'env', 'time', 'exec', 'command', 'nohup', 'nice', 'builtin', 'npx', 'noglob']);

/** Variables which, set on the command line itself, choose the command's credentials. */
const CHOOSING_VARIABLES = new Set([
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
]);

export interface AwsCommand {
  /** The tool's name as in AWS_TOOLS. */
  tool: string;
  /** It names its own profile or credentials (`--profile x`, `AWS_PROFILE=x aws …`): not ours to judge. */
  ownCredentials: boolean;
}

/**
 * The first AWS command in a command line (pipelines and lists included), or undefined. Quoting is
 * handled only as far as splitting words; anything cleverer (eval, functions, aliases) is not seen.
 */
export function awsCommandOf(commandLine: string): AwsCommand | undefined {
  for (const simple of commandLine.split(/&&|\|\||[;|&\n]/)) {
    const found = inSimpleCommand(words(simple));
    if (found) return found;
  }
  return undefined;
}

function inSimpleCommand(all: string[]): AwsCommand | undefined {
  let ownCredentials = false;
  let i = 0;
  for (; i < all.length; i++) {
    const w = all[i];
    const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(w);
    if (assignment) {
      if (CHOOSING_VARIABLES.has(assignment[1])) ownCredentials = true;
      continue;
    }
    // Options of wrappers (env -i, sudo -E, nice -n 5): skipped with the wrapper.
    if (WRAPPERS.has(basename(w)) || (i > 0 && w.startsWith('-') && WRAPPERS.has(basename(all[i - 1] ?? '')))) continue;
    break;
  }
  const tool = basename(all[i] ?? '');
  if (!(AWS_TOOLS as readonly string[]).includes(tool)) return undefined;
  const rest = all.slice(i + 1);
  const sub = rest.find((w) => !w.startsWith('-') || /^--?(version|help)$/.test(w));
  if (sub && NO_CREDENTIALS[tool]?.test(sub)) return undefined;
  if (rest.some((w) => w === '--profile' || w.startsWith('--profile='))) ownCredentials = true;
  return { tool, ownCredentials };
}

/** Shell words, a quoted word without its quotes (no expansion: `$X` stays as typed). */
function words(text: string): string[] {
  return [...text.matchAll(/(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^\s"'])+/g)].map((m) => m[0].replace(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g, '$1$2'));
}

function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}
