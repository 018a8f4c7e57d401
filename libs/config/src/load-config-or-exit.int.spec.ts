import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../../..');

function boot(env: Record<string, string>) {
  const script = `
    const { loadConfigOrExit, platformConfigSchema } = require('./libs/config/src/index.ts');
    const config = loadConfigOrExit(platformConfigSchema);
    process.stdout.write('started on ' + config.GRPC_PORT);`;
  return spawnSync(process.execPath, ['-r', './scripts/register.cjs', '-e', script], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 30_000 });
}

describe('loadConfigOrExit (service boot)', () => {
  it('stops the process with status 78 and one JSON line naming every bad variable', () => {
    const result = boot({ SERVICE_NAME: 'ingestion', GRPC_PORT: 'abc', EVENT_BUS: 'kafka', AUTH_DISABLED: 'true' });
    expect(result.status).toBe(78);
    expect(result.stdout).toBe('');
    const line = JSON.parse(result.stderr.trim()) as { level: string; code: string; issues: { variable: string; message: string }[]; msg: string };
    expect(line).toMatchObject({ level: 'fatal', code: 'CONFIG.INVALID' });
    expect(line.issues.map((i) => i.variable)).toEqual(['DATABASE_URL', 'GRPC_PORT', 'KAFKA_BROKERS']);
    expect(line.msg).toContain('GRPC_PORT: expected an integer 1..65535, got "abc"');
  });

  it('starts with a valid environment', () => {
    const result = boot({ SERVICE_NAME: 'ingestion', GRPC_PORT: '50051', DATABASE_URL: 'postgres://h/db', AUTH_DISABLED: 'true' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('started on 50051');
    expect(result.status).toBe(0);
  });
});
