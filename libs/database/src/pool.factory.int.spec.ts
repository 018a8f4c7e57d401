import { createTestDatabase } from '@reflux/testing';
import { createPgPool, pgPoolOptionsFromConfig, pingPostgres } from './pool.factory';

describe('createPgPool', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase('pool');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('sets application_name, statement_timeout and the pool size on every connection', async () => {
    const pool = createPgPool(pgPoolOptionsFromConfig({ DATABASE_URL: db.url, SERVICE_NAME: 'ingestion', DATABASE_POOL_MAX: 3, DATABASE_STATEMENT_TIMEOUT_MS: 1500, DATABASE_CONNECT_TIMEOUT_MS: 5000 }));
    try {
      const { rows } = await pool.query("SELECT current_setting('application_name') AS app, current_setting('statement_timeout') AS st");
      expect(rows[0]).toEqual({ app: 'ingestion', st: '1500ms' });
      expect(pool.options.max).toBe(3);
      const health = await pingPostgres(pool);
      expect(health.ok).toBe(true);
    } finally {
      await pool.end();
    }
  });

  it('cancels a statement that runs past the statement timeout', async () => {
    const pool = createPgPool({ url: db.url, applicationName: 't', statementTimeoutMs: 200 });
    try {
      await expect(pool.query('SELECT pg_sleep(2)')).rejects.toMatchObject({ code: '57014' });
      expect((await pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    } finally {
      await pool.end();
    }
  });

  it('reports an unreachable server as unhealthy instead of throwing', async () => {
    const pool = createPgPool({ url: 'postgres://u:p@127.0.0.1:1/none', applicationName: 't', connectionTimeoutMs: 500 });
    try {
      const health = await pingPostgres(pool, 1_000);
      expect(health.ok).toBe(false);
      expect(health.error).toBeTruthy();
    } finally {
      await pool.end();
    }
  });
});
