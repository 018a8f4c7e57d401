import { Pool } from 'pg';
import { createTestDatabase } from '@reflux/testing';
import { assertNoPendingMigrations, MigrationsPendingError, pendingMigrations, runMigrations, sqlMigration } from './migrations';

describe('runMigrations', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Pool;
  beforeAll(async () => {
    db = await createTestDatabase('migrations');
    pool = new Pool({ connectionString: db.url, max: 8 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('applies each migration once, in id order, even when several starters race', async () => {
    const set = {
      module: 'race',
      migrations: [
        sqlMigration('0002_add_column', 'ALTER TABLE race_t ADD COLUMN b int'),
        sqlMigration('0001_create', 'CREATE TABLE race_t (a int)'),
      ],
    };
    const results = await Promise.all([runMigrations(pool, set), runMigrations(pool, set), runMigrations(pool, set)]);
    expect(results.flat().sort()).toEqual(['0001_create', '0002_add_column']);
    const { rows } = await pool.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'race_t' ORDER BY 1");
    expect(rows.map((r) => r.column_name)).toEqual(['a', 'b']);
    expect(await runMigrations(pool, set)).toEqual([]);
  });

  it('leaves nothing behind when a migration fails, and names it', async () => {
    const set = {
      module: 'broken',
      migrations: [sqlMigration('0001_half', 'CREATE TABLE broken_t (a int)', 'SELECT * FROM no_such_table')],
    };
    await expect(runMigrations(pool, set)).rejects.toThrow(/broken\/0001_half failed/);
    const { rowCount } = await pool.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'broken_t'");
    expect(rowCount).toBe(0);
  });

  it('names the migrations not yet applied, in id order, and none once they are', async () => {
    const set = { module: 'pending', migrations: [sqlMigration('0002_b', 'CREATE TABLE pending_b (a int)'), sqlMigration('0001_a', 'CREATE TABLE pending_a (a int)')] };
    await runMigrations(pool, { module: 'pending', migrations: [set.migrations[1]!] });
    expect(await pendingMigrations(pool, [set])).toEqual(['pending/0002_b']);
    const refused = await assertNoPendingMigrations(pool, [set], 'migrate.ts').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MigrationsPendingError);
    expect((refused as MigrationsPendingError).code).toBe('DATABASE.MIGRATIONS_PENDING');
    expect((refused as Error).message).toMatch(/pending \(pending\/0002_b\): run migrate\.ts/);
    await runMigrations(pool, set);
    await expect(assertNoPendingMigrations(pool, [set], 'migrate.ts')).resolves.toBeUndefined();
  });

  it('reports every migration pending on a database that was never migrated', async () => {
    const fresh = await createTestDatabase('never_migrated');
    const freshPool = new Pool({ connectionString: fresh.url, max: 1 });
    try {
      expect(await pendingMigrations(freshPool, [{ module: 'm', migrations: [sqlMigration('0001_x', 'SELECT 1')] }])).toEqual(['m/0001_x']);
    } finally {
      await freshPool.end();
      await fresh.drop();
    }
  });
});
