// The migration runner is shared infrastructure tagged data-access like this library; the matrix
// allows data-access → data-access for this layering (see README.md "Module boundaries").
import { runMigrations, sqlMigration } from '@reflux/database';
import type { Pool } from 'pg';

/**
 * `messaging_processed_events`: one row per (consumer group, event id) a consumer has applied,
 * written in the same transaction as the consumer's own changes.
 */
export const MESSAGING_MIGRATIONS = {
  module: 'messaging',
  migrations: [
    sqlMigration(
      '0001_processed_events',
      `CREATE TABLE messaging_processed_events (
         consumer_group text NOT NULL,
         event_id text NOT NULL,
         event_type text NOT NULL,
         processed_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (consumer_group, event_id)
       )`,
      `CREATE INDEX messaging_processed_events_age ON messaging_processed_events (processed_at)`,
    ),
  ],
} as const;

export async function migrateMessaging(pool: Pool): Promise<string[]> {
  return runMigrations(pool, MESSAGING_MIGRATIONS);
}
