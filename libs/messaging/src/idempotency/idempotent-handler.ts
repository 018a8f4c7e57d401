import type { IntegrationEvent } from '@reflux/contracts';
import type { Pool, PoolClient } from 'pg';
import type { DeliveryContext, EventHandler } from '../event-bus.port';

export type TransactionalEventHandler = (event: IntegrationEvent, delivery: DeliveryContext & { readonly transaction: PoolClient }) => Promise<void>;

/**
 * Makes a consumer idempotent by event id. In one transaction it records (group, event id) in
 * `messaging_processed_events` and runs `handler` with that transaction; an event already recorded
 * is acknowledged without running the handler. A failing handler rolls the record back, so the
 * redelivery runs it again. Concurrent duplicates (two consumers after a rebalance) serialise on
 * the primary key: the second waits for the first to commit, then skips.
 *
 * With the PostgreSQL bus the delivery's own transaction (which also stores the checkpoint) is
 * used; with Kafka a transaction is taken from `pool`. The table must live in the database the
 * handler writes to (`migrateMessaging(pool)`).
 */
export function idempotentHandler(pool: Pool, handler: TransactionalEventHandler): EventHandler {
  return async (event, delivery) => {
    if (delivery.transaction) {
      await applyOnce(delivery.transaction, event, delivery, handler);
      return;
    }
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await applyOnce(client, event, delivery, handler);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
}

async function applyOnce(transaction: PoolClient, event: IntegrationEvent, delivery: DeliveryContext, handler: TransactionalEventHandler): Promise<void> {
  const inserted = await transaction.query(
    `INSERT INTO messaging_processed_events (consumer_group, event_id, event_type) VALUES ($1, $2, $3)
     ON CONFLICT (consumer_group, event_id) DO NOTHING`,
    [delivery.group, event.eventId, event.type],
  );
  if (inserted.rowCount === 0) return;
  await handler(event, { ...delivery, transaction });
}

/** Deletes records older than `olderThan` (keep them longer than the broker's retention). Returns the count. */
export async function pruneProcessedEvents(pool: Pool, olderThan: Date): Promise<number> {
  const result = await pool.query('DELETE FROM messaging_processed_events WHERE processed_at < $1', [olderThan]);
  return result.rowCount ?? 0;
}
