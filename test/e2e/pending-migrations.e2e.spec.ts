/**
 * Issue 12: with DATABASE_MIGRATE_ON_START=false (compose and k8s, where a migration Job owns the
 * schema) every service that has migrations refuses to start while any is pending, naming them,
 * and starts once its migrate entry point has run.
 */
import { demoPlantPath } from '@reflux/plant-model';
import { createTestDatabase, freePort } from '@reflux/testing';
import { REPO_ROOT, runToExit, startServiceProcess } from './support/service-processes';

jest.setTimeout(300_000);

const SERVICES = {
  ingestion: { pending: /schema migrations pending \(event-store\/0001_[a-z_]+.*\): run services\/ingestion\/src\/migrate\.ts/ },
  balancing: { pending: /schema migrations pending \(event-store\/0001_[a-z_]+.*balancing\/0001_read_models.*\): run services\/balancing\/src\/migrate\.ts/ },
  safety: { pending: /schema migrations pending \(event-store\/0001_[a-z_]+.*safety\/0001_[a-z_]+.*\): run services\/safety\/src\/migrate\.ts/ },
} as const;

describe('DATABASE_MIGRATE_ON_START=false', () => {
  it.each(Object.keys(SERVICES) as (keyof typeof SERVICES)[])('%s refuses to start naming its pending migrations, and starts after migrate.ts', async (name) => {
    const db = await createTestDatabase(`pending_${name}`);
    const env = {
      SERVICE_NAME: name,
      DATABASE_URL: db.url,
      DATABASE_MIGRATE_ON_START: 'false',
      GRPC_PORT: String(await freePort()),
      AUTH_JWT_SECRET: 'pending-migrations-e2e-secret-of-32-chars',
      AUTH_JWT_DEVELOPMENT: 'true',
      PLANT_MODEL_FILES: demoPlantPath('petrochemical'),
      ALARM_CONFIG_FILES: `${REPO_ROOT}/services/safety/config/demo-petrochemical.alarms.json`,
      INGESTION_ADDRESS: '127.0.0.1:1',
      BALANCE_SCHEDULE_INTERVAL_S: '0',
    };
    try {
      const refused = await runToExit(`services/${name}/src/main.ts`, env);
      expect(refused.code).not.toBe(0);
      expect(refused.output).toMatch(SERVICES[name].pending);

      const migrated = await runToExit(`services/${name}/src/migrate.ts`, env);
      expect(migrated).toMatchObject({ code: 0 });
      const running = await startServiceProcess(`services/${name}/src/main.ts`, env, `${name} service started`);
      await running.stop('SIGTERM');
    } finally {
      await db.drop();
    }
  });
});
