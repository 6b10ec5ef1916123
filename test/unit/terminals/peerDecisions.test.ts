// Table tests of the peer decisions: which command lines are AWS commands, whether they choose their
// own credentials, which variable wins over the active role, and which shell file set it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { awsCommandOf } from '../../../src/core/terminals/peerCommands';
import { observeEnviron, originOf, overrideWarning, startupFiles, winningOverride } from '../../../src/core/terminals/peerOverrides';

describe('AWS command lines', () => {
  const table: [string, { tool: string; ownCredentials: boolean } | undefined][] = [
    ['aws sts get-caller-identity', { tool: 'aws', ownCredentials: false }],
    ['/usr/bin/aws s3 ls', { tool: 'aws', ownCredentials: false }],
    ['"/opt/aws cli/aws" s3 ls', { tool: 'aws', ownCredentials: false }],
    ['aws --profile legacy s3 ls', { tool: 'aws', ownCredentials: true }],
    ['aws s3 ls --profile=legacy', { tool: 'aws', ownCredentials: true }],
    ['AWS_PROFILE=x aws s3 ls', { tool: 'aws', ownCredentials: true }],
    ["AWS_PROFILE='x y' aws s3 ls", { tool: 'aws', ownCredentials: true }],
    ['env AWS_ACCESS_KEY_ID=AKIA aws s3 ls', { tool: 'aws', ownCredentials: true }],
    ['AWS_REGION=eu-west-1 aws s3 ls', { tool: 'aws', ownCredentials: false }],
    ['sudo -E terraform plan', { tool: 'terraform', ownCredentials: false }],
    ['time cdk deploy', { tool: 'cdk', ownCredentials: false }],
    ['cd infra && terraform apply -auto-approve', { tool: 'terraform', ownCredentials: false }],
    ['echo hi; sam deploy', { tool: 'sam', ownCredentials: false }],
    ['aws s3 ls | grep x', { tool: 'aws', ownCredentials: false }],
    ['npx cdk synth', { tool: 'cdk', ownCredentials: false }],
    ['aws --version', undefined],
    ['aws help', undefined],
    ['aws configure list', undefined],
    ['terraform fmt', undefined],
    ['terraform -version', undefined],
    ['echo aws', undefined],
    ['awsome --go', undefined],
    ['python3 deploy.py', undefined],
    ['ls -la', undefined],
    ['', undefined],
  ];
  for (const [line, expected] of table) test(JSON.stringify(line), () => assert.deepEqual(awsCommandOf(line), expected));
});

describe('which variable wins over the active role', () => {
  const env = (names: string[], profile?: string) => ({ nonEmpty: new Set(names), profile });
  const ours = 'awsidc-terminal';
  const table: [string, ReturnType<typeof env>, string | undefined, boolean, object | undefined][] = [
    ['nothing set', env([]), undefined, true, undefined],
    ['our profile selected', env(['AWS_PROFILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI'], ours), ours, true, undefined],
    ['static keys win over everything', env(['AWS_ACCESS_KEY_ID', 'AWS_PROFILE'], ours), ours, true, { variable: 'AWS_ACCESS_KEY_ID' }],
    ['another profile', env(['AWS_PROFILE'], 'legacy'), ours, true, { variable: 'AWS_PROFILE', value: 'legacy' }],
    ['a profile before profiles were selected', env(['AWS_PROFILE'], 'legacy'), undefined, true, { variable: 'AWS_PROFILE', value: 'legacy' }],
    ['the old name, read by CLI v1', env(['AWS_DEFAULT_PROFILE']), undefined, true, { variable: 'AWS_DEFAULT_PROFILE' }],
    ['the old name under our AWS_PROFILE is ignored', env(['AWS_DEFAULT_PROFILE', 'AWS_PROFILE'], ours), ours, true, undefined],
    [
      'web identity beats a credential_process profile',
      env(['AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_PROFILE'], ours),
      ours,
      true,
      { variable: 'AWS_WEB_IDENTITY_TOKEN_FILE' },
    ],
    [
      'relative container URI beats our full one',
      env(['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI']),
      undefined,
      true,
      { variable: 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI' },
    ],
    ['relative container URI loses to our profile', env(['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_PROFILE'], ours), ours, true, undefined],
    ['a full URI that is not ours', env(['AWS_CONTAINER_CREDENTIALS_FULL_URI']), undefined, false, { variable: 'AWS_CONTAINER_CREDENTIALS_FULL_URI' }],
  ];
  for (const [what, observed, profile, endpoint, expected] of table) test(what, () => assert.deepEqual(winningOverride(observed, profile, endpoint), expected));
});

describe('reading a process environment', () => {
  test('keeps names with a value and the AWS_PROFILE value only; blanks do not count', () => {
    const raw = Buffer.from(
      ['PATH=/bin', 'AWS_ACCESS_KEY_ID=', 'AWS_SECRET_ACCESS_KEY=wJalrSECRET', 'AWS_PROFILE=legacy', 'AWS_WEB_IDENTITY_TOKEN_FILE=/t', 'NOEQUALS', ''].join(
        '\0',
      ),
    );
    const seen = observeEnviron(raw);
    assert.deepEqual([...seen.nonEmpty].sort(), ['AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE']);
    assert.equal(seen.profile, 'legacy');
    assert.ok(!JSON.stringify({ ...seen, nonEmpty: [...seen.nonEmpty] }).includes('SECRET'));
  });
  test('a hostile profile value cannot carry markup or control characters', () => {
    const seen = observeEnviron('AWS_PROFILE=<img src=x>\x1b[31m' + 'a'.repeat(100));
    assert.match(seen.profile!, /^[\w.@+?-]{1,64}$/);
  });
});

describe('where a variable comes from', () => {
  const files = [
    { file: '/h/.bashrc', text: '# AWS_PROFILE=commented\nalias x=y\n  export AWS_PROFILE=legacy\n' },
    { file: '/h/.zshrc', text: 'AWS_ACCESS_KEY_ID=AKIA\nexport AWS_ACCESS_KEY_ID\n' },
    { file: '/h/.config/fish/config.fish', text: 'set -gx AWS_WEB_IDENTITY_TOKEN_FILE /t\n' },
    { file: '/w/.envrc', text: 'export AWS_DEFAULT_PROFILE=old\n' },
  ];
  const table: [string, object | undefined][] = [
    ['AWS_PROFILE', { file: '/h/.bashrc', line: 3 }],
    ['AWS_ACCESS_KEY_ID', { file: '/h/.zshrc', line: 1 }],
    ['AWS_WEB_IDENTITY_TOKEN_FILE', { file: '/h/.config/fish/config.fish', line: 1 }],
    ['AWS_DEFAULT_PROFILE', { file: '/w/.envrc', line: 1 }],
    ['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', undefined],
  ];
  for (const [name, expected] of table) test(name, () => assert.deepEqual(originOf(files, name), expected));
  test('the files looked at: shell start-up files in HOME and the .envrc of the terminal folder', () => {
    const list = startupFiles('/h', '/w');
    for (const f of ['/h/.bashrc', '/h/.bash_profile', '/h/.profile', '/h/.zshrc', '/w/.envrc']) assert.ok(list.includes(f), f);
    assert.ok(!startupFiles('/h', undefined).some((f) => f.endsWith('.envrc')));
  });
  test('the warning names the terminal, the variable, the file and line, and what to do', () => {
    const text = overrideWarning('bash', { variable: 'AWS_PROFILE', value: 'legacy' }, { file: '/h/.bashrc', line: 3 }, '/h');
    assert.match(text, /"bash".*AWS_PROFILE=legacy.*~\/\.bashrc \(line 3\).*unset AWS_PROFILE/);
    assert.match(overrideWarning('t', { variable: 'AWS_ACCESS_KEY_ID' }, undefined, '/h'), /AWS_ACCESS_KEY_ID is set after .*unset AWS_ACCESS_KEY_ID/);
  });
});
