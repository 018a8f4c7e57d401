import type { IntegrationEvent } from '@reflux/contracts';
import type { EventStore } from '@reflux/event-store';
import type { Pool } from 'pg';
import type { EarlyWarningStateStore } from '../../application/early-warning-state.port';
import type { EventCausation, Outbox } from '../../application/outbox.port';

/** Early-warning state as JSON rows (`safety_early_warning_state`), committed with the outbox events. */
export class PostgresEarlyWarningState implements EarlyWarningStateStore {
  constructor(
    private readonly pool: Pool,
    private readonly store: Pick<EventStore, 'withTransaction'>,
    private readonly outbox: Outbox,
  ) {}

  async load(plantId: string, monitor: string): Promise<Map<string, unknown>> {
    const { rows } = await this.pool.query<{ key: string; state: unknown }>('SELECT key, state FROM safety_early_warning_state WHERE plant_id = $1 AND monitor = $2', [plantId, monitor]);
    return new Map(rows.map((r) => [r.key, r.state]));
  }

  async commit(plantId: string, monitor: string, states: readonly (readonly [string, unknown])[], events: readonly IntegrationEvent[], causation?: EventCausation): Promise<void> {
    await this.store.withTransaction(async (tx) => {
      if (states.length > 0)
        await tx.query(
          `INSERT INTO safety_early_warning_state (plant_id, monitor, key, state)
           SELECT $1, $2, k, s FROM unnest($3::text[], $4::jsonb[]) AS u(k, s)
           ON CONFLICT (plant_id, monitor, key) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
          [plantId, monitor, states.map(([k]) => k), states.map(([, s]) => JSON.stringify(s))],
        );
      if (events.length > 0) await this.outbox.enqueue(events, tx, { causation });
    });
  }
}
