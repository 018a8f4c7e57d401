import type { Pool, PoolClient } from 'pg';

/**
 * A versioned schema change. `id` orders migrations within a module (`0001_create_events`) and is
 * never reused; `up` runs inside a transaction, so a failed migration leaves nothing behind.
 */
export interface Migration {
  readonly id: string;
  readonly up: (client: PoolClient) => Promise<void>;
}

export interface MigrationSet {
  /** Owner of the migrations (`event-store`, `ingestion`, …); ids are unique within it. */
  readonly module: string;
  readonly migrations: readonly Migration[];
}

/**
 * Applies the migrations of a module that are not yet recorded in `reflux_schema_migrations`, in id
 * order, each in its own transaction. A transaction-level advisory lock per module serialises
 * concurrent starters (several replicas booting at once, or a Kubernetes migration job racing a
 * pod): the second waits, then finds nothing left to do. Returns the ids it applied.
 */
export async function runMigrations(pool: Pool, set: MigrationSet): Promise<string[]> {
  const sorted = [...set.migrations].sort((a, b) => a.id.localeCompare(b.id));
  const ids = new Set<string>();
  for (const m of sorted) {
    if (ids.has(m.id)) throw new Error(`migration id ${set.module}/${m.id} is declared twice`);
    ids.add(m.id);
  }
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    // CREATE TABLE IF NOT EXISTS is not safe against a concurrent twin (the loser fails on the
    // table's row type), so first-time starters take turns under an advisory lock.
    await client.query('BEGIN');
    try {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('reflux_migrations'))");
      await client.query(`CREATE TABLE IF NOT EXISTS reflux_schema_migrations (
        module text NOT NULL,
        id text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (module, id)
      )`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    for (const migration of sorted) {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`reflux_migrations:${set.module}`]);
        const done = await client.query('SELECT 1 FROM reflux_schema_migrations WHERE module = $1 AND id = $2', [set.module, migration.id]);
        if (done.rowCount === 0) {
          await migration.up(client);
          await client.query('INSERT INTO reflux_schema_migrations (module, id) VALUES ($1, $2)', [set.module, migration.id]);
          applied.push(migration.id);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`migration ${set.module}/${migration.id} failed: ${message}`, { cause: error });
      }
    }
  } finally {
    client.release();
  }
  return applied;
}

/** A migration written as plain SQL statements, run in order. */
export function sqlMigration(id: string, ...statements: string[]): Migration {
  return {
    id,
    async up(client) {
      for (const statement of statements) await client.query(statement);
    },
  };
}

/** Ids of the migrations of each set not yet recorded in `reflux_schema_migrations`, as `module/id`. */
export async function pendingMigrations(pool: Pool, sets: readonly MigrationSet[]): Promise<string[]> {
  const recorded = await pool
    .query<{ module: string; id: string }>('SELECT module, id FROM reflux_schema_migrations')
    .then((r) => new Set(r.rows.map((row) => `${row.module}/${row.id}`)))
    .catch((error: { code?: string }) => {
      // 42P01: the table does not exist yet, nothing has ever been migrated on this database.
      if (error.code === '42P01') return new Set<string>();
      throw error;
    });
  const pending: string[] = [];
  for (const set of sets) {
    for (const m of [...set.migrations].sort((a, b) => a.id.localeCompare(b.id))) {
      if (!recorded.has(`${set.module}/${m.id}`)) pending.push(`${set.module}/${m.id}`);
    }
  }
  return pending;
}

/**
 * Start-up check of a service whose schema a migration job owns (DATABASE_MIGRATE_ON_START=false):
 * throws MigrationsPendingError naming every pending migration, so the service refuses to start
 * (and Kubernetes shows why) instead of failing later on a missing table or column.
 */
export async function assertNoPendingMigrations(pool: Pool, sets: readonly MigrationSet[], migrateCommand: string): Promise<void> {
  const pending = await pendingMigrations(pool, sets);
  if (pending.length > 0) throw new MigrationsPendingError(pending, migrateCommand);
}

export class MigrationsPendingError extends Error {
  readonly code = 'DATABASE.MIGRATIONS_PENDING';
  readonly retriable = true;

  constructor(
    readonly pending: readonly string[],
    migrateCommand: string,
  ) {
    super(`schema migrations pending (${pending.join(', ')}): run ${migrateCommand} (the migration Job) first, or set DATABASE_MIGRATE_ON_START=true`);
    this.name = 'MigrationsPendingError';
  }
}
