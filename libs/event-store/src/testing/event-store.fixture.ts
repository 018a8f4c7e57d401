// Test support (not exported from the library): a fresh database with the event-store schema.
import { Pool } from 'pg';
import { createTestDatabase } from '@reflux/testing';
import { PostgresEventStore } from '../postgres-event-store';

export interface EventStoreFixture {
  readonly pool: Pool;
  readonly store: PostgresEventStore;
  /** Connection string of the fixture's database. */
  readonly url: string;
}

/**
 * Registers beforeAll/afterAll hooks in the calling describe block: a new database, a pool and a
 * migrated store; closed and dropped afterwards. Read the fields inside hooks and tests.
 */
export function useEventStoreDatabase(prefix: string, poolMax = 12): EventStoreFixture {
  const fixture = {} as { pool: Pool; store: PostgresEventStore; url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    const db = await createTestDatabase(prefix);
    fixture.drop = db.drop;
    fixture.url = db.url;
    fixture.pool = new Pool({ connectionString: db.url, max: poolMax });
    // An idle connection that the server closes is replaced, as in production (see createPgPool);
    // without a listener the pool's 'error' event would fail whichever test runs at that moment.
    fixture.pool.on('error', () => undefined);
    fixture.store = new PostgresEventStore({ pool: fixture.pool });
    await fixture.store.migrate();
  });
  afterAll(async () => {
    await fixture.store?.close();
    await fixture.pool?.end();
    await fixture.drop?.();
  });
  return fixture;
}
