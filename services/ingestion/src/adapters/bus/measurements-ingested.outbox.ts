import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { integrationEvents } from '@reflux/contracts';
import type { TransactionalOutbox } from '@reflux/messaging';
import type { IngestedSummary } from '../../application/ingested-summary';

/** Enqueues events in the caller's transaction (the one committing the samples). */
export interface IngestionEventOutbox {
  enqueueIngested(summaries: readonly IngestedSummary[], transaction: PoolClient): Promise<void>;
}

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;

/** A UUID (version-5 layout) derived from a name, so a batch's event ids are stable. */
function nameUuid(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * MeasurementsIngested through the transactional outbox of @reflux/messaging: one event per plant
 * and committed batch, subject `ingestion-<plantId>` (ordered per plant), event id derived from the
 * writer, batch id and plant. Tag ids the contract cannot carry are left out of `tagIds`.
 */
export class MeasurementsIngestedOutbox implements IngestionEventOutbox {
  constructor(
    private readonly outbox: TransactionalOutbox,
    private readonly source = 'ingestion',
  ) {}

  async enqueueIngested(summaries: readonly IngestedSummary[], transaction: PoolClient): Promise<void> {
    const events = summaries
      .map((s) => ({ ...s, tagIds: s.tagIds.filter((t) => IDENTIFIER.test(t) && t.length <= 200) }))
      .filter((s) => s.tagIds.length > 0)
      .map((s) =>
        // The outbox validates each event against the contract as it enqueues it.
        integrationEvents.envelope(
          'MeasurementsIngested',
          {
            plantId: s.plantId,
            batchId: s.batchId.slice(0, 200),
            tagIds: s.tagIds,
            timeRange: { start: new Date(s.startMs).toISOString(), end: new Date(s.endMs).toISOString() },
            samplesAccepted: s.samplesAccepted,
            samplesRejected: s.samplesRejected,
          },
          { source: this.source, subject: `ingestion-${s.plantId}`, eventId: nameUuid(s.writer === undefined ? `ingestion:${s.batchId}:${s.plantId}` : `ingestion:${s.writer}:${s.batchId}:${s.plantId}`) },
        ),
      );
    if (events.length > 0) await this.outbox.enqueue(events, transaction);
  }
}
