import { runMigrations, sqlMigration } from '@reflux/database';
import { migrateEventStore } from '@reflux/event-store';
import type { Pool } from 'pg';

/** Read models of the supply-chain service (rebuildable from the `supply-` streams). */
export const SUPPLY_CHAIN_MIGRATIONS = {
  module: 'supply-chain',
  migrations: [
    sqlMigration(
      '0001_supply_chain',
      `CREATE TABLE IF NOT EXISTS supply_orders (
         order_id text PRIMARY KEY,
         customer_id text NOT NULL,
         product_id text NOT NULL,
         quantity_t double precision NOT NULL,
         due_period integer NOT NULL,
         priority integer NOT NULL,
         lateness_penalty_per_t_per_period double precision NOT NULL,
         shortfall_penalty_per_t double precision NOT NULL,
         status text NOT NULL,
         position bigint NOT NULL
       )`,
      'CREATE INDEX IF NOT EXISTS supply_orders_customer ON supply_orders (customer_id, order_id)',
      `CREATE TABLE IF NOT EXISTS supply_allocations (
         allocation_id text PRIMARY KEY,
         trigger text NOT NULL,
         proposed_at timestamptz NOT NULL,
         frozen_periods integer NOT NULL,
         published boolean NOT NULL DEFAULT false,
         document jsonb NOT NULL,
         position bigint NOT NULL
       )`,
      `CREATE TABLE IF NOT EXISTS supply_order_promises (
         allocation_id text NOT NULL REFERENCES supply_allocations ON DELETE CASCADE,
         order_id text NOT NULL,
         promised_period integer,
         late_periods integer NOT NULL,
         shortfall_t double precision NOT NULL,
         delivered_t double precision NOT NULL,
         PRIMARY KEY (allocation_id, order_id)
       )`,
      `CREATE TABLE IF NOT EXISTS supply_site_utilisation (
         allocation_id text NOT NULL REFERENCES supply_allocations ON DELETE CASCADE,
         site_id text NOT NULL,
         period integer NOT NULL,
         made_t double precision NOT NULL,
         capacity_t double precision NOT NULL,
         modules_on double precision NOT NULL,
         modules_available integer NOT NULL,
         PRIMARY KEY (allocation_id, site_id, period)
       )`,
    ),
  ],
} as const;

/** Event store schema, then the supply-chain tables. Safe to run from several replicas at once. */
export async function migrateSupplyChain(pool: Pool): Promise<void> {
  await migrateEventStore(pool);
  await runMigrations(pool, SUPPLY_CHAIN_MIGRATIONS);
}
