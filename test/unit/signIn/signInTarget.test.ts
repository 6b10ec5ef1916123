// Table tests of where Sign In goes: settings, then ~/.aws/config, then ask.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SsoSessionsResult } from '../../../src/core/awsFiles/awsConfigRead';
import { decideSignInTarget, portalsToOffer, type SignInSettings, type SignInTargetDecision } from '../../../src/core/signIn/signInTarget';

const URL_A = 'https://my-org.awsapps.com/start';
const URL_B = 'https://other-org.awsapps.com/start';
const none: SignInSettings = { startUrl: '', region: '', ssoSession: '' };
const config = (sessions: SsoSessionsResult['sessions'], problems: string[] = []): SsoSessionsResult => ({
  sessions,
  problems,
  configPath: '/home/u/.aws/config',
});
const a = { startUrl: URL_A, region: 'eu-west-1', sessionName: 'a' };
const b = { startUrl: URL_B, region: 'us-east-1', sessionName: 'b' };

describe('decideSignInTarget', () => {
  const cases: [string, SignInSettings, SsoSessionsResult | undefined, SignInTargetDecision][] = [
    ['valid settings need the config for the session name', { ...none, startUrl: URL_A, region: 'eu-west-1' }, undefined, { kind: 'needAwsConfig' }],
    [
      'valid settings take the matching session name',
      { ...none, startUrl: URL_A, region: 'eu-west-1' },
      config([b, a]),
      { kind: 'use', target: a, warnings: [] },
    ],
    [
      'valid settings without a matching session',
      { ...none, startUrl: URL_A, region: 'eu-west-1' },
      config([b]),
      { kind: 'use', target: { startUrl: URL_A, region: 'eu-west-1' }, warnings: [] },
    ],
    [
      'a named session must match too',
      { startUrl: URL_A, region: 'eu-west-1', ssoSession: 'other' },
      config([a]),
      { kind: 'use', target: { startUrl: URL_A, region: 'eu-west-1' }, warnings: [] },
    ],
    [
      'a start URL that names its region needs no region setting, and no warning',
      { ...none, startUrl: 'https://ssoins-7223a1b2c3d4e5f6.portal.eu-central-1.app.aws' },
      config([]),
      { kind: 'use', target: { startUrl: 'https://ssoins-7223a1b2c3d4e5f6.portal.eu-central-1.app.aws', region: 'eu-central-1' }, warnings: [] },
    ],
    [
      'the region setting wins over the one in the URL',
      { ...none, startUrl: 'https://ssoins-1.portal.eu-central-1.app.aws', region: 'us-east-1' },
      config([]),
      { kind: 'use', target: { startUrl: 'https://ssoins-1.portal.eu-central-1.app.aws', region: 'us-east-1' }, warnings: [] },
    ],
    [
      'an awsapps.com URL without a region setting still asks (its host names no region)',
      { ...none, startUrl: URL_A },
      config([]),
      { kind: 'ask', startUrl: URL_A, region: '', warnings: [] },
    ],
    [
      'a custom domain is used, with a warning for the log',
      { ...none, startUrl: 'https://sso.example.com/start', region: 'eu-west-1' },
      config([], ['ignored']),
      {
        kind: 'use',
        target: { startUrl: 'https://sso.example.com/start', region: 'eu-west-1' },
        warnings: [
          'sso.example.com does not look like an AWS access portal (…awsapps.com, …app.aws). Continue only if your organisation uses a custom domain.',
        ],
      },
    ],
    [
      'a bad start URL with a region is a settings problem (no config read)',
      { ...none, startUrl: 'http://x.awsapps.com/start', region: 'eu-west-1' },
      undefined,
      { kind: 'settingsProblem', message: 'awsIdc.startUrl: The access portal URL must start with https://', warnings: [] },
    ],
    [
      'a bad region with a start URL is a settings problem',
      { ...none, startUrl: URL_A, region: 'europe' },
      undefined,
      {
        kind: 'settingsProblem',
        message:
          'awsIdc.region: "europe" is not an AWS region name. Use a name like us-east-1 or eu-west-2 (the region shown in the IAM Identity Center console).',
        warnings: [],
      },
    ],
    ['only a start URL: the config decides', { ...none, startUrl: URL_A }, undefined, { kind: 'needAwsConfig' }],
    ['nothing set: the config decides', none, undefined, { kind: 'needAwsConfig' }],
    ['awsIdc.ssoSession picks its session', { ...none, ssoSession: 'b' }, config([a, b], ['p']), { kind: 'use', target: b, warnings: ['p'] }],
    [
      'awsIdc.ssoSession naming no session is a settings problem',
      { ...none, ssoSession: 'c' },
      config([a, b]),
      { kind: 'unknownSsoSession', wanted: 'c', configPath: '/home/u/.aws/config', found: ['a', 'b'], warnings: [] },
    ],
    [
      'awsIdc.ssoSession with no sessions at all',
      { ...none, ssoSession: 'c' },
      config([]),
      { kind: 'unknownSsoSession', wanted: 'c', configPath: '/home/u/.aws/config', found: [], warnings: [] },
    ],
    ['one session in the config is used', none, config([a]), { kind: 'use', target: a, warnings: [] }],
    ['several sessions: pick one', none, config([a, b]), { kind: 'pick', sessions: [a, b], configPath: '/home/u/.aws/config', warnings: [] }],
    ['no sessions: ask, from what the settings hold', { ...none, startUrl: URL_A }, config([]), { kind: 'ask', startUrl: URL_A, region: '', warnings: [] }],
    [
      'no sessions but problems: ask, showing the first',
      none,
      config([], ['first', 'second']),
      { kind: 'ask', startUrl: '', region: '', notice: 'first', warnings: ['first', 'second'] },
    ],
  ];
  for (const [name, settings, awsConfig, expected] of cases) {
    test(name, () => assert.deepEqual(awsConfig ? decideSignInTarget(settings, awsConfig) : decideSignInTarget(settings), expected));
  }
});

describe('portalsToOffer (Sign In while another portal is signed in)', () => {
  const cases: [string, SignInSettings, SsoSessionsResult, string[], string[]][] = [
    ['settings first, then each sso-session', { ...none, startUrl: URL_A, region: 'eu-west-1' }, config([b]), [], [URL_A, URL_B]],
    ['a signed-in portal is not offered', { ...none, startUrl: URL_A, region: 'eu-west-1' }, config([b]), [URL_A], [URL_B]],
    ['the same start URL under two names is offered once', none, config([a, { ...a, sessionName: 'a-again', startUrl: `${URL_A}/` }, b]), [], [URL_A, URL_B]],
    ['signed in with a trailing slash still counts', none, config([a, b]), [`${URL_A}/`], [URL_B]],
    ['nothing configured: nothing to offer', none, config([]), [], []],
    ['all signed in: nothing to offer', { ...none, startUrl: URL_A, region: 'eu-west-1' }, config([a, b]), [URL_A, URL_B], []],
  ];
  for (const [name, settings, awsConfig, signedIn, expected] of cases) {
    test(name, () => {
      const offered = portalsToOffer(settings, awsConfig, (u) => signedIn.some((s) => s.replace(/\/+$/, '') === u.replace(/\/+$/, '')));
      assert.deepEqual(
        offered.map((t) => t.startUrl.replace(/\/+$/, '')),
        expected,
      );
    });
  }
});
