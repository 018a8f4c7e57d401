import type { PoolClient } from 'pg';
import type { AppendResult, ExpectedVersion } from './event-store.port';
import { EVENT_STORE_ERROR_CODES, EventStoreError, WrongExpectedVersionError } from './event-store.errors';
import { EVENTS_CHANNEL } from './event-store.schema';
import type { PreparedEvent } from './event-store.validation';

const LOCK_STREAM = {
  name: 'reflux_lock_stream',
  // Creates the stream row if missing and row-locks it either way; returns the version before this append.
  text: `INSERT INTO reflux_streams AS s (stream_id, version, last_transaction_id) VALUES ($1, -1, '0')
         ON CONFLICT (stream_id) DO UPDATE SET stream_id = s.stream_id
         RETURNING s.version::float8, s.last_transaction_id < pg_current_xact_id() OR s.last_transaction_id = pg_current_xact_id() OR s.version < 0`,
};

const FIND_EXISTING = {
  name: 'reflux_find_existing_events',
  text: `SELECT e.event_id, e.stream_id, e.stream_version::float8, e.global_position::float8,
                (e.type = i.type AND e.schema_version = i.schema_version AND e.data = i.data) AS same
         FROM unnest($1::text[], $2::text[], $3::int[], $4::jsonb[]) AS i(event_id, type, schema_version, data)
         JOIN reflux_events e ON e.event_id = i.event_id`,
};

const INSERT_EVENTS_TEXT = `WITH inserted AS (
           INSERT INTO reflux_events (event_id, stream_id, stream_version, type, schema_version, data, metadata)
           SELECT i.event_id, $1, $2::bigint + i.ord, i.type, i.schema_version, i.data, i.metadata
           FROM unnest($3::text[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[]) WITH ORDINALITY
                AS i(event_id, type, schema_version, data, metadata, ord)
           ORDER BY i.ord
           ON CONFLICT (event_id) DO NOTHING
           RETURNING global_position
         ), updated AS (
           UPDATE reflux_streams SET version = $2::bigint + $8::bigint, last_transaction_id = pg_current_xact_id(), updated_at = now()
           WHERE stream_id = $1
         )
         SELECT count(*)::int, max(global_position)::float8 NOTIFY_COLUMN FROM inserted`;

/** With NOTIFY inside the transaction: for appends in a caller's transaction the store cannot see commit. */
const INSERT_EVENTS_NOTIFY = { name: 'reflux_insert_events_notify', text: INSERT_EVENTS_TEXT.replace('NOTIFY_COLUMN', `, pg_notify('${EVENTS_CHANNEL}', '')`) };
/** Without: the store notifies after COMMIT (see EventNotifier.notifyCommitted). */
const INSERT_EVENTS_QUIET = { name: 'reflux_insert_events', text: INSERT_EVENTS_TEXT.replace('NOTIFY_COLUMN', '') };

/**
 * One append inside a transaction the caller opened: lock the stream row, classify retries by event
 * id, check the expected version, insert all events with one statement, bump the stream version and
 * notify subscribers (delivered at commit). On any error the transaction must be rolled back.
 *
 * `retry`: this batch may already be stored by an earlier try whose outcome is unknown (the
 * connection dropped during COMMIT), so generated ids are classified too, not only client-supplied
 * ones: the earlier commit is then reported as a replay instead of failing the expected version.
 *
 * `notifyInTransaction`: pg_notify inside the transaction. PostgreSQL then holds a cluster-wide lock
 * from before the commit record until after it is flushed, which serialises every committing
 * appender (no group commit); the store therefore notifies after COMMIT when it runs the commit.
 */
export async function appendInTransaction(
  client: PoolClient,
  streamId: string,
  events: readonly PreparedEvent[],
  expectedVersion: ExpectedVersion,
  retry = false,
  notifyInTransaction = true,
): Promise<AppendResult> {
  const lock = await client.query<[number, boolean]>({ ...LOCK_STREAM, values: [streamId], rowMode: 'array' });
  const [currentVersion, orderOk] = lock.rows[0];
  if (!orderOk) {
    // This transaction got its id before the stream's last (committed) writer did. Committing would
    // put this append before that one in (transaction_id, position) order, i.e. deliver the stream
    // to subscriptions out of version order.
    throw new EventStoreError(
      EVENT_STORE_ERROR_CODES.TRANSACTION_ORDER_CONFLICT,
      `stream ${streamId}: this transaction started before the stream's last writer; retry in a new transaction`,
      { retriable: true, details: { streamId } },
    );
  }

  const supplied = retry ? events : events.filter((e) => e.clientSuppliedId);
  if (supplied.length > 0) {
    const replay = await classifyExisting(client, streamId, events, supplied);
    if (replay) return replay;
  }

  checkExpectedVersion(streamId, expectedVersion, currentVersion);

  const inserted = await client.query<[number, number]>({
    ...(notifyInTransaction ? INSERT_EVENTS_NOTIFY : INSERT_EVENTS_QUIET),
    values: [
      streamId,
      currentVersion,
      events.map((e) => e.eventId),
      events.map((e) => e.type),
      events.map((e) => e.schemaVersion),
      events.map((e) => e.dataJson),
      events.map((e) => e.metadataJson),
      events.length,
    ],
    rowMode: 'array',
  });
  const [count, lastPosition] = inserted.rows[0];
  if (count !== events.length) {
    throw new EventStoreError(
      EVENT_STORE_ERROR_CODES.CONCURRENT_DUPLICATE,
      `stream ${streamId}: another transaction stored ${events.length - count} of these event ids meanwhile; retry to classify`,
      { retriable: true, details: { streamId } },
    );
  }
  return { nextExpectedVersion: currentVersion + events.length, lastGlobalPosition: lastPosition, idempotentReplay: false };
}

async function classifyExisting(
  client: PoolClient,
  streamId: string,
  events: readonly PreparedEvent[],
  supplied: readonly PreparedEvent[],
): Promise<AppendResult | undefined> {
  const existing = await client.query<[string, string, number, number, boolean]>({
    ...FIND_EXISTING,
    values: [supplied.map((e) => e.eventId), supplied.map((e) => e.type), supplied.map((e) => e.schemaVersion), supplied.map((e) => e.dataJson)],
    rowMode: 'array',
  });
  if (existing.rowCount === 0) return undefined;
  const conflicts = existing.rows.filter(([, stream, , , same]) => stream !== streamId || !same);
  if (conflicts.length > 0) {
    throw new EventStoreError(
      EVENT_STORE_ERROR_CODES.EVENT_ID_CONFLICT,
      `event id ${conflicts[0][0]} is already stored in stream ${conflicts[0][1]} with different content`,
      { details: { streamId, conflicts: conflicts.map(([eventId, stream]) => ({ eventId, storedInStream: stream })) } },
    );
  }
  if (existing.rows.length !== events.length) {
    const stored = new Set(existing.rows.map((r) => r[0]));
    throw new EventStoreError(
      EVENT_STORE_ERROR_CODES.PARTIAL_DUPLICATE_BATCH,
      `stream ${streamId}: ${existing.rows.length} of ${events.length} events are already stored; a retry must resend exactly the original batch`,
      { details: { streamId, storedEventIds: [...stored], newEventIds: events.filter((e) => !stored.has(e.eventId)).map((e) => e.eventId) } },
    );
  }
  // The whole batch is stored: a retried append. Report what the original append returned.
  return {
    nextExpectedVersion: Math.max(...existing.rows.map((r) => r[2])),
    lastGlobalPosition: Math.max(...existing.rows.map((r) => r[3])),
    idempotentReplay: true,
  };
}

function checkExpectedVersion(streamId: string, expected: ExpectedVersion, actual: number): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && actual === -1) ||
    (expected === 'stream_exists' && actual >= 0) ||
    (typeof expected === 'number' && expected === actual);
  if (!ok) throw new WrongExpectedVersionError(streamId, expected, actual);
}
