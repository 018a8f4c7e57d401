import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Logger } from 'pino';
import type { StorableSample } from '../../domain/duplicate-resolution';
import { toSignedInt32 } from '../../domain/quality';
import type { BatchAck } from '../../domain/sample';
import type { SampleWriteStore } from '../../application/sample-store.port';
import { copyText } from './copy-encoding';
import type { StorageMode } from './ingestion.schema';
import type { PartitionManager } from './partition-manager';
import type { RollupMaintainer } from './rollup-maintainer';
import { MERGE_ROLLUP, ORIGIN, ROLLUP_COLUMNS, ROLLUP_LOCK, rawStatsSelect } from './sql-fragments';

const POLICY_CODE = { replace: 0, 'keep-first': 1, 'keep-both': 2 } as const;

const EPOCH_MS = `(TIMESTAMPTZ '1970-01-01 00:00:00+00' + time_ms * INTERVAL '1 millisecond')`;

/**
 * Writes batches in one transaction each: the batch id with its acknowledgement (idempotency across
 * restarts), the samples (COPY into a session-local staging table, then one INSERT … ON CONFLICT per
 * duplicate policy, sorted by key so concurrent writers lock rows in the same order), and — on native
 * PostgreSQL — the incremental merge of the new samples into the 1-minute and 1-hour rollups.
 */
export class PostgresSampleStore implements SampleWriteStore {
  private readonly staged = new WeakSet<PoolClient>();

  constructor(
    private readonly pool: Pool,
    private readonly mode: StorageMode,
    private readonly partitions: PartitionManager | undefined,
    private readonly rollups: RollupMaintainer | undefined,
    private readonly logger: Logger,
  ) {}

  async commitBatch(clientBatchId: string, samples: readonly StorableSample[], ack: BatchAck): Promise<BatchAck> {
    if (this.partitions && samples.length > 0) await this.partitions.ensureFor(samples.map((s) => s.timeMs));
    const client = await this.pool.connect();
    let replaced = 0;
    try {
      await this.ensureStaging(client);
      await client.query('BEGIN');
      if (this.mode === 'native') await client.query(`SELECT pg_advisory_xact_lock_shared(${ROLLUP_LOCK})`);
      const claimed = await client.query(
        `INSERT INTO ingestion_batches (client_batch_id, ack) VALUES ($1, $2) ON CONFLICT (client_batch_id) DO NOTHING`,
        [clientBatchId, JSON.stringify(ack)],
      );
      if (claimed.rowCount === 0) {
        await client.query('ROLLBACK');
        return await this.storedAck(client, clientBatchId);
      }
      if (samples.length > 0) {
        await this.copyToStaging(client, samples);
        const { rows } = await client.query<{ replaced: number }>(this.mode === 'native' ? NATIVE_WRITE : TIMESCALE_WRITE);
        replaced = rows[0]?.replaced ?? 0;
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    if (replaced > 0 && this.rollups) {
      // Runs before the ack, so a reader who saw the ack sees exact rollups; a crash before it
      // leaves the buckets queued, and the maintenance loop recomputes them.
      await this.rollups.recomputeDirty().catch((error: unknown) => this.logger.warn({ err: error }, 'rollup recomputation deferred'));
    }
    return ack;
  }

  /** Deletes batch ids committed longer ago than the retention; returns how many. */
  async expireBatchIds(olderThanS: number): Promise<number> {
    const r = await this.pool.query(`DELETE FROM ingestion_batches WHERE committed_at < now() - $1 * INTERVAL '1 second'`, [olderThanS]);
    return r.rowCount ?? 0;
  }

  private async storedAck(client: PoolClient, clientBatchId: string): Promise<BatchAck> {
    const { rows } = await client.query<{ ack: BatchAck }>(`SELECT ack FROM ingestion_batches WHERE client_batch_id = $1`, [clientBatchId]);
    if (!rows[0]) throw new Error(`batch ${clientBatchId} was claimed by another writer that then rolled back; retry`);
    return { ...rows[0].ack, duplicate: true };
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
    const lines: string[] = new Array(samples.length);
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i];
      lines[i] = `${copyText(s.tagId)}\t${s.timeMs}\t${s.value}\t${toSignedInt32(s.quality)}\t${POLICY_CODE[s.policy]}\n`;
    }
    const stream = client.query(copyFrom('COPY ingestion_staging (tag_id, time_ms, value, quality, policy) FROM STDIN'));
    await new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
      stream.end(lines.join(''));
    });
  }
}

/** Inserts staged rows per policy; returns the changed rows with `inserted` false for replacements. */
const INSERT_CTES = `
  rep AS (
    INSERT INTO ingestion_samples AS s (tag_id, time, seq, value, quality)
    SELECT tag_id, ${EPOCH_MS}, 0, value, quality FROM ingestion_staging WHERE policy = 0 ORDER BY tag_id, time_ms
    ON CONFLICT (tag_id, time, seq) DO UPDATE SET value = excluded.value, quality = excluded.quality, revision = s.revision + 1
      WHERE (s.value, s.quality) IS DISTINCT FROM (excluded.value, excluded.quality)
    RETURNING tag_id, time, seq, value, quality, (revision = 0) AS inserted
  ),
  oth AS (
    INSERT INTO ingestion_samples (tag_id, time, seq, value, quality)
    SELECT tag_id, ${EPOCH_MS}, CASE WHEN policy = 2 THEN nextval('ingestion_sample_seq') ELSE 0 END, value, quality
    FROM ingestion_staging WHERE policy <> 0 ORDER BY tag_id, time_ms
    ON CONFLICT (tag_id, time, seq) DO NOTHING
    RETURNING tag_id, time, seq, value, quality, true AS inserted
  ),
  ch AS (SELECT * FROM rep UNION ALL SELECT * FROM oth)`;

const mergeInto = (table: string, width: string) => `
  INSERT INTO ${table} AS t (${ROLLUP_COLUMNS})
  SELECT r.tag_id, date_bin(INTERVAL '${width}', r.time, ${ORIGIN}) AS bucket, ${rawStatsSelect('r')}
  FROM ch r WHERE r.inserted
  GROUP BY r.tag_id, bucket ORDER BY r.tag_id, bucket
  ${MERGE_ROLLUP}`;

const NATIVE_WRITE = `WITH ${INSERT_CTES},
  m1 AS (${mergeInto('ingestion_rollup_1m', '1 minute')}),
  h1 AS (${mergeInto('ingestion_rollup_1h', '1 hour')}),
  dirty AS (
    INSERT INTO ingestion_rollup_dirty (tag_id, bucket)
    SELECT DISTINCT tag_id, date_bin(INTERVAL '1 minute', time, ${ORIGIN}) FROM ch WHERE NOT inserted
    ON CONFLICT DO NOTHING
  )
  SELECT (count(*) FILTER (WHERE NOT inserted))::int AS replaced FROM ch`;

const TIMESCALE_WRITE = `WITH ${INSERT_CTES}
  SELECT (count(*) FILTER (WHERE NOT inserted))::int AS replaced FROM ch`;
