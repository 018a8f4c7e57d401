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
