import { assertNoPendingMigrations, runMigrations, sqlMigration } from '@reflux/database';
import { eventStoreMigrations, migrateEventStore } from '@reflux/event-store';
import type { Pool } from 'pg';

/**
 * Read models of the balancing service (all rebuildable from the `balance-*` event streams). A
 * window is identified by plant, start and end; its rows hold the newest plant-model version.
 */
export const BALANCING_MIGRATIONS = {
  module: 'balancing',
  migrations: [
    sqlMigration(
      '0001_read_models',
      `CREATE TABLE IF NOT EXISTS balancing_windows (
         plant_id text NOT NULL,
         window_start timestamptz NOT NULL,
         window_end timestamptz NOT NULL,
         plant_model_version integer NOT NULL,
         stream_id text NOT NULL,
         reconciled_at timestamptz NOT NULL,
         global_test_statistic double precision NOT NULL,
         global_test_dof integer NOT NULL,
         global_test_critical double precision NOT NULL,
         global_test_rejected boolean NOT NULL,
         record jsonb NOT NULL,
         PRIMARY KEY (plant_id, window_start, window_end)
       )`,
      `CREATE TABLE IF NOT EXISTS balancing_stream_values (
         plant_id text NOT NULL,
         window_start timestamptz NOT NULL,
         window_end timestamptz NOT NULL,
         stream_id text NOT NULL,
         from_unit_id text,
         to_unit_id text,
         medium text NOT NULL,
         tag_ids text[] NOT NULL,
         is_accumulation boolean NOT NULL,
         measured boolean NOT NULL,
         measured_kg_per_s double precision,
         reconciled_kg_per_s double precision,
         sigma_kg_per_s double precision,
         adjustment_kg_per_s double precision,
         measurement_test double precision,
         classification text NOT NULL,
         gross_error boolean NOT NULL,
         PRIMARY KEY (plant_id, window_start, window_end, stream_id)
       )`,
      `CREATE TABLE IF NOT EXISTS balancing_unit_closures (
         plant_id text NOT NULL,
         window_start timestamptz NOT NULL,
         window_end timestamptz NOT NULL,
         unit_id text NOT NULL,
         imbalance_before_kg_per_s double precision,
         imbalance_after_kg_per_s double precision,
         inflow_kg_per_s double precision,
         outflow_kg_per_s double precision,
         accumulation_kg_per_s double precision,
         closure_before_ratio double precision,
         closure_after_ratio double precision,
         nodal_test double precision,
         suspect boolean NOT NULL,
         PRIMARY KEY (plant_id, window_start, window_end, unit_id)
       )`,
      `CREATE TABLE IF NOT EXISTS balancing_yields (
         plant_id text NOT NULL,
         window_start timestamptz NOT NULL,
         window_end timestamptz NOT NULL,
         unit_id text NOT NULL,
         stream_id text NOT NULL,
         medium text NOT NULL,
         yield_ratio double precision NOT NULL,
         mass_flow_kg_per_s double precision NOT NULL,
         sigma_ratio double precision,
         basis text NOT NULL,
         PRIMARY KEY (plant_id, window_start, window_end, unit_id, stream_id)
       )`,
      `CREATE TABLE IF NOT EXISTS balancing_energy_kpis (
         plant_id text NOT NULL,
         window_start timestamptz NOT NULL,
         window_end timestamptz NOT NULL,
         energy_import_w double precision,
         energy_export_w double precision,
         product_kg_per_s double precision,
         specific_energy_gj_per_t double precision,
         headers jsonb NOT NULL,
         PRIMARY KEY (plant_id, window_start, window_end)
       )`,
      `CREATE TABLE IF NOT EXISTS balancing_suspects (
         event_id uuid PRIMARY KEY,
         global_position bigint NOT NULL,
         plant_id text NOT NULL,
         window_start timestamptz NOT NULL,
         window_end timestamptz NOT NULL,
         plant_model_version integer NOT NULL,
         kind text NOT NULL CHECK (kind IN ('gross-error', 'loss')),
         tag_id text,
         stream_id text,
         unit_id text,
         detail jsonb NOT NULL
       )`,
      `CREATE INDEX IF NOT EXISTS balancing_suspects_by_plant_window ON balancing_suspects (plant_id, window_start, global_position)`,
      `CREATE INDEX IF NOT EXISTS balancing_yields_by_unit ON balancing_yields (plant_id, unit_id, window_start DESC)`,
    ),
    sqlMigration(
      '0002_component_balances',
      `CREATE TABLE IF NOT EXISTS balancing_stream_compositions (
         plant_id text NOT NULL,
         window_start timestamptz NOT NULL,
         window_end timestamptz NOT NULL,
         stream_id text NOT NULL,
         component text NOT NULL,
         tag_ids text[] NOT NULL,
         measured boolean NOT NULL,
         measured_mass_fraction double precision,
         reconciled_mass_fraction double precision,
         sigma_mass_fraction double precision,
         adjustment_mass_fraction double precision,
         measurement_test double precision,
         classification text NOT NULL,
         gross_error boolean NOT NULL,
         PRIMARY KEY (plant_id, window_start, window_end, stream_id, component)
       )`,
      `CREATE TABLE IF NOT EXISTS balancing_component_closures (
         plant_id text NOT NULL,
         window_start timestamptz NOT NULL,
         window_end timestamptz NOT NULL,
         unit_id text NOT NULL,
         component text NOT NULL,
         imbalance_before_kg_per_s double precision,
         imbalance_after_kg_per_s double precision,
         inflow_kg_per_s double precision,
         outflow_kg_per_s double precision,
         closure_before_ratio double precision,
         closure_after_ratio double precision,
         PRIMARY KEY (plant_id, window_start, window_end, unit_id, component)
       )`,
    ),
  ],
} as const;

/** Event store schema, then the balancing read models. Safe to run from several replicas at once. */
export async function migrateBalancing(pool: Pool): Promise<void> {
  await migrateEventStore(pool);
  await runMigrations(pool, BALANCING_MIGRATIONS);
}

/**
 * With DATABASE_MIGRATE_ON_START=false (a migration Job owns the schema): refuses to start while any
 * event-store or balancing migration is pending, naming them.
 */
export async function assertBalancingMigrated(pool: Pool): Promise<void> {
  await assertNoPendingMigrations(pool, [eventStoreMigrations, BALANCING_MIGRATIONS], 'services/balancing/src/migrate.ts');
}
