// Test support for the PostgreSQL adapter's integration tests (not exported from the library).
import { PostgresEventStore } from '@reflux/event-store';
import { createTestDatabase } from '@reflux/testing';
import { Pool } from 'pg';
import type { DeadLetterInfo } from '../dead-letter';
import { migrateMessaging } from '../idempotency/processed-events.schema';
import { testLogger } from '../kafka/kafka-test.support';
import { deadLetterStreamId, type DeadLetterData } from './postgres-dead-letter';

export interface TestStore {
  readonly pool: Pool;
  readonly store: PostgresEventStore;
  close(): Promise<void>;
}

/** A fresh database with the event store and messaging schemas. */
export async function startTestStore(prefix: string): Promise<TestStore> {
  const db = await createTestDatabase(prefix);
  const pool = new Pool({ connectionString: db.url, max: 10 });
  const store = new PostgresEventStore({ pool, logger: testLogger, pollIntervalMs: 200 });
  await store.migrate();
  await migrateMessaging(pool);
  return {
    pool,
    store,
    async close() {
      await store.close();
      await pool.end();
      await db.drop();
    },
  };
}

/** Dead letters of a group (stream `$dlq-<group>`), waiting until at least `atLeast` exist. */
export async function readPostgresDeadLetters(store: PostgresEventStore, group: string, atLeast: number, timeoutMs = 20_000): Promise<DeadLetterInfo[]> {
  const deadline = Date.now() + (atLeast === 0 ? 500 : timeoutMs);
  for (;;) {
    const events = await store.readStream(deadLetterStreamId(group));
    const letters = events.map((e) => (e.data as DeadLetterData).info);
    if (letters.length >= Math.max(atLeast, 1) || Date.now() > deadline) return letters;
    await new Promise((r) => setTimeout(r, 50));
  }
}
