import type { Pool } from 'pg';
// The migration runner is shared infrastructure; @reflux/database is tagged data-access like this
// library, and the module-boundary matrix allows data-access → data-access (see README).
import { runMigrations, sqlMigration } from '@reflux/database';

/** Channel on which every append notifies (payload: the stream id). */
export const EVENTS_CHANNEL = 'reflux_events';

export const eventStoreMigrations = {
  module: 'event-store',
  migrations: [
    sqlMigration(
      '0001_create_event_store',
      `CREATE TABLE reflux_streams (
        stream_id text COLLATE "C" PRIMARY KEY,
        version bigint NOT NULL,
        last_transaction_id xid8 NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE TABLE reflux_events (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        stream_id text COLLATE "C" NOT NULL,
        stream_version bigint NOT NULL CHECK (stream_version >= 0),
        event_id text NOT NULL,
        type text NOT NULL,
        schema_version integer NOT NULL CHECK (schema_version >= 1),
        data jsonb NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}',
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT reflux_events_event_id_key UNIQUE (event_id),
        CONSTRAINT reflux_events_stream_version_key UNIQUE (stream_id, stream_version)
      )`,
      // Subscriptions read in (transaction_id, global_position) order.
      'CREATE INDEX reflux_events_transaction_position_idx ON reflux_events (transaction_id, global_position)',
      'CREATE INDEX reflux_events_type_position_idx ON reflux_events (type, global_position)',
      `CREATE TABLE reflux_subscription_checkpoints (
        subscription_id text PRIMARY KEY,
        transaction_id xid8 NOT NULL DEFAULT '0',
        global_position bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
    ),
    sqlMigration(
      '0002_create_snapshots',
      `CREATE TABLE reflux_snapshots (
        stream_id text COLLATE "C" NOT NULL,
        name text NOT NULL,
        schema_version integer NOT NULL,
        stream_version bigint NOT NULL CHECK (stream_version >= 0),
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (stream_id, name)
      )`,
    ),
    // Causation trace (control-room gateway, `reflux events trace`): the events an event caused.
    // Partial: only events that name a cause are indexed.
    sqlMigration(
      '0003_causation_index',
      "CREATE INDEX reflux_events_causation_idx ON reflux_events ((metadata->>'causationId')) WHERE metadata ? 'causationId'",
    ),
  ],
};

/** Creates or upgrades the event store's tables (idempotent; safe when several replicas start together). */
export async function migrateEventStore(pool: Pool): Promise<string[]> {
  return runMigrations(pool, eventStoreMigrations);
}
