import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Files of a throwaway PKI made with the `openssl` CLI (node:crypto cannot issue certificates). */
export interface TestPki {
  readonly dir: string;
  /** CA that signs `server` and `client`. */
  readonly caFile: string;
  /** An unrelated CA, for "signed by someone else" cases. */
  readonly otherCaFile: string;
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  remove(): void;
}

/**
 * A CA, a server certificate for `serverNames` (DNS names or IP addresses; default localhost and
 * 127.0.0.1), a client certificate (CN `clientName`) and an unrelated CA, in a fresh temporary
 * directory. Keys are P-256, valid one day, mode 0600.
 */
export function makeTestPki(options: { serverNames?: readonly string[]; clientName?: string } = {}): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'reflux-pki-'));
  chmodSync(dir, 0o755);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const ca = (name: string) => openssl('req', '-x509', ...ec, '-days', '1', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`);
  const leaf = (name: string, cn: string, ext: string) => {
    openssl('req', ...ec, '-subj', `/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    writeFileSync(join(dir, `${name}.ext`), ext);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
    chmodSync(join(dir, `${name}.key`), 0o600);
  };
  ca('ca');
  ca('other-ca');
  const names = options.serverNames ?? ['localhost', '127.0.0.1'];
  const san = names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  leaf('server', names[0]!, `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
  leaf('client', options.clientName ?? 'reflux-client', 'extendedKeyUsage=clientAuth\n');
  const file = (name: string) => join(dir, name);
  return {
    dir,
    caFile: file('ca.crt'),
    otherCaFile: file('other-ca.crt'),
    serverCertFile: file('server.crt'),
    serverKeyFile: file('server.key'),
    clientCertFile: file('client.crt'),
    clientKeyFile: file('client.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
