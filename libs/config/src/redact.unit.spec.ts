import { configWarnings } from './config.warnings';
import { maskUrlCredentials, redactConfig } from './redact';

describe('redaction of configuration for logs', () => {
  it('masks the password of URLs but keeps user and host', () => {
    expect(maskUrlCredentials('postgres://reflux:s3cr%40t@db:5432/reflux?sslmode=require')).toBe('postgres://reflux:***@db:5432/reflux?sslmode=require');
    expect(maskUrlCredentials('redis://:pw@cache:6379/0')).toBe('redis://:***@cache:6379/0');
    expect(maskUrlCredentials('http://collector:4318')).toBe('http://collector:4318');
  });

  it('hides secret-looking keys entirely', () => {
    expect(redactConfig({ AUTH_JWT_SECRET: 'x'.repeat(40), KAFKA_SASL_PASSWORD: 'p', DATABASE_URL: 'postgres://u:p@h/d', GRPC_PORT: 1, REDIS_URL: undefined })).toEqual({
      AUTH_JWT_SECRET: '***',
      KAFKA_SASL_PASSWORD: '***',
      DATABASE_URL: 'postgres://u:***@h/d',
      GRPC_PORT: 1,
    });
  });

  it('warns loudly when authentication is disabled', () => {
    expect(configWarnings({ AUTH_DISABLED: true })[0]).toMatch(/WITHOUT authentication/);
    expect(configWarnings({ AUTH_DISABLED: false, GRPC_HOST: '127.0.0.1', GRPC_PORT: 1 })).toEqual([]);
    expect(configWarnings({ AUTH_DISABLED: false, GRPC_HOST: '0.0.0.0', GRPC_PORT: 1 })[0]).toMatch(/without TLS/);
  });
});
