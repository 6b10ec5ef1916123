// A TLS front for the emulator (which speaks HTTP): it stands in for AWS's own endpoints, with a
// certificate for the AWS names signed by a test CA, and passes the bytes through unchanged.
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';

export interface TlsFront {
  port: number;
  /** https://<host>:<port>, e.g. for AWS_ENDPOINT_URL_SSO_OIDC. */
  url(host: string): string;
  stop(): Promise<void>;
}

export async function startTlsFront(upstream: string, credentials: { key: string; cert: string }): Promise<TlsFront> {
  const target = new URL(upstream);
  const sockets = new Set<net.Socket>();
  const server = tls.createServer(credentials, (client) => {
    const up = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(up);
    client.pipe(up).pipe(client);
    const done = (): void => {
      client.destroy();
      up.destroy();
    };
    client.on('error', done).on('close', done);
    up.on('error', done).on('close', done);
  });
  // A client that refuses our certificate ends the handshake: nothing to report.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (host) => `https://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
