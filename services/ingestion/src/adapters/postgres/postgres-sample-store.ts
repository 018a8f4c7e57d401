import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import type { BatchIdentity } from '../../domain/batch-identity';
import { resolveBatchDuplicates, type StorableSample } from '../../domain/duplicate-resolution';
import { BatchIdConflictError } from '../../domain/ingestion.errors';
import { toSignedInt32 } from '../../domain/quality';
import type { BatchAck, Sample } from '../../domain/sample';
import type { DuplicatePolicy } from '../../domain/tag-definition';
import type { IngestedSummary } from '../../application/ingested-summary';
import type { SampleWriteStore } from '../../application/sample-store.port';
import type { IngestedEventPublisher } from '../bus/ingested-event.publisher';
import { BinaryCopyWriter, copyIn } from './copy-encoding';
import type { StorageMode } from './ingestion.schema';
import type { PartitionManager } from './partition-manager';
import type { LateBucketUpkeep } from './late-bucket-upkeep';
import { ORIGIN, ROLLUP_LOCK } from './sql-fragments';
import { TIMESCALE_LATE_AFTER_S } from './timescale-rollup-refresher';

const POLICY_CODE = { replace: 0, 'keep-first': 1, 'keep-both': 2 } as const;
const MINUTE_MS = 60_000;

/**
 * Writes batches in one transaction each: the writer's batch id and payload hash with its
 * acknowledgement (idempotency across restarts, conflicts on reused ids) and the samples. Samples go by COPY straight into the samples table when nothing
 * clashes (the common case, as fast as a raw COPY), else by COPY into a session-local staging table
 * and one INSERT … ON CONFLICT per duplicate policy, sorted by key so that concurrent writers lock
 * rows in the same order. On native PostgreSQL, samples before the rollup watermark queue their
 * 1-minute buckets for recomputation in the same transaction; RollupMaintainer recomputes them soon
 * after, in bulk. On TimescaleDB, samples older than TIMESCALE_LATE_AFTER_S by the database clock
 * queue theirs the same way, for TimescaleRollupRefresher.
 * The batch's MeasurementsIngested summaries are stored with its id, in the same transaction, for
 * the IngestedEventPublisher.
 */
export class PostgresSampleStore implements SampleWriteStore {
  private readonly staged = new WeakSet<PoolClient>();

  constructor(
    private readonly pool: Pool,
    private readonly mode: StorageMode,
    private readonly partitions: PartitionManager | undefined,
    private readonly rollups: LateBucketUpkeep | undefined,
    private readonly logger: Logger,
    private readonly publisher?: IngestedEventPublisher,
  ) {}

  async commitBatch(
    batch: BatchIdentity,
    samples: readonly Sample[],
    policyOf: (tagId: string) => DuplicatePolicy,
    ack: BatchAck,
    summaries: readonly IngestedSummary[] = [],
  ): Promise<BatchAck> {
    if (this.partitions && samples.length > 0) await this.partitions.ensureForSamples(samples);
    const native = this.mode === 'native';
    const publish = this.publisher !== undefined && summaries.length > 0;
    const client = await this.pool.connect();
    let dirty = 0;
    try {
      await this.ensureStaging(client);
      await client.query('BEGIN');
      // Writers share the rollup lock; the rollup maintainer takes it exclusively, so the watermark
      // read here cannot move before this transaction ends.
      if (native) await client.query(`SELECT pg_advisory_xact_lock_shared(${ROLLUP_LOCK})`);
      // A batch id committed before writers were recorded (writer '', no hash) still answers for
      // itself, whoever retries it, until it expires.
      const claim = await client.query<{ claimed: number; watermark: Date | null }>(
        `WITH legacy AS (
           SELECT 1 FROM ingestion_batches WHERE writer = '' AND client_batch_id = $2 AND payload_hash IS NULL
         ), claim AS (
           INSERT INTO ingestion_batches (writer, client_batch_id, payload_hash, ack, events, published)
           SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS (SELECT 1 FROM legacy)
           ON CONFLICT (writer, client_batch_id) DO NOTHING RETURNING 1
         )
         SELECT (SELECT count(*) FROM claim)::int AS claimed,
                ${native ? '(SELECT watermark FROM ingestion_rollup_state)' : 'NULL::timestamptz'} AS watermark`,
        [batch.writer, batch.clientBatchId, batch.payloadHash, JSON.stringify(ack), publish ? JSON.stringify(summaries) : null, !publish],
      );
      if (claim.rows[0].claimed === 0) {
        await client.query('ROLLBACK');
        return await this.storedAck(client, batch);
      }
      const watermark = claim.rows[0].watermark;
      if (samples.length > 0) {
        if (await this.tryDirectCopy(client, samples, policyOf)) {
          const before = watermark ?? (await lateBound(client));
          dirty = await queueLateBuckets(client, samples, before.getTime());
        } else {
          await this.copyToStaging(client, resolveBatchDuplicates(samples.map((s) => ({ ...s, policy: policyOf(s.tagId) }))));
          const { rows } = await client.query<{ dirty: number }>(native ? NATIVE_MERGE : TIMESCALE_MERGE, native ? [watermark] : []);
          dirty = rows[0]?.dirty ?? 0;
        }
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    if (publish) this.publisher!.kick();
    // Readers treat queued buckets as not materialised, so statistics are exact meanwhile; the
    // queue is durable, and the maintenance loop also drains it.
    if (dirty > 0 && this.rollups) this.rollups.kick();
    return ack;
  }

  /** Deletes batch ids committed longer ago than the retention; returns how many. */
  async expireBatchIds(olderThanS: number): Promise<number> {
    const r = await this.pool.query(`DELETE FROM ingestion_batches WHERE committed_at < now() - $1 * INTERVAL '1 second' AND published`, [olderThanS]);
    return r.rowCount ?? 0;
  }

  /** The stored acknowledgement of a batch id this writer committed before; a conflict when the content differs. */
  private async storedAck(client: PoolClient, batch: BatchIdentity): Promise<BatchAck> {
    const { rows } = await client.query<{ ack: BatchAck; payload_hash: Buffer | null }>(
      `SELECT ack, payload_hash FROM ingestion_batches
       WHERE client_batch_id = $2 AND (writer = $1 OR (writer = '' AND payload_hash IS NULL))
       ORDER BY (writer = $1) DESC LIMIT 1`,
      [batch.writer, batch.clientBatchId],
    );
    if (!rows[0]) throw new Error(`batch ${batch.clientBatchId} was claimed by another writer that then rolled back; retry`);
    if (rows[0].payload_hash !== null && !rows[0].payload_hash.equals(batch.payloadHash)) throw new BatchIdConflictError(batch.clientBatchId);
    return { ...rows[0].ack, duplicate: true };
  }

  /**
   * Fast path: COPY straight into the samples table inside a savepoint. A unique violation (a
   * sample's tag+time is already stored) rolls back to the savepoint and returns false, and the
   * staging path applies the duplicate policies. Keep-both samples always take the staging path
   * (they draw sequence values).
   */
  private async tryDirectCopy(client: PoolClient, samples: readonly Sample[], policyOf: (tagId: string) => DuplicatePolicy): Promise<boolean> {
    for (const s of samples) if (policyOf(s.tagId) === 'keep-both') return false;
    await client.query('SAVEPOINT direct_copy');
    try {
      // In key order: the index takes consecutive entries on the same leaf pages (measured here:
      // about 15 % more rows per second than scan order).
      const sorted = [...samples].sort(byKey);
      const copy = new BinaryCopyWriter(samples.length * 48 + 64);
      for (const s of sorted) copy.row(4).text(s.tagId).timestampMs(s.timeMs).float64(s.value).int32(toSignedInt32(s.quality));
      await copyIn(client, 'COPY ingestion_samples (tag_id, time, value, quality) FROM STDIN (FORMAT binary)', copy.finish());
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') throw error;
      await client.query('ROLLBACK TO SAVEPOINT direct_copy');
      return false;
    }
    await client.query('RELEASE SAVEPOINT direct_copy');
    return true;
  }

  private async ensureStaging(client: PoolClient): Promise<void> {
    if (this.staged.has(client)) return;
    await client.query(
      `CREATE TEMP TABLE IF NOT EXISTS ingestion_staging (
         tag_id text NOT NULL, time_ms bigint NOT NULL, value double precision NOT NULL, quality integer NOT NULL, policy smallint NOT NULL
       ) ON COMMIT DELETE ROWS`,
    );
    this.staged.add(client);
  }

  private async copyToStaging(client: PoolClient, samples: readonly StorableSample[]): Promise<void> {
    const copy = new BinaryCopyWriter(samples.length * 52 + 64);
    for (const s of samples) copy.row(5).text(s.tagId).int64(s.timeMs).float64(s.value).int32(toSignedInt32(s.quality)).int16(POLICY_CODE[s.policy]);
    await copyIn(client, 'COPY ingestion_staging (tag_id, time_ms, value, quality, policy) FROM STDIN (FORMAT binary)', copy.finish());
  }
}

/** Orders samples by (tag id, time), the samples table's key (the index order under the "C" collation). */
function byKey(a: Sample, b: Sample): number {
  return a.tagId === b.tagId ? a.timeMs - b.timeMs : a.tagId < b.tagId ? -1 : 1;
}

/** TimescaleDB: samples before this (by the database clock, now) queue their buckets. */
async function lateBound(client: PoolClient): Promise<Date> {
  const { rows } = await client.query<{ bound: Date }>(`SELECT clock_timestamp() - INTERVAL '${TIMESCALE_LATE_AFTER_S} seconds' AS bound`);
  return rows[0].bound;
}

/** Queues the 1-minute buckets of samples before the watermark; returns how many buckets. */
async function queueLateBuckets(client: PoolClient, samples: readonly Sample[], watermarkMs: number): Promise<number> {
  const keys = new Map<string, [string, number]>();
  for (const s of samples) {
    if (s.timeMs >= watermarkMs) continue;
    const bucket = Math.floor(s.timeMs / MINUTE_MS) * MINUTE_MS;
    keys.set(`${s.tagId}\u0000${bucket}`, [s.tagId, bucket]);
  }
  if (keys.size === 0) return 0;
  const sorted = [...keys.values()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  await client.query(
    `INSERT INTO ingestion_rollup_dirty (tag_id, bucket) SELECT * FROM unnest($1::text[], $2::timestamptz[])`,
    [sorted.map((k) => k[0]), sorted.map((k) => new Date(k[1]))],
  );
  return sorted.length;
}

const EPOCH_MS = `(TIMESTAMPTZ '1970-01-01 00:00:00+00' + time_ms * INTERVAL '1 millisecond')`;

/** Inserts staged rows per policy; `ch` holds the rows that changed (inserted or replaced). */
const INSERT_CTES = `
  rep AS (
    INSERT INTO ingestion_samples AS s (tag_id, time, seq, value, quality)
    SELECT tag_id, ${EPOCH_MS}, 0, value, quality FROM ingestion_staging WHERE policy = 0 ORDER BY tag_id, time_ms
    ON CONFLICT (tag_id, time, seq) DO UPDATE SET value = excluded.value, quality = excluded.quality, revision = s.revision + 1
      WHERE (s.value, s.quality) IS DISTINCT FROM (excluded.value, excluded.quality)
    RETURNING tag_id, time
  ),
  oth AS (
    INSERT INTO ingestion_samples (tag_id, time, seq, value, quality)
    SELECT tag_id, ${EPOCH_MS}, CASE WHEN policy = 2 THEN nextval('ingestion_sample_seq') ELSE 0 END, value, quality
    FROM ingestion_staging WHERE policy <> 0 ORDER BY tag_id, time_ms
    ON CONFLICT (tag_id, time, seq) DO NOTHING
    RETURNING tag_id, time
  ),
  ch AS (SELECT * FROM rep UNION ALL SELECT * FROM oth)`;

const NATIVE_MERGE = `WITH ${INSERT_CTES},
  queued AS (
    INSERT INTO ingestion_rollup_dirty (tag_id, bucket)
    SELECT DISTINCT tag_id, date_bin(INTERVAL '1 minute', time, ${ORIGIN}) FROM ch WHERE time < $1
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM ch WHERE time < $1)::int AS dirty`;

const TIMESCALE_MERGE = `WITH ${INSERT_CTES},
  late AS (SELECT * FROM ch WHERE time < clock_timestamp() - INTERVAL '${TIMESCALE_LATE_AFTER_S} seconds'),
  queued AS (
    INSERT INTO ingestion_rollup_dirty (tag_id, bucket)
    SELECT DISTINCT tag_id, date_bin(INTERVAL '1 minute', time, ${ORIGIN}) FROM late
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM queued)::int AS dirty`;
