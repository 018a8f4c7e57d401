import type { ConnectionOptions } from 'node:tls';

/** What `pg` needs to connect: the URL, and TLS settings when a CA is configured. */
export interface PgConnectionSettings {
  readonly connectionString: string;
  readonly ssl?: ConnectionOptions;
}

const SSL_URL_PARAMETERS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'uselibpqcompat'];

/**
 * Connection settings for DATABASE_URL with the CA of DATABASE_SSL_CA_FILE (`ca`). Without a CA the
 * URL is used as it is. With one, `pg` would let the URL's sslmode replace the CA (it parses the URL
 * last), so the TLS parameters are taken out of the URL and applied here, as libpq applies them
 * with a root certificate: `require` and `verify-ca` verify the chain, `verify-full`, `prefer` and
 * no sslmode the chain and the host name (TLS is then required, never silently skipped).
 */
export function pgConnectionSettings(url: string, ca?: string): PgConnectionSettings {
  if (ca === undefined) return { connectionString: url };
  const parsed = new URL(url);
  const mode = parsed.searchParams.get('sslmode') ?? 'verify-full';
  if (mode === 'disable') throw new Error('DATABASE_SSL_CA_FILE is set, but DATABASE_URL has sslmode=disable');
  if (!['allow', 'prefer', 'require', 'verify-ca', 'verify-full'].includes(mode)) throw new Error(`DATABASE_URL has an unknown sslmode=${mode}`);
  for (const name of SSL_URL_PARAMETERS) parsed.searchParams.delete(name);
  const checkHostName = mode !== 'require' && mode !== 'verify-ca';
  return {
    connectionString: parsed.toString(),
    ssl: { ca, rejectUnauthorized: true, ...(!checkHostName && { checkServerIdentity: () => undefined }) },
  };
}
