// Which long-term key found on this machine, if any, the AWS tools in a new terminal would sign
// with: the row that warns about the keys says so, or that terminals use the active role.
import * as l10n from '@vscode/l10n';
import { placeOf, type LongTermKeyFinding } from '../awsFiles/longTermKeys';
import type { TerminalMode } from './terminalEnv';

export interface TerminalSetup {
  mode: TerminalMode;
  /** Terminals get the active role now (signed in, a role active). */
  active: boolean;
  /** The profile terminals select with AWS_PROFILE, when it is in place. */
  profile: string | undefined;
  /** AWS_PROFILE of the editor's own environment (what terminals inherit), if set. */
  inheritedProfile: string | undefined;
}

/**
 * The key a new terminal's CLI or SDK would use, or undefined. Without our credentials the default
 * chain takes keys in the environment first, then the selected profile ([default] when none). In
 * endpoint mode keys in the environment are blanked, and our profile, once in place, replaces the
 * selection; without it the selected profile still comes before the container endpoint. In env
 * mode our keys win, but the JS SDK v3 reads an inherited AWS_PROFILE first, unless our profile
 * (whose script prints the keys) is selected instead.
 */
export function keyTerminalsUse(findings: LongTermKeyFinding[], t: TerminalSetup): LongTermKeyFinding | undefined {
  const given = t.active && t.mode !== 'off';
  const selected = t.inheritedProfile || 'default';
  const inProfile = (name: string): LongTermKeyFinding | undefined =>
    findings.find((f) => f.where === 'credentials' && f.profile === name) ?? findings.find((f) => f.where === 'config' && f.profile === name);
  if (!given) return findings.find((f) => f.where === 'environment') ?? inProfile(selected);
  if (t.mode === 'endpoint') return t.profile ? undefined : inProfile(selected);
  return !t.profile && t.inheritedProfile ? inProfile(t.inheritedProfile) : undefined;
}

/** The sentence for the row's tooltip: which key terminals use, or that they use the active role. */
export function keyUseLine(findings: LongTermKeyFinding[], t: TerminalSetup, opts: { home?: string } = {}): string | undefined {
  if (!findings.length) return undefined;
  const used = keyTerminalsUse(findings, t);
  if (used)
    return l10n.t({
      message: 'New terminals sign with {0}, not with an Identity Center role.',
      args: [placeOf(used, opts)],
      comment: ['{0}: where the key is, e.g. "[profile default] in ~/.aws/credentials"'],
    });
  if (t.active && t.mode !== 'off')
    return findings.length === 1 ? l10n.t('New terminals use the active role, not this key.') : l10n.t('New terminals use the active role, not these keys.');
  return undefined;
}
