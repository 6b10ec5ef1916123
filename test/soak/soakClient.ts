// A "terminal" for the soak: a separate Node process with only the container-credential variables
// set, one long-lived STSClient on the SDK's default credential chain, GetCallerIdentity every
// interval. Prints one JSON summary line at the end (no secrets: ARNs and error names only).
//   node out/test/soak/soakClient.js --seconds 90 [--interval-ms 1000]
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

export interface ClientSummary {
  client: string;
  calls: number;
  ok: number;
  errors: number;
  errorSamples: string[];
  arns: string[];
  maxLatencyMs: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v)) throw new Error(`${name} needs a number`);
  return v;
}

async function main(): Promise<void> {
  const seconds = arg('--seconds', 60);
  const intervalMs = arg('--interval-ms', 1000);
  if (!process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI || !process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN) {
    throw new Error('AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN must be set');
  }
  // No `credentials`: the default chain (env → ini/sso/process → fromHttp/fromContainerMetadata → IMDS).
  const sts = new STSClient({ region: process.env.AWS_REGION ?? 'us-east-1', maxAttempts: 1 });
  const summary: ClientSummary = { client: 'js-sdk-v3', calls: 0, ok: 0, errors: 0, errorSamples: [], arns: [], maxLatencyMs: 0 };
  const arns = new Set<string>();
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const started = Date.now();
    summary.calls++;
    try {
      const id = await sts.send(new GetCallerIdentityCommand({}));
      summary.ok++;
      if (id.Arn) arns.add(id.Arn);
    } catch (e) {
      summary.errors++;
      const err = e as { name?: string; message?: string };
      if (summary.errorSamples.length < 5) summary.errorSamples.push(`${err.name}: ${String(err.message).slice(0, 200)}`);
    }
    const took = Date.now() - started;
    summary.maxLatencyMs = Math.max(summary.maxLatencyMs, took);
    await new Promise((r) => setTimeout(r, Math.max(intervalMs - took, 0)));
  }
  sts.destroy();
  summary.arns = [...arns];
  process.stdout.write(`SOAK_CLIENT ${JSON.stringify(summary)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`soak client failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});
