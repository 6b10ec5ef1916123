// Reads `[sso-session]` entries from ~/.aws/config (or AWS_CONFIG_FILE) with the SDK's own
// INI loader, and says clearly what is wrong when the file is missing, unreadable or incomplete.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { loadSdk } from '../aws/loadSdk';
import type { SsoTarget } from '../common/model';
import { checkRegion, checkStartUrl } from '../common/validate';
import { homeDir } from './files';
import { sections, splitLines } from './iniLines';

export interface SsoSessionsResult {
  /** Complete, valid sessions. */
  sessions: SsoTarget[];
  /** Problems worth telling the user (no secrets: file paths and session names only). */
  problems: string[];
  configPath: string;
}

export function awsConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AWS_CONFIG_FILE) return env.AWS_CONFIG_FILE;
  return path.join(homeDir(env), '.aws', 'config');
}

export async function readSsoSessions(configPath = awsConfigPath()): Promise<SsoSessionsResult> {
  const problems: string[] = [];
  try {
    await fs.access(configPath, fs.constants.R_OK);
    // A FIFO or device here would block the SDK's read forever (a FIFO until someone writes to it).
    if (!(await fs.stat(configPath)).isFile()) {
      problems.push(`${configPath} is not a regular file, so it was not read.`);
      return { sessions: [], problems, configPath };
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT')
      problems.push(
        l10n.t({
          message: '{0} cannot be read ({1}). Check its permissions.',
          args: [configPath, String(code)],
          comment: ['{0}: a file path; {1}: an error code, e.g. EACCES'],
        }),
      );
    return { sessions: [], problems, configPath };
  }
  const data: Record<string, Record<string, string | undefined>> = {};
  try {
    const { loadSharedConfigFiles } = await loadSdk();
    // ignoreCache: the SDK caches file reads process-wide, and its clients may have read (or
    // missed) this file before the user created or edited it.
    const { configFile } = await loadSharedConfigFiles({ configFilepath: configPath, filepath: configPath, ignoreCache: true });
    for (const [key, section] of Object.entries(configFile ?? {})) {
      if (key.startsWith('sso-session.')) data[key.slice('sso-session.'.length)] = section;
    }
  } catch {
    problems.push(l10n.t({ message: '{0} could not be parsed. Check that it is a valid INI file.', args: [configPath], comment: ['{0}: a file path'] }));
    return { sessions: [], problems, configPath };
  }
  // The SDK drops the whole file, silently, when a section is named __proto__: say why nothing is there.
  if (Object.keys(data).length === 0 && (await hasProtoSection(configPath))) {
    problems.push(`${configPath} has a section named __proto__; the AWS SDKs ignore the whole file because of it. Rename or remove that section.`);
  }
  const sessions: SsoTarget[] = [];
  for (const [name, section] of Object.entries(data ?? {})) {
    const startUrl = section?.sso_start_url?.trim() ?? '';
    const region = section?.sso_region?.trim() ?? '';
    const urlCheck = checkStartUrl(startUrl);
    const regionCheck = checkRegion(region);
    if (!urlCheck.ok || !regionCheck.ok) {
      const what = !urlCheck.ok
        ? startUrl
          ? l10n.t({ message: 'sso_start_url is not a valid https URL', comment: ['sso_start_url is a key in ~/.aws/config: keep it as it is'] })
          : l10n.t({ message: 'sso_start_url is missing', comment: ['sso_start_url is a key in ~/.aws/config: keep it as it is'] })
        : region
          ? l10n.t({
              message: 'sso_region "{0}" is not a region name',
              args: [region],
              comment: ['sso_region is a key in ~/.aws/config: keep it as it is; {0}: its value'],
            })
          : l10n.t({ message: 'sso_region is missing', comment: ['sso_region is a key in ~/.aws/config: keep it as it is'] });
      problems.push(
        l10n.t({
          message: '[sso-session {0}] in {1}: {2}.',
          args: [name, configPath, what],
          comment: [
            '"[sso-session …]" is a section header of ~/.aws/config: keep it as it is; {0}: the session name; {1}: a file path; {2}: what is wrong with it',
          ],
        }),
      );
      continue;
    }
    sessions.push({ startUrl, region, sessionName: name });
  }
  return { sessions, problems, configPath };
}

async function hasProtoSection(file: string): Promise<boolean> {
  try {
    return sections(splitLines(await fs.readFile(file, 'utf8'))).some((s) => s.name === '__proto__');
  } catch {
    return false;
  }
}
