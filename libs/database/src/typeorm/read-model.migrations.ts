import type { DataSource } from 'typeorm';

/**
 * Runs the pending TypeORM migrations of a DataSource, each in its own transaction, under a
 * session-level PostgreSQL advisory lock keyed by the migrations table: replicas starting together
 * and a Kubernetes migration Job racing a pod serialise; the later ones find nothing left to do.
 * Initializes the DataSource if needed. Returns the names of the migrations it applied, in order.
 */
export async function runReadModelMigrations(dataSource: DataSource): Promise<string[]> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  const lockKey = `reflux_typeorm_migrations:${table}`;
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await lockRunner.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]);
    }
  } finally {
    await lockRunner.release();
  }
}

/**
 * Start-up of a service's read models: initialize, then (in the embedded default, and whenever
 * no separate migration Job runs) apply pending migrations under the lock. With
 * `runMigrations: false` (Kubernetes, where the Job migrates) it refuses to start while migrations
 * are pending, naming them, instead of failing later on a missing column.
 */
export async function initializeReadModel(dataSource: DataSource, options: { readonly runMigrations: boolean }): Promise<string[]> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  if (options.runMigrations) return runReadModelMigrations(dataSource);
  if (await dataSource.showMigrations()) {
    await dataSource.destroy();
    throw new PendingMigrationsError(String(dataSource.options.migrationsTableName ?? 'migrations'));
  }
  return [];
}

export class PendingMigrationsError extends Error {
  readonly code = 'DATABASE.MIGRATIONS_PENDING';
  readonly retriable = true;

  constructor(table: string) {
    super(`read-model migrations are pending (table ${table}); run the migrate entry point (Kubernetes Job) first`);
    this.name = 'PendingMigrationsError';
  }
}
