import 'reflect-metadata';
import pino from 'pino';
import { Pool } from 'pg';
import { Column, Entity, type MigrationInterface, PrimaryColumn, type QueryRunner } from 'typeorm';
import { createTestDatabase } from '@reflux/testing';
import { sqlMigration } from '../migrations';
import { runMigrateCommand } from './migrate.command';
import { createReadModelDataSource } from './read-model.data-source';
import { PendingMigrationsError, initializeReadModel, runReadModelMigrations } from './read-model.migrations';

@Entity({ name: 'unit_balance' })
class UnitBalance {
  @PrimaryColumn({ name: 'unit_id', type: 'text' })
  unitId!: string;

  @Column({ name: 'imbalance_kg_per_s', type: 'double precision' })
  imbalanceKgPerS!: number;

  @Column({ name: 'position', type: 'bigint' })
  position!: string;
}

class CreateUnitBalance1732300000000 implements MigrationInterface {
  name = 'CreateUnitBalance1732300000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE unit_balance (unit_id text PRIMARY KEY, imbalance_kg_per_s double precision NOT NULL)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE unit_balance');
  }
}

class AddPosition1732300000001 implements MigrationInterface {
  name = 'AddPosition1732300000001';
  async up(q: QueryRunner): Promise<void> {
    // Slow on purpose, so concurrent starters really overlap.
    await q.query('SELECT pg_sleep(0.2)');
    await q.query('ALTER TABLE unit_balance ADD COLUMN position bigint NOT NULL DEFAULT 0');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE unit_balance DROP COLUMN position');
  }
}

class Broken1732300000002 implements MigrationInterface {
  name = 'Broken1732300000002';
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE half_done (a int)');
    await q.query('SELECT * FROM no_such_table');
  }
  async down(): Promise<void> {}
}

const silent = pino({ level: 'silent' });

describe('read-model DataSource', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase('read_model');
  });
  afterAll(async () => {
    await db.drop();
  });

  const dataSource = (migrations = [CreateUnitBalance1732300000000, AddPosition1732300000001], table = 'balancing_typeorm_migrations') =>
    createReadModelDataSource({ url: db.url, applicationName: 'balancing', entities: [UnitBalance], migrations, migrationsTableName: table, logger: silent });

  it('refuses to start while migrations are pending when a Job is expected to migrate', async () => {
    const ds = dataSource();
    await expect(initializeReadModel(ds, { runMigrations: false })).rejects.toBeInstanceOf(PendingMigrationsError);
    expect(ds.isInitialized).toBe(false);
  });

  it('applies each migration once when several replicas start at the same time, then serves the entity', async () => {
    const sources = [dataSource(), dataSource(), dataSource()];
    try {
      const applied = await Promise.all(sources.map((ds) => initializeReadModel(ds, { runMigrations: true })));
      expect(applied.flat()).toEqual(['CreateUnitBalance1732300000000', 'AddPosition1732300000001']);
      const repo = sources[0].getRepository(UnitBalance);
      await repo.save({ unitId: 'FCC-1', imbalanceKgPerS: -0.25, position: '42' });
      const row = await sources[1].getRepository(UnitBalance).findOneByOrFail({ unitId: 'FCC-1' });
      expect(row).toEqual({ unitId: 'FCC-1', imbalanceKgPerS: -0.25, position: '42' });
      expect(await runReadModelMigrations(sources[2])).toEqual([]);
      const rows: { name: string }[] = await sources[0].query('SELECT name FROM balancing_typeorm_migrations ORDER BY id');
      expect(rows.map((r) => r.name)).toEqual(['CreateUnitBalance1732300000000', 'AddPosition1732300000001']);
    } finally {
      await Promise.all(sources.map((ds) => ds.destroy()));
    }
    const ready = dataSource();
    expect(await initializeReadModel(ready, { runMigrations: false })).toEqual([]);
    await ready.destroy();
  });

  it('rolls a failed migration back completely and names it', async () => {
    const ds = dataSource([CreateUnitBalance1732300000000, AddPosition1732300000001, Broken1732300000002]);
    try {
      await expect(runReadModelMigrations(ds)).rejects.toThrow(/no_such_table/);
      const { length } = await ds.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'");
      expect(length).toBe(0);
      expect(await ds.showMigrations()).toBe(true);
    } finally {
      await ds.destroy();
    }
  });

  it('migrate command applies SQL sets first, then read-model migrations, and is idempotent', async () => {
    const pool = new Pool({ connectionString: db.url, max: 2 });
    const ds = dataSource([CreateUnitBalance1732300000000, AddPosition1732300000001], 'other_typeorm_migrations');
    try {
      // A fresh migrations table for this DataSource: its first migration must not collide with the
      // already created unit_balance, so use a schema of its own.
      await pool.query('CREATE SCHEMA IF NOT EXISTS job');
      const sqlSets = [{ module: 'ingestion', migrations: [sqlMigration('0001_samples', 'CREATE TABLE job.samples (id bigint PRIMARY KEY)')] }];
      await pool.query('DROP TABLE unit_balance');
      const first = await runMigrateCommand({ pool, sqlSets, dataSource: ds, logger: silent });
      expect(first).toEqual({ sql: { ingestion: ['0001_samples'] }, typeorm: ['CreateUnitBalance1732300000000', 'AddPosition1732300000001'] });
      const second = await runMigrateCommand({ pool, sqlSets, dataSource: ds, logger: silent });
      expect(second).toEqual({ sql: { ingestion: [] }, typeorm: [] });
    } finally {
      await ds.destroy();
      await pool.end();
    }
  });
});
