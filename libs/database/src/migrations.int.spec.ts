import { Pool } from 'pg';
import { createTestDatabase } from '@reflux/testing';
import { runMigrations, sqlMigration } from './migrations';

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
});
