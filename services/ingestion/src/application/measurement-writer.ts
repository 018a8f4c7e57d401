import type { Logger } from 'pino';
import { ExceptionFilter } from '../domain/exception-filter';
import { SwingingDoorFilter } from '../domain/swinging-door';
import { StorageUnavailableError, IngestionError, WriterClosedError } from '../domain/ingestion.errors';
import type { BatchAck, Sample, SampleBatch } from '../domain/sample';
import { assertBatchEnvelope, validateSamples } from '../domain/sample-validation';
import { batchPayloadHash } from '../domain/batch-identity';
import type { DuplicatePolicy, TagDefinition } from '../domain/tag-definition';
import { InFlightLimiter } from './in-flight-limiter';
import { ingestedSummaries } from './ingested-summary';
import type { LatestSampleSource } from './latest-sample-source.port';
import type { LatestValueCache } from './latest-value-cache.port';
import type { SampleWriteStore } from './sample-store.port';
import type { TagCatalog } from './tag-catalog.port';

export interface MeasurementWriterConfig {
  /** How far ahead of the server clock a timestamp may lie, s. */
  readonly maxFutureSkewS: number;
  /** How far back samples may be written (out of order, backfill), s. */
  readonly backfillHorizonS: number;
  /** Policy for a tag+timestamp that already holds a sample, unless the tag overrides it. */
  readonly defaultDuplicatePolicy: DuplicatePolicy;
  readonly maxBatchSamples: number;
  /** Samples accepted but not yet committed, across all producers; beyond it producers wait. */
  readonly maxInFlightSamples: number;
}

export const DEFAULT_WRITER_CONFIG: MeasurementWriterConfig = {
  maxFutureSkewS: 300,
  backfillHorizonS: 30 * 86_400,
  defaultDuplicatePolicy: 'replace',
  maxBatchSamples: 50_000,
  maxInFlightSamples: 200_000,
};

/** The outcome of one batch of a stream: its acknowledgement or the error that refused it. */
export interface StreamResult {
  readonly clientBatchId: string;
  readonly ack?: BatchAck;
  readonly error?: IngestionError;
}

export interface MeasurementWriterDeps {
  readonly catalog: TagCatalog;
  readonly store: SampleWriteStore;
  readonly cache: LatestValueCache;
  readonly logger: Logger;
  readonly clock?: () => number;
  /**
   * Seeds the exception filter of tags without state in this process (after a start, or after a
   * failed commit) with their latest stored sample, loaded in bulk per batch for those tags only.
   * Without it, the first sample of such a tag always passes.
   */
  readonly latest?: LatestSampleSource;
  /** Called after each commit (not for replays); MeasurementsIngested goes through the store's outbox instead. */
  readonly onCommitted?: (ack: BatchAck, stored: readonly Sample[]) => Promise<void> | void;
}

/**
 * Write side of ingestion: validates each batch against the tag catalog, applies exception
 * filtering and duplicate policies, commits it idempotently, then updates the latest-value cache.
 *
 * Back-pressure: `write` first waits until the batch fits the in-flight budget, so when the database
 * slows, callers' promises stay pending and a streaming caller stops reading (see `writeStream`)
 * instead of this process buffering without bound.
 */
export class MeasurementWriter {
  private readonly limiter: InFlightLimiter;
  private readonly filter = new ExceptionFilter();
  private readonly compression = new SwingingDoorFilter();
  private readonly clock: () => number;
  private closed = false;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: MeasurementWriterDeps,
    private readonly config: MeasurementWriterConfig = DEFAULT_WRITER_CONFIG,
  ) {
    this.limiter = new InFlightLimiter(config.maxInFlightSamples);
    this.clock = deps.clock ?? Date.now;
  }

  /** Samples admitted and not yet committed. */
  get inFlightSamples(): number {
    return this.limiter.inFlight;
  }

  /** Writes one batch; resolves with its acknowledgement once committed (or once found committed before). */
  async write(batch: SampleBatch): Promise<BatchAck> {
    return (await this.admit(batch)).committed;
  }

  /**
   * Admits a batch into the in-flight budget (waiting while it is full) and starts its commit.
   * Resolves when admitted; `committed` resolves with the acknowledgement.
   */
  async admit(batch: SampleBatch): Promise<{ committed: Promise<BatchAck> }> {
    if (this.closed) throw new WriterClosedError();
    assertBatchEnvelope(batch, this.config.maxBatchSamples);
    const n = batch.samples.length;
    await this.limiter.acquire(n);
    const committed = this.commit(batch).finally(() => this.limiter.release(n));
    this.pending.add(committed);
    void committed.catch(() => undefined).finally(() => this.pending.delete(committed));
    return { committed };
  }

  /**
   * Writes a stream of batches, pipelined: the next batch is pulled from `batches` only once the
   * previous one is admitted into the in-flight budget, so a slow database stops the reading of the
   * stream. Acknowledgements are yielded in batch order as soon as each commits; an error (bad batch,
   * failed commit) is yielded in place of that batch's acknowledgement.
   */
  async *writeStream(batches: AsyncIterable<SampleBatch>): AsyncGenerator<StreamResult> {
    const results: Promise<StreamResult>[] = [];
    let inputDone = false;
    let inputError: unknown;
    let wake: (() => void) | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    void (async () => {
      try {
        for await (const batch of batches) {
          const clientBatchId = String(batch?.clientBatchId ?? '');
          let result: Promise<StreamResult>;
          try {
            const { committed } = await this.admit(batch);
            result = committed.then(
              (ack) => ({ clientBatchId, ack }),
              (error: unknown) => ({ clientBatchId, error: asIngestionError(error) }),
            );
          } catch (error) {
            result = Promise.resolve({ clientBatchId, error: asIngestionError(error) });
          }
          results.push(result);
          notify();
        }
      } catch (error) {
        inputError = error;
      } finally {
        inputDone = true;
        notify();
      }
    })();
    for (;;) {
      const head = results.shift();
      if (head) {
        yield await head;
        continue;
      }
      if (inputDone) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    if (inputError) throw inputError;
  }

  /** Stops admitting batches and waits for those in flight. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.pending]);
  }

  private async commit(batch: SampleBatch): Promise<BatchAck> {
    const tagIds = [...new Set(batch.samples.map((s) => s.tagId))];
    const tags = await this.deps.catalog.getTags(tagIds);
    const { valid, validTags, rejected } = validateSamples(batch.samples, tags, {
      nowMs: this.clock(),
      maxFutureSkewMs: this.config.maxFutureSkewS * 1000,
      backfillHorizonMs: this.config.backfillHorizonS * 1000,
    });
    // Exception filtering, then swinging-door compression, only when a tag of this batch has a
    // deadband or compression settings (they sort the batch).
    let withDeadband = false;
    let withCompression = false;
    for (const t of tags.values()) {
      if (t.deadband !== undefined) withDeadband = true;
      if (t.compression !== undefined) withCompression = true;
    }
    if (withDeadband || withCompression) await this.seedColdTags(tags);
    const tagOf = (id: string): TagDefinition | undefined => tags.get(id);
    const exceptions = withDeadband ? this.filter.apply(valid, tagOf) : valid;
    const toStore = withCompression ? this.compression.apply(exceptions, tagOf) : exceptions;
    // Samples of this batch held back; `toStore` may also carry a sample an earlier batch held.
    const filteredCount = withDeadband || withCompression ? valid.length - countOwn(toStore, valid) : 0;
    const defaultPolicy = this.config.defaultDuplicatePolicy;
    const policyOf = (tagId: string): DuplicatePolicy => tags.get(tagId)?.duplicatePolicy ?? defaultPolicy;
    const ack: BatchAck = {
      clientBatchId: batch.clientBatchId,
      acceptedCount: valid.length,
      filteredCount,
      rejected,
      duplicate: false,
    };
    let result: BatchAck;
    try {
      const identity = { writer: batch.writer ?? '', clientBatchId: batch.clientBatchId, payloadHash: batchPayloadHash(batch.samples) };
      const summaries = ingestedSummaries(batch.clientBatchId, valid, validTags, rejected, tags, identity.writer);
      result = await this.deps.store.commitBatch(identity, toStore, policyOf, ack, summaries);
    } catch (error) {
      for (const id of tagIds) {
        this.filter.forget(id);
        this.compression.forget(id);
      }
      if (error instanceof IngestionError) throw error;
      this.deps.logger.warn({ err: error, clientBatchId: batch.clientBatchId }, 'batch commit failed');
      throw new StorageUnavailableError(error);
    }
    if (!result.duplicate) {
      await this.afterCommit(result, toStore);
    }
    return result;
  }

  /** One bulk lookup of the latest stored samples of the batch's deadband tags the filter has no state for. */
  private async seedColdTags(tags: ReadonlyMap<string, TagDefinition>): Promise<void> {
    const latest = this.deps.latest;
    if (!latest) return;
    const coldExceptions = this.filter.coldTags(tags.values());
    const coldDoors = this.compression.coldTags(tags.values());
    const cold = [...new Set([...coldExceptions, ...coldDoors])];
    if (cold.length === 0) return;
    try {
      const stored = [...(await latest.latest(cold)).values()];
      this.filter.seed(stored.filter((s) => coldExceptions.includes(s.tagId)));
      this.compression.seed(stored.filter((s) => coldDoors.includes(s.tagId)));
    } catch (error) {
      // Unseeded, the first sample of each of these tags passes: more points stored, none lost.
      this.deps.logger.warn({ err: error, tags: cold.length }, 'could not load the latest samples to seed the exception filter');
    }
  }

  private async afterCommit(ack: BatchAck, stored: readonly Sample[]): Promise<void> {
    try {
      await this.deps.cache.offer(newestPerTag(stored));
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'latest-value cache update failed; readers fall back to the database');
    }
    if (this.deps.onCommitted) {
      try {
        await this.deps.onCommitted(ack, stored);
      } catch (error) {
        this.deps.logger.error({ err: error, clientBatchId: ack.clientBatchId }, 'post-commit hook failed');
      }
    }
  }
}

/** How many of `passed` are samples of `batch` (the filter returns the batch's own objects). */
function countOwn(passed: readonly Sample[], batch: readonly Sample[]): number {
  const own = new Set(batch);
  let n = 0;
  for (const s of passed) if (own.has(s)) n++;
  return n;
}

function newestPerTag(samples: readonly Sample[]): Sample[] {
  const newest = new Map<string, Sample>();
  for (const s of samples) {
    const cur = newest.get(s.tagId);
    if (!cur || s.timeMs >= cur.timeMs) newest.set(s.tagId, s);
  }
  return [...newest.values()].map((s) => ({ tagId: s.tagId, timeMs: s.timeMs, value: s.value, quality: s.quality }));
}

function asIngestionError(error: unknown): IngestionError {
  return error instanceof IngestionError ? error : new StorageUnavailableError(error);
}

