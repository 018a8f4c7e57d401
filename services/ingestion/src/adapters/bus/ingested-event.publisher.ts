import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { IngestedSummary } from '../../application/ingested-summary';
import type { IngestionEventOutbox } from './measurements-ingested.outbox';

/**
 * Batches per append. Building and validating one batch's event takes ~1–3 ms of CPU (its tag list
 * is checked against the contract), all on the event loop: 20 keeps each step short enough not to
 * stall the write path's acknowledgements, and still drains a backlog far faster than it builds.
 */
const BATCHES_PER_TRANSACTION = 20;

/**
 * Appends the MeasurementsIngested events of committed batches (stored with the batch id, in the
 * write transaction) to the event log, in commit order, then marks them published — in one
 * transaction, so the pair is atomic. One publisher per process drains sequentially: appends to a
 * plant's event stream must not race (the event store refuses a transaction that started before
 * the stream's last writer), and batching many batches into one append keeps up with the write
 * rate. Replicas skip each other's rows (SKIP LOCKED); a conflict between them is retried. Event
 * ids are derived from batch and plant, so an append repeated after an unknown outcome is a no-op.
 */
export class IngestedEventPublisher {
  private running?: Promise<void>;
  private again = false;

  constructor(
    private readonly pool: Pool,
    private readonly outbox: IngestionEventOutbox,
    private readonly logger: Logger,
  ) {}

  /** Starts a drain soon, or another one after the current. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => (this.running = undefined));
  }

  /** Publishes everything pending; resolves when done. */
  async drain(): Promise<void> {
    while (this.running) await this.running;
    this.running = this.loop().finally(() => (this.running = undefined));
    await this.running;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    do {
      this.again = false;
      try {
        while ((await this.publishSome()) === BATCHES_PER_TRANSACTION) await new Promise((r) => setImmediate(r));
        failures = 0;
      } catch (error) {
        failures++;
        const retriable = (error as { retriable?: boolean }).retriable !== false;
        this.logger.warn({ err: error, failures }, 'publishing MeasurementsIngested failed; will retry');
        if (!retriable || failures >= 5) return;
        this.again = true;
        await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** failures) * (0.5 + Math.random())));
      }
    } while (this.again);
  }

  private async publishSome(): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ writer: string; client_batch_id: string; events: IngestedSummary[] }>(
        `SELECT writer, client_batch_id, events FROM ingestion_batches WHERE NOT published
         ORDER BY committed_at, client_batch_id LIMIT ${BATCHES_PER_TRANSACTION} FOR UPDATE SKIP LOCKED`,
      );
      if (rows.length > 0) {
        await this.outbox.enqueueIngested(rows.flatMap((r) => r.events ?? []), client);
        await client.query(
          `UPDATE ingestion_batches b SET published = true, events = NULL FROM unnest($1::text[], $2::text[]) AS k(writer, id)
           WHERE b.writer = k.writer AND b.client_batch_id = k.id`,
          [rows.map((r) => r.writer), rows.map((r) => r.client_batch_id)],
        );
      }
      await client.query('COMMIT');
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
