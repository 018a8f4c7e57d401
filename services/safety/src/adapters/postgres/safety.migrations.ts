import { assertNoPendingMigrations, runMigrations, sqlMigration } from '@reflux/database';
import { eventStoreMigrations, migrateEventStore } from '@reflux/event-store';
import type { Pool } from 'pg';

/**
 * Tables of the safety service. The journal and activations are read models of the `alarm-*`
 * streams (rebuildable); engine state and processed batches are written with the alarm events;
 * early-warning state (grids, scorers, warnings in force) with the early-warning events.
 */
export const SAFETY_MIGRATIONS = {
  module: 'safety',
  migrations: [
    sqlMigration(
      '0001_safety',
      `CREATE TABLE IF NOT EXISTS safety_alarm_journal (
         position bigint PRIMARY KEY,
         plant_id text NOT NULL,
         alarm_id text NOT NULL,
         event_type text NOT NULL,
         at timestamptz NOT NULL,
         actor text NOT NULL,
         reason text NOT NULL,
         value double precision,
         text text NOT NULL DEFAULT '',
         priority text,
         area text,
         console text
       )`,
      'CREATE INDEX IF NOT EXISTS safety_alarm_journal_plant_at ON safety_alarm_journal (plant_id, at DESC, position DESC)',
      `CREATE TABLE IF NOT EXISTS safety_alarm_activations (
         plant_id text NOT NULL,
         alarm_id text NOT NULL,
         raised_at timestamptz NOT NULL,
         cleared_at timestamptz,
         priority text NOT NULL,
         area text NOT NULL,
         console text NOT NULL,
         PRIMARY KEY (plant_id, alarm_id, raised_at)
       )`,
      'CREATE INDEX IF NOT EXISTS safety_alarm_activations_open ON safety_alarm_activations (plant_id, raised_at) WHERE cleared_at IS NULL',
      `CREATE TABLE IF NOT EXISTS safety_engine_tags (
         plant_id text NOT NULL,
         tag_id text NOT NULL,
         state jsonb NOT NULL,
         PRIMARY KEY (plant_id, tag_id)
       )`,
      `CREATE TABLE IF NOT EXISTS safety_processed_batches (
         plant_id text NOT NULL,
         batch_key text NOT NULL,
         processed_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (plant_id, batch_key)
       )`,
    ),
    sqlMigration(
      '0002_safety_early_warning',
      `CREATE TABLE IF NOT EXISTS safety_early_warning_state (
         plant_id text NOT NULL,
         monitor text NOT NULL,
         key text NOT NULL,
         state jsonb NOT NULL,
         updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (plant_id, monitor, key)
       )`,
    ),
  ],
} as const;

/** Event store schema, then the safety tables. Safe to run from several replicas at once. */
export async function migrateSafety(pool: Pool): Promise<void> {
  await migrateEventStore(pool);
  await runMigrations(pool, SAFETY_MIGRATIONS);
}

/**
 * With DATABASE_MIGRATE_ON_START=false (a migration Job owns the schema): refuses to start while any
 * event-store or safety migration is pending, naming them.
 */
export async function assertSafetyMigrated(pool: Pool): Promise<void> {
  await assertNoPendingMigrations(pool, [eventStoreMigrations, SAFETY_MIGRATIONS], 'services/safety/src/migrate.ts');
}
