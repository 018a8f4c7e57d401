import type { Pool } from 'pg';
import type { Allocation } from '../../domain/allocation';

export interface OrderRow {
  readonly order_id: string;
  readonly customer_id: string;
  readonly product_id: string;
  readonly quantity_t: number;
  readonly due_period: number;
  readonly priority: number;
  readonly lateness_penalty_per_t_per_period: number;
  readonly shortfall_penalty_per_t: number;
  readonly status: string;
  readonly promised_period: number | null;
  readonly late_periods: number | null;
  readonly shortfall_t: number | null;
  readonly allocation_id: string | null;
}

export interface AllocationRow {
  readonly allocation_id: string;
  readonly trigger: string;
  readonly proposed_at: Date;
  readonly frozen_periods: number;
  readonly published: boolean;
  readonly document: Allocation;
}

const CURRENT = `SELECT allocation_id FROM supply_allocations ORDER BY published DESC, position DESC LIMIT 1`;

/** Queries of the supply-chain read models. */
export class SupplyReadModel {
  constructor(private readonly pool: Pool) {}

  /** `undefined` or '' → the published allocation, else the latest proposal; 'latest' → the latest proposal. */
  async allocation(allocationId?: string): Promise<AllocationRow | undefined> {
    const where = !allocationId ? `allocation_id = (${CURRENT})` : allocationId === 'latest' ? 'true ORDER BY position DESC LIMIT 1' : 'allocation_id = $1';
    const { rows } = await this.pool.query<AllocationRow>(`SELECT allocation_id, trigger, proposed_at, frozen_periods, published, document FROM supply_allocations WHERE ${where}`, allocationId && allocationId !== 'latest' ? [allocationId] : []);
    return rows[0];
  }

  /** Orders in id order after `after`, with their promise under the current allocation. */
  async orders(limit: number, after?: string, customerId?: string): Promise<OrderRow[]> {
    const { rows } = await this.pool.query<OrderRow>(
      `SELECT o.*, p.promised_period, p.late_periods, p.shortfall_t, p.allocation_id
         FROM supply_orders o
         LEFT JOIN supply_order_promises p ON p.order_id = o.order_id AND p.allocation_id = (${CURRENT})
        WHERE ($1::text IS NULL OR o.order_id > $1) AND ($2::text IS NULL OR o.customer_id = $2)
        ORDER BY o.order_id LIMIT $3`,
      [after ?? null, customerId ?? null, limit],
    );
    return rows;
  }
}
