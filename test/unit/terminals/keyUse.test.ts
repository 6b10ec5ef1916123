// Table tests: which long-term key a new terminal would sign with, given the terminal setup.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LongTermKeyFinding } from '../../../src/core/awsFiles/longTermKeys';
import { keyTerminalsUse, keyUseLine, type TerminalSetup } from '../../../src/core/terminals/keyUse';

const key = (where: LongTermKeyFinding['where'], profile?: string): LongTermKeyFinding =>
  where === 'environment'
    ? { where, variable: 'AWS_ACCESS_KEY_ID', keyId: 'AKIA…MPLE', kind: 'long-term' }
    : { where, profile, file: `/h/.aws/${where}`, keyId: 'AKIA…MPLE', kind: 'long-term' };
const DEFAULT = key('credentials', 'default');
const LEGACY = key('credentials', 'legacy');
const CONFIG_DEFAULT = key('config', 'default');
const ENV = key('environment');
const setup = (o: Partial<TerminalSetup>): TerminalSetup => ({ mode: 'endpoint', active: true, profile: 'awsidc-terminal', inheritedProfile: undefined, ...o });

describe('the key a new terminal signs with', () => {
  const table: [string, LongTermKeyFinding[], TerminalSetup, LongTermKeyFinding | undefined][] = [
    ['endpoint mode with our profile: none, even [default]', [DEFAULT, ENV], setup({}), undefined],
    ['endpoint mode with our profile and an inherited AWS_PROFILE: none', [LEGACY], setup({ inheritedProfile: 'legacy' }), undefined],
    ['endpoint mode without our profile: [default] wins over the endpoint', [LEGACY, DEFAULT], setup({ profile: undefined }), DEFAULT],
    ['endpoint mode without our profile: the inherited AWS_PROFILE', [LEGACY, DEFAULT], setup({ profile: undefined, inheritedProfile: 'legacy' }), LEGACY],
    ['endpoint mode: a key in the environment is blanked', [ENV], setup({ profile: undefined }), undefined],
    ['env mode: our keys win', [DEFAULT, ENV], setup({ mode: 'env' }), undefined],
    ['env mode with an inherited AWS_PROFILE, our profile selected: none', [LEGACY], setup({ mode: 'env', inheritedProfile: 'legacy' }), undefined],
    [
      'env mode with an inherited AWS_PROFILE, no profile of ours: its key (the JS SDK reads it first)',
      [LEGACY],
      setup({ mode: 'env', profile: undefined, inheritedProfile: 'legacy' }),
      LEGACY,
    ],
    ['off: the environment first', [DEFAULT, ENV], setup({ mode: 'off' }), ENV],
    ['signed out: [default] of the credentials file before the config file', [CONFIG_DEFAULT, DEFAULT], setup({ active: false }), DEFAULT],
    ['signed out: [default] in the config file', [CONFIG_DEFAULT], setup({ active: false }), CONFIG_DEFAULT],
    ['signed out, a key only in another profile: none', [LEGACY], setup({ active: false }), undefined],
  ];
  for (const [what, findings, t, expected] of table) test(what, () => assert.equal(keyTerminalsUse(findings, t), expected));
});

describe('the sentence of the row', () => {
  test('names the key terminals use', () =>
    assert.equal(
      keyUseLine([DEFAULT], setup({ profile: undefined }), { home: '/h' }),
      'New terminals sign with [profile default] in ~/.aws/credentials, not with an Identity Center role.',
    ));
  test('or says terminals use the active role', () => {
    assert.equal(keyUseLine([DEFAULT], setup({})), 'New terminals use the active role, not this key.');
    assert.equal(keyUseLine([DEFAULT, ENV], setup({})), 'New terminals use the active role, not these keys.');
  });
  test('nothing to say without keys, or signed out with no key in use', () => {
    assert.equal(keyUseLine([], setup({})), undefined);
    assert.equal(keyUseLine([LEGACY], setup({ active: false })), undefined);
  });
});
