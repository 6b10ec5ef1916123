// A small TLS-inspecting forward proxy, as Zscaler or Netskope are: it answers CONNECT, ends the
// client's TLS itself with a certificate for the requested host signed by its own ("company") CA,
// and opens its own TLS connection onwards. Names in `hosts` are sent to 127.0.0.1 (they do not
// resolve here). It records the CONNECT targets it saw.
import * as http from 'node:http';
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { TestCa } from './testCa';

export interface InterceptingProxy {
  url: string;
  /** host:port of every CONNECT, in order. */
  connects: string[];
  stop(): Promise<void>;
}

export async function startInterceptingProxy(options: {
  ca: TestCa;
  /** The CA the upstream servers' certificates are signed by (the proxy trusts it). */
  upstreamCa: string;
  hosts: readonly string[];
}): Promise<InterceptingProxy> {
  const connects: string[] = [];
  const leafs = new Map<string, { key: string; cert: string }>();
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client);
    const target = req.url ?? '';
    connects.push(target);
    const [host, port] = [target.replace(/:\d+$/, ''), Number(/:(\d+)$/.exec(target)?.[1] ?? 443)];
    client.on('error', () => client.destroy());
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) client.unshift(head);
    let leaf = leafs.get(host);
    if (!leaf) leafs.set(host, (leaf = options.ca.issue([host])));
    const inner = new tls.TLSSocket(client, { isServer: true, key: leaf.key, cert: leaf.cert });
    inner.on('error', () => client.destroy());
    const upstream = tls.connect({ host: options.hosts.includes(host) ? '127.0.0.1' : host, port, servername: host, ca: options.upstreamCa });
    sockets.add(upstream);
    upstream.on('error', () => inner.destroy());
    inner.pipe(upstream).pipe(inner);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
