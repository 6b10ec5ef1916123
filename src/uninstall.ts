// The `vscode:uninstall` hook: VS Code runs `node dist/uninstall.js` once the extension is fully
// uninstalled (no vscode API here). It removes [profile awsidc-terminal] from the AWS config file
// and our credential_process script, so nothing of ours is left selecting a profile that no
// window serves. Anything else in the file, and a script that is not ours, stays.
import { awsConfigPath } from './core/awsFiles/awsConfigRead';
import { defaultScriptDir, removeTerminalProfile } from './core/awsFiles/terminalProfile';

export async function uninstall(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const done: string[] = [];
  const configFile = awsConfigPath(env);
  const scriptDir = defaultScriptDir(env);
  try {
    // Our script (only a file that is ours) and its folder when that leaves it empty go too.
    if (await removeTerminalProfile(configFile, { scriptDir })) done.push(`removed [profile awsidc-terminal] from ${configFile}`);
  } catch (e) {
    done.push(`left ${configFile} as it is: ${(e as Error).message}`);
  }
  return done;
}

if (require.main === module) {
  void uninstall().then(
    (done) => done.forEach((line) => console.log(`[awsidc uninstall] ${line}`)),
    (e: Error) => console.error(`[awsidc uninstall] ${e.name}: ${e.message}`),
  );
}
