import { defineProjection } from '@reflux/event-store';
import type { ProposedAllocation } from '../domain/coordination.decider';
import type { Order } from '../domain/network.schema';

/** Proposals kept in the read model besides the published one. */
const KEEP_ALLOCATIONS = 20;

/**
 * Read models of the `supply-` streams: orders (with status), allocations (document, published
 * flag), each allocation's order promises and site utilisation. Idempotent: upserts keyed by ids.
 */
export const supplyReadModelsProjection = defineProjection({
  name: 'supply-chain-read-models',
  category: 'supply-',
  batchSize: 200,
  reset: async (tx) => {
    await tx.query('DELETE FROM supply_orders');
    await tx.query('DELETE FROM supply_allocations');
  },
  handlers: {
    OrderReceived: (e, tx) => upsertOrder((e.data as { order: Order }).order, 'open', e.globalPosition, tx),
    OrderChanged: (e, tx) => upsertOrder((e.data as { order: Order }).order, 'open', e.globalPosition, tx),
    OrderCancelled: async (e, tx) => {
      await tx.query(`UPDATE supply_orders SET status = 'cancelled', position = $2 WHERE order_id = $1`, [(e.data as { orderId: string }).orderId, e.globalPosition]);
    },
    AllocationProposed: async (e, tx) => {
      const p = e.data as ProposedAllocation;
      const inserted = await tx.query(
        `INSERT INTO supply_allocations (allocation_id, trigger, proposed_at, frozen_periods, document, position) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (allocation_id) DO NOTHING`,
        [p.allocationId, p.trigger, p.at, p.frozenPeriods, JSON.stringify(p.allocation), e.globalPosition],
      );
      if (inserted.rowCount === 0) return;
      const o = p.allocation.orders;
      await tx.query(
        `INSERT INTO supply_order_promises (allocation_id, order_id, promised_period, late_periods, shortfall_t, delivered_t)
         SELECT $1, * FROM unnest($2::text[], $3::int[], $4::int[], $5::float8[], $6::float8[])`,
        [p.allocationId, o.map((x) => x.orderId), o.map((x) => x.promisedPeriod), o.map((x) => x.latePeriods), o.map((x) => x.shortfallT), o.map((x) => x.deliveredT)],
      );
      const u = p.allocation.utilisation;
      await tx.query(
        `INSERT INTO supply_site_utilisation (allocation_id, site_id, period, made_t, capacity_t, modules_on, modules_available)
         SELECT $1, * FROM unnest($2::text[], $3::int[], $4::float8[], $5::float8[], $6::float8[], $7::int[])`,
        [p.allocationId, u.map((x) => x.site), u.map((x) => x.period), u.map((x) => x.madeT), u.map((x) => x.capacityT), u.map((x) => x.modulesOn), u.map((x) => x.modulesAvailable)],
      );
      await tx.query(
        `DELETE FROM supply_allocations WHERE NOT published AND allocation_id IN (SELECT allocation_id FROM supply_allocations WHERE NOT published ORDER BY position DESC OFFSET ${KEEP_ALLOCATIONS})`,
      );
    },
    AllocationPublished: async (e, tx) => {
      const id = (e.data as { allocationId: string }).allocationId;
      await tx.query('UPDATE supply_allocations SET published = (allocation_id = $1) WHERE published OR allocation_id = $1', [id]);
    },
  },
});

async function upsertOrder(o: Order, status: string, position: number, tx: import('pg').PoolClient): Promise<void> {
  await tx.query(
    `INSERT INTO supply_orders (order_id, customer_id, product_id, quantity_t, due_period, priority, lateness_penalty_per_t_per_period, shortfall_penalty_per_t, status, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (order_id) DO UPDATE SET customer_id = $2, product_id = $3, quantity_t = $4, due_period = $5, priority = $6, lateness_penalty_per_t_per_period = $7, shortfall_penalty_per_t = $8, status = $9, position = $10`,
    [o.id, o.customer, o.product, o.quantityT, o.duePeriod, o.priority, o.latenessPenaltyPerTPerPeriod, o.shortfallPenaltyPerT, status, position],
  );
}
