import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { type MigrationSet, runMigrations } from '../migrations';
import { runReadModelMigrations } from './read-model.migrations';

export interface MigrateCommandOptions {
  /** Pool for the SQL migration sets (event store, service tables). */
  readonly pool?: Pool;
  /** SQL migration sets, applied in the given order (event store before service tables). */
  readonly sqlSets?: readonly MigrationSet[];
  /** Read-model DataSource whose TypeORM migrations are applied after the SQL sets. */
  readonly dataSource?: DataSource;
  readonly logger: Logger;
}

export interface MigrateReport {
  readonly sql: Readonly<Record<string, readonly string[]>>;
  readonly typeorm: readonly string[];
}

/**
 * Body of a service's `migrate.ts` (the Kubernetes migration Job, `npm run migrate` locally):
 * applies every pending migration, logs what it did, and returns a report. Safe to run
 * concurrently with itself and with starting replicas (both runners take advisory locks).
 * The caller owns pool and DataSource and closes them; exit status is the caller's choice
 * (`process.exitCode = 1` on a throw).
 */
export async function runMigrateCommand(options: MigrateCommandOptions): Promise<MigrateReport> {
  const sql: Record<string, string[]> = {};
  if (options.sqlSets?.length) {
    if (!options.pool) throw new Error('runMigrateCommand: sqlSets need a pool');
    for (const set of options.sqlSets) {
      sql[set.module] = await runMigrations(options.pool, set);
      options.logger.info({ module: set.module, applied: sql[set.module] }, sql[set.module].length ? 'SQL migrations applied' : 'SQL migrations up to date');
    }
  }
  let typeorm: string[] = [];
  if (options.dataSource) {
    typeorm = await runReadModelMigrations(options.dataSource);
    options.logger.info({ applied: typeorm }, typeorm.length ? 'read-model migrations applied' : 'read-model migrations up to date');
  }
  return { sql, typeorm };
}
