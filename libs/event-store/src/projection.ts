import type { PoolClient } from 'pg';
import type { RecordedEvent, Subscription } from './event-store.port';
import { InvalidArgumentError, type FieldIssue } from './event-store.errors';
import type { PostgresEventStore } from './postgres-event-store';
import { DEFAULT_MAX_BATCH_BYTES, safeBatchReader, START_CHECKPOINT, type Checkpoint } from './event-store.safe-read';
import { lockSubscription, writeCheckpoint } from './event-store.subscription';

export type ProjectionEventHandler = (event: RecordedEvent, transaction: PoolClient) => Promise<void>;

export interface ProjectionDefinition {
  /** Durable name; the checkpoint is stored as subscription `projection:<name>`. */
  readonly name: string;
  /** Only streams whose id starts with this prefix (`alarm-`). */
  readonly category?: string;
  /** One handler per event type; events of other types are skipped (the checkpoint moves past them). */
  readonly handlers: Readonly<Record<string, ProjectionEventHandler>>;
  /** Creates the read-model tables if missing (`CREATE TABLE IF NOT EXISTS`). Run before the first batch. */
  readonly init?: (transaction: PoolClient) => Promise<void>;
  /** Empties the read model (DELETE or TRUNCATE) for a rebuild. */
  readonly reset: (transaction: PoolClient) => Promise<void>;
  readonly batchSize?: number;
  /** Upper bound of a batch's stored event size in bytes (at least one event per batch). Default 16 MiB. */
  readonly maxBatchBytes?: number;
}

export interface Projection extends ProjectionDefinition {
  readonly subscriptionId: string;
  readonly eventTypes: readonly string[];
}

/** Declares a read model built from events; validated here so that mistakes fail at start-up. */
export function defineProjection(definition: ProjectionDefinition): Projection {
  const issues: FieldIssue[] = [];
  if (typeof definition.name !== 'string' || !/^[A-Za-z0-9_.:-]{1,200}$/.test(definition.name)) {
    issues.push({ path: 'name', message: 'must be 1-200 characters of letters, digits, _ . : -' });
  }
  const eventTypes = Object.keys(definition.handlers ?? {});
  if (eventTypes.length === 0) issues.push({ path: 'handlers', message: 'must handle at least one event type' });
  for (const t of eventTypes) if (typeof definition.handlers[t] !== 'function') issues.push({ path: `handlers.${t}`, message: 'must be a function' });
  if (typeof definition.reset !== 'function') issues.push({ path: 'reset', message: 'must be a function' });
  if (definition.category !== undefined && (typeof definition.category !== 'string' || definition.category.length === 0)) {
    issues.push({ path: 'category', message: 'must be a non-empty stream-id prefix' });
  }
  if (issues.length > 0) throw new InvalidArgumentError(issues);
  return { ...definition, eventTypes, subscriptionId: `projection:${definition.name}` };
}

async function applyEvents(projection: Projection, events: readonly RecordedEvent[], tx: PoolClient): Promise<void> {
  for (const event of events) {
    const handler = projection.handlers[event.type];
    // Upcasting may rename a type to one this projection does not handle.
    if (handler) await handler(event, tx);
  }
}

/**
 * Runs `init` in a transaction, then subscribes: each batch of events is applied and checkpointed
 * in one transaction, so the read model is exactly as far as its checkpoint says.
 */
export async function startProjection(store: PostgresEventStore, projection: Projection): Promise<Subscription> {
  if (projection.init) await store.withTransaction((tx) => projection.init!(tx));
  return store.subscribe(
    { subscriptionId: projection.subscriptionId, category: projection.category, eventTypes: projection.eventTypes, batchSize: projection.batchSize, maxBatchBytes: projection.maxBatchBytes },
    (events, tx) => applyEvents(projection, events, tx),
  );
}

export interface RebuildResult {
  readonly eventsApplied: number;
  readonly checkpoint: Checkpoint;
}

/**
 * Rebuilds a read model from scratch, atomically: one transaction takes the projection's
 * subscription lock (a running live projection, in this or another process, pauses after its
 * current batch), calls `init` (so that `reset` finds its tables on a fresh database), `reset`, replays every event committed so far and stores the new
 * checkpoint. Readers see the old read model until the commit (with a DELETE-based `reset`; a
 * TRUNCATE blocks them instead); a failure rolls everything back and leaves the old model intact.
 * Events committed during the rebuild are left to the live projection, which continues from the
 * new checkpoint.
 *
 * Trade-off: the transaction is as long as the replay, and PostgreSQL's snapshot horizon cannot
 * pass it meanwhile, so every other subscription on the cluster waits for it (they delay, they do
 * not skip). Rebuild large projections in a quiet period.
 */
export async function rebuildProjection(store: PostgresEventStore, projection: Projection, options: { batchSize?: number; maxBatchBytes?: number } = {}): Promise<RebuildResult> {
  const readBatch = safeBatchReader({ category: projection.category, eventTypes: projection.eventTypes }, store.upcasters);
  const batchSize = options.batchSize ?? 5000;
  const maxBatchBytes = options.maxBatchBytes ?? projection.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  return store.withTransaction(async (tx) => {
    await lockSubscription(tx, projection.subscriptionId);
    let checkpoint = START_CHECKPOINT;
    let eventsApplied = 0;
    // Read the first batch before writing anything so that this transaction's own id does not hold
    // the horizon back for it; later batches see at least everything committed before that.
    let batch = await readBatch(tx, checkpoint, batchSize, maxBatchBytes);
    // init first: on a fresh database the read-model tables that reset empties do not exist yet.
    if (projection.init) await projection.init(tx);
    await projection.reset(tx);
    for (;;) {
      await applyEvents(projection, batch.events, tx);
      eventsApplied += batch.events.length;
      checkpoint = batch.next;
      if (!batch.full) break;
      batch = await readBatch(tx, checkpoint, batchSize, maxBatchBytes);
    }
    await writeCheckpoint(tx, projection.subscriptionId, checkpoint);
    return { eventsApplied, checkpoint };
  });
}
