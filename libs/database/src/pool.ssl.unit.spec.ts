import { pgConnectionSettings } from './pool.ssl';

describe('pgConnectionSettings', () => {
  const url = 'postgres://u:p@db:5432/reflux?sslmode=require&application_name=x';

  it('leaves DATABASE_URL alone without a CA', () => {
    expect(pgConnectionSettings(url)).toEqual({ connectionString: url });
  });

  it('moves the TLS parameters out of the URL so the CA is not replaced by them', () => {
    const s = pgConnectionSettings(`${url}&sslrootcert=/etc/ssl/x.crt`, 'PEM');
    expect(s.connectionString).toBe('postgres://u:p@db:5432/reflux?application_name=x');
    expect(s.ssl).toMatchObject({ ca: 'PEM', rejectUnauthorized: true });
  });

  it('verifies the chain only with require and verify-ca, the host name too with verify-full or no sslmode', () => {
    expect(pgConnectionSettings(url, 'PEM').ssl?.checkServerIdentity).toBeDefined();
    expect(pgConnectionSettings(url.replace('require', 'verify-ca'), 'PEM').ssl?.checkServerIdentity).toBeDefined();
    expect(pgConnectionSettings(url.replace('require', 'verify-full'), 'PEM').ssl?.checkServerIdentity).toBeUndefined();
    expect(pgConnectionSettings('postgres://u:p@db/reflux', 'PEM').ssl).toEqual({ ca: 'PEM', rejectUnauthorized: true });
  });

  it('rejects a CA with sslmode=disable or an unknown sslmode', () => {
    expect(() => pgConnectionSettings(url.replace('require', 'disable'), 'PEM')).toThrow(/sslmode=disable/);
    expect(() => pgConnectionSettings(url.replace('require', 'sometimes'), 'PEM')).toThrow(/unknown sslmode=sometimes/);
  });
});
