// The `vscode:uninstall` hook: VS Code runs `node dist/uninstall.js` once the extension is fully
// uninstalled (no vscode API here). It removes [profile awsidc-terminal] from the AWS config file
// and our credential_process script, so nothing of ours is left selecting a profile that no
// window serves. Anything else in the file, and a script that is not ours, stays.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { awsConfigPath } from './core/awsFiles/awsConfigRead';
import { defaultScriptDir, isOurScript, removeTerminalProfile, SCRIPT_NAME } from './core/awsFiles/terminalProfile';

export async function uninstall(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const done: string[] = [];
  const configFile = awsConfigPath(env);
  try {
    if (await removeTerminalProfile(configFile)) done.push(`removed [profile awsidc-terminal] from ${configFile}`);
  } catch (e) {
    done.push(`left ${configFile} as it is: ${(e as Error).message}`);
  }
  const dir = defaultScriptDir(env);
  const script = path.join(dir, SCRIPT_NAME);
  if (await isOurScript(script)) {
    await fs.rm(script, { force: true });
    done.push(`removed ${script}`);
    // The folder goes only when nothing else is in it.
    await fs.rmdir(dir).catch(() => undefined);
  }
  return done;
}

if (require.main === module) {
  void uninstall().then(
    (done) => done.forEach((line) => console.log(`[awsidc uninstall] ${line}`)),
    (e: Error) => console.error(`[awsidc uninstall] ${e.name}: ${e.message}`),
  );
}
