// CLI entry: run the emulator as its own process.
//   node out/test/emulator/main.js [--port 4999] [--accounts 50] [--latency 0] [--rate 20] [--json] ...
// With --json a single line {"url":...,"env":{...},"pid":N} is printed once
// listening, so another process can spawn it and read its address.
import { Emulator } from './server';
import type { EmulatorOptions } from './options';

const HELP = `usage: main.js [options]
  --port N                 fixed port (default: random)
  --accounts N             generated accounts (default 5)
  --no-special-cases       no non-ASCII / zero-role / markup accounts
  --latency MS             delay added to every AWS call
  --rate N [--burst N]     portal token bucket (calls/s shared by list/credential calls)
  --interval S             device polling interval (default 1)
  --access-token-ttl S     default 3600
  --role-ttl S             role credential lifetime, default 3600
  --device-ttl S           device code lifetime, default 600
  --client-secret-ttl S    default 90 days
  --start-url URL          accepted start URL (repeatable)
  --portal URL=N           another portal with N accounts of its own (repeatable)
  --auto-approve           approve device codes immediately
  --no-slow-down           never answer SlowDownException
  --no-rotate              keep the same refresh token on refresh
  --id-token               include idToken in CreateToken
  --json                   print one JSON line with the URL instead of text
`;

function parse(argv: string[]): { options: EmulatorOptions; json: boolean } {
  const options: EmulatorOptions = {};
  const startUrls: string[] = [];
  let json = false;
  let rate: number | undefined;
  let burst: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v)) throw new Error(`${arg} needs a number`);
      return v;
    };
    switch (arg) {
      case '--port':
        options.port = num();
        break;
      case '--accounts':
        options.accounts = num();
        break;
      case '--no-special-cases':
        options.specialCases = false;
        break;
      case '--latency':
        options.latencyMs = num();
        break;
      case '--rate':
        rate = num();
        break;
      case '--burst':
        burst = num();
        break;
      case '--interval':
        options.interval = num();
        break;
      case '--access-token-ttl':
        options.accessTokenTtlSec = num();
        break;
      case '--role-ttl':
        options.roleCredentialTtlSec = num();
        break;
      case '--device-ttl':
        options.deviceCodeTtlSec = num();
        break;
      case '--client-secret-ttl':
        options.clientSecretTtlSec = num();
        break;
      case '--start-url':
        startUrls.push(argv[++i]);
        break;
      case '--portal': {
        const [url, count] = (argv[++i] ?? '').split(/=(?=\d+$)/);
        if (!url || !count) throw new Error('--portal needs URL=N');
        options.portals = { ...options.portals, [url]: Number(count) };
        break;
      }
      case '--auto-approve':
        options.autoApprove = true;
        break;
      case '--no-slow-down':
        options.enforceSlowDown = false;
        break;
      case '--no-rotate':
        options.rotateRefreshTokens = false;
        break;
      case '--id-token':
        options.issueIdToken = true;
        break;
      case '--json':
        json = true;
        break;
      case '-h':
      case '--help':
        process.stdout.write(HELP);
        return process.exit(0);
      default:
        throw new Error(`unknown argument ${arg}\n${HELP}`);
    }
  }
  if (rate !== undefined) options.throttle = { ratePerSec: rate, burst };
  if (startUrls.length) options.startUrl = startUrls;
  return { options, json };
}

async function main(): Promise<void> {
  const { options, json } = parse(process.argv.slice(2));
  const emu = await Emulator.start(options);
  if (json) {
    process.stdout.write(`${JSON.stringify({ url: emu.url, env: emu.env, pid: process.pid })}\n`);
  } else {
    process.stdout.write(
      `AWS Identity Center emulator listening on ${emu.url}\n` +
        `start URL: ${emu.options.startUrl.join(', ')}   accounts: ${emu.state.accounts.length}\n` +
        `verification page: ${emu.verificationUri}\ncontrol API: ${emu.url}/_emulator/state\n\n` +
        Object.entries(emu.env)
          .map(([k, v]) => `export ${k}=${v}`)
          .join('\n') +
        '\n',
    );
  }
  const shutdown = (): void => {
    emu.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});
