import { runMigrations, sqlMigration } from '@reflux/database';
import { migrateEventStore } from '@reflux/event-store';
import type { Pool } from 'pg';

/**
 * Tables of the scheduling service: jobs (their state outlives the replica that ran them) and the
 * read model of the `schedule-<plant>` streams (rebuildable from the events).
 */
export const SCHEDULING_MIGRATIONS = {
  module: 'scheduling',
  migrations: [
    sqlMigration(
      '0001_scheduling',
      `CREATE TABLE IF NOT EXISTS scheduling_jobs (
         job_id uuid PRIMARY KEY,
         plant_id text NOT NULL,
         state text NOT NULL,
         trigger text NOT NULL,
         phase text NOT NULL,
         requested_by text NOT NULL,
         created_at timestamptz NOT NULL,
         started_at timestamptz,
         ended_at timestamptz,
         heartbeat_at timestamptz NOT NULL DEFAULT now(),
         solver_status text,
         objective double precision,
         gap_percent double precision,
         currency text,
         schedule_id text,
         message text,
         result jsonb
       )`,
      `CREATE INDEX IF NOT EXISTS scheduling_jobs_open ON scheduling_jobs (plant_id, created_at DESC) WHERE state IN ('queued', 'running')`,
      `CREATE TABLE IF NOT EXISTS scheduling_schedules (
         plant_id text NOT NULL,
         schedule_id text NOT NULL,
         status text NOT NULL,
         position bigint NOT NULL,
         job_id text NOT NULL,
         reason text NOT NULL,
         proposed_at timestamptz NOT NULL,
         published_at timestamptz,
         published_by text,
         proposal jsonb NOT NULL,
         PRIMARY KEY (plant_id, schedule_id)
       )`,
      'CREATE INDEX IF NOT EXISTS scheduling_schedules_job ON scheduling_schedules (job_id)',
      'CREATE INDEX IF NOT EXISTS scheduling_schedules_plant_position ON scheduling_schedules (plant_id, position DESC)',
    ),
  ],
} as const;

/** Event store schema, then the scheduling tables. Safe to run from several replicas at once. */
export async function migrateScheduling(pool: Pool): Promise<void> {
  await migrateEventStore(pool);
  await runMigrations(pool, SCHEDULING_MIGRATIONS);
}
