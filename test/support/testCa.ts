// Certificate authorities made with openssl for one test run: an "AWS" CA that signs the TLS front
// of the emulator (test/support/tlsFront.ts) and a "company" CA a TLS-inspecting proxy re-signs with.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The AWS names the tests reach through a proxy; none of them resolves on the test machine. */
export const AWS_TEST_HOSTS = [
  'oidc.us-east-1.amazonaws.com',
  'portal.sso.us-east-1.amazonaws.com',
  'sts.amazonaws.com',
  'sts.us-east-1.amazonaws.com',
  'signin.aws.amazon.com',
];

export interface TestCa {
  /** PEM file of the CA certificate (what a user would put in AWS_CA_BUNDLE). */
  certFile: string;
  cert: string;
  /** Issues a server certificate for `hosts`: { key, cert } PEM. */
  issue(hosts: readonly string[]): { key: string; cert: string };
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function createTestCa(dir: string, name: string): TestCa {
  const key = join(dir, `${name}-ca.key`);
  const certFile = join(dir, `${name}-ca.pem`);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', certFile, '-days', '2', '-subj', `/CN=${name} test CA`], dir);
  let serial = 0;
  return {
    certFile,
    cert: readFileSync(certFile, 'utf8'),
    issue(hosts) {
      const base = join(dir, `${name}-leaf-${++serial}`);
      writeFileSync(`${base}.ext`, `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}\nextendedKeyUsage=serverAuth\n`);
      openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${hosts[0]}`], dir);
      openssl(
        [
          'x509',
          '-req',
          '-in',
          `${base}.csr`,
          '-CA',
          certFile,
          '-CAkey',
          key,
          '-set_serial',
          String(1000 + serial),
          '-days',
          '2',
          '-extfile',
          `${base}.ext`,
          '-out',
          `${base}.pem`,
        ],
        dir,
      );
      return { key: readFileSync(`${base}.key`, 'utf8'), cert: readFileSync(`${base}.pem`, 'utf8') };
    },
  };
}
