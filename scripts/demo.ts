// `npm run demo`: the packaged extension in a real VS Code (code-server) against the local Identity
// Center emulator, for a person with a browser. Everything listens on 127.0.0.1 only (the emulator
// hands out tokens and credentials); Ctrl-C stops it all.
// Env: DEMO_PORT (code-server, default 8080), DEMO_EMULATOR_PORT (default 4999).
import * as fs from 'fs';
import * as path from 'path';
import { Emulator } from '../test/emulator/server';
import { freePort, isPortFree, REPO_ROOT, startCodeServer, VERIFICATION_HOST, type CodeServer } from '../test/harness/codeServer';
import { demoVersion, selectedVersion } from '../test/harness/vscodeVersions';

const START_URL = 'https://emulator.awsapps.com/start';
const REGION = 'us-east-1';
const VSIX = path.join(REPO_ROOT, 'dist', 'aws-identity-center-sessions.vsix');

async function pickPort(wanted: number, what: string): Promise<number> {
  if (await isPortFree(wanted)) return wanted;
  const port = await freePort();
  console.log(`${what}: port ${wanted} is taken, using ${port}`);
  return port;
}

async function main(): Promise<void> {
  // The newest VS Code by default; AWSIDC_VSCODE=1.100 shows the oldest supported one.
  const version = selectedVersion(demoVersion);
  if (!fs.existsSync(VSIX)) throw new Error(`${VSIX} missing: run npm run package`);

  let emulator: Emulator | undefined;
  let cs: CodeServer | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await cs?.stop();
    await emulator?.stop();
    process.exit(code);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void stop(0));

  try {
    emulator = await Emulator.start({ port: await pickPort(Number(process.env.DEMO_EMULATOR_PORT || 4999), 'emulator'), accounts: 12, interval: 1 });
    // One chained cross-account role under the first account's first role, so the tree shows one.
    const first = emulator.accounts().find((a) => a.roles.length > 0)!;
    const chainedRoles = [
      {
        name: 'Deploy (cross-account demo)',
        roleArn: 'arn:aws:iam::999988887777:role/Deploy',
        source: { accountId: first.accountId, roleName: first.roles[0] },
        sourceIdentity: 'demo-user',
      },
    ];
    cs = await startCodeServer({
      name: 'awsidc-demo',
      version,
      port: await pickPort(Number(process.env.DEMO_PORT || 8080), 'code-server'),
      vsix: VSIX,
      settings: { 'awsIdc.startUrl': START_URL, 'awsIdc.region': REGION, 'awsIdc.chainedRoles': chainedRoles },
      env: { ...emulator.env, AWSIDC_EMULATOR_URL: emulator.url },
    });
  } catch (e) {
    console.error(e);
    return stop(1);
  }
  const emuPort = new URL(emulator.url).port;
  console.log(`
AWS Identity Center Sessions — demo (VS Code ${version.vscode}, fresh profile, ${REGION}, 12 accounts)

  Open in a browser:  ${cs.url}/?folder=${encodeURIComponent(cs.folder)}
  Emulator:           ${emulator.url}  (start URL ${START_URL})

  "Sign In" opens the emulator's approval page at http://${VERIFICATION_HOST}:${emuPort}/device
  in a new tab (*.localhost is this machine in Chrome and Firefox): click Allow.
  Try also: the chained role under the first account's first role (awsIdc.chainedRoles in the
  user settings), "AWS Identity Center: Get Started", and "Show Session Activity".
  Both servers listen on 127.0.0.1 only, on purpose. From another machine, forward both ports:
    ssh -L ${cs.port}:127.0.0.1:${cs.port} -L ${emuPort}:127.0.0.1:${emuPort} <this host>

  Logs: ${cs.logPath}
  Ctrl-C stops everything.
`);
  // If code-server dies on its own, don't leave the emulator running.
  setInterval(() => {
    if (!cs!.alive()) {
      console.error('code-server exited');
      void stop(1);
    }
  }, 1000);
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
