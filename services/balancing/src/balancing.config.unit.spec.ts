import type { ConfigError } from '@reflux/config';
import { loadBalancingConfig } from './balancing.config';

const base = {
  SERVICE_NAME: 'balancing',
  DATABASE_URL: 'postgres://u:p@localhost:5432/reflux',
  AUTH_JWT_SECRET: 'a-development-secret-of-at-least-32-chars',
  AUTH_JWT_DEVELOPMENT: 'true',
  PLANT_MODEL_FILES: '/plants/a.yaml,/plants/b.json',
};

const issues = (env: Record<string, string>) => {
  try {
    loadBalancingConfig(env);
  } catch (error) {
    return (error as ConfigError).issues.map((i) => i.variable);
  }
  return [];
};

describe('balancing configuration', () => {
  it('defaults to hourly windows on port 50052 with tag uncertainties and a 5 % test level', () => {
    const config = loadBalancingConfig(base);
    expect(config).toMatchObject({
      GRPC_PORT: 50052,
      BALANCE_WINDOW_S: 3600,
      BALANCE_SIGMA_SOURCE: 'tag',
      BALANCE_ALPHA: '0.05',
      INGESTION_ADDRESS: '127.0.0.1:50051',
      PLANT_MODEL_FILES: ['/plants/a.yaml', '/plants/b.json'],
    });
  });

  it('names every bad variable at once', () => {
    expect(issues({ ...base, BALANCE_WINDOW_S: '10', BALANCE_SIGMA_SOURCE: 'spread', BALANCE_ALPHA: '0.7', PLANT_MODEL_FILES: 'relative.yaml' }).sort()).toEqual(
      ['BALANCE_ALPHA', 'BALANCE_SIGMA_SOURCE', 'BALANCE_WINDOW_S', 'PLANT_MODEL_FILES'].sort(),
    );
  });

  it('needs an ingestion token when it cannot mint one from AUTH_JWT_SECRET', () => {
    const { AUTH_JWT_SECRET: _secret, ...withoutSecret } = base;
    expect(issues({ ...withoutSecret, AUTH_API_KEYS: '' })).toContain('INGESTION_TOKEN');
    expect(issues({ ...withoutSecret, AUTH_DISABLED: 'true' })).toEqual([]);
  });
});
