import { Pool } from 'pg';
import type { RecordedEvent } from './event-store.port';
import { PostgresEventStore } from './postgres-event-store';
import { useEventStoreDatabase } from './testing/event-store.fixture';

describe('waking subscribers of another store (another process) after commit', () => {
  const env = useEventStoreDatabase('event_store_notify');
  let subscriberPool: Pool;
  let subscriberStore: PostgresEventStore;
  const seen: RecordedEvent[] = [];

  beforeAll(async () => {
    subscriberPool = new Pool({ connectionString: env.url, max: 2 });
    subscriberPool.on('error', () => undefined);
    // No fallback poll within the test: only a notification can wake the subscription.
    subscriberStore = new PostgresEventStore({ pool: subscriberPool, pollIntervalMs: 600_000 });
    const sub = subscriberStore.subscribe({ subscriptionId: 'remote', category: 'pump-' }, async (events) => void seen.push(...events));
    await sub.caughtUp;
  });
  afterAll(async () => {
    await subscriberStore.close();
    await subscriberPool.end();
  });

  async function arrivesWithin(ms: number, eventId: string, append: () => Promise<unknown>): Promise<void> {
    await append();
    const deadline = Date.now() + ms;
    while (!seen.some((e) => e.eventId === eventId)) {
      if (Date.now() > deadline) throw new Error(`event ${eventId} not delivered within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  it('delivers a standalone append promptly (NOTIFY after COMMIT)', async () => {
    await arrivesWithin(2000, 'a1', () => env.store.appendToStream('pump-1', [{ eventId: 'a1', type: 'PumpStarted', data: {} }]));
  });

  it('delivers appends made inside withTransaction once it commits', async () => {
    await arrivesWithin(2000, 'a2', () =>
      env.store.withTransaction(async (tx) => {
        await env.store.appendToStream('pump-2', [{ eventId: 'a2', type: 'PumpStarted', data: {} }], { transaction: tx });
        await env.store.appendToStream('pump-3', [{ eventId: 'a3', type: 'PumpStarted', data: {} }], { transaction: tx });
      }),
    );
  });

  it('delivers an append in a transaction the caller opened itself (NOTIFY inside it)', async () => {
    const client = await env.pool.connect();
    try {
      await arrivesWithin(2000, 'a4', async () => {
        await client.query('BEGIN');
        await env.store.appendToStream('pump-4', [{ eventId: 'a4', type: 'PumpStarted', data: {} }], { transaction: client });
        await client.query('COMMIT');
      });
    } finally {
      client.release();
    }
  });

  it('delivers what a subscription handler appends in its batch transaction once the batch commits', async () => {
    const relay = env.store.subscribe({ subscriptionId: 'copier', category: 'valve-' }, async (events, tx) => {
      for (const e of events) await env.store.appendToStream('pump-from-valve', [{ eventId: `copy-${e.eventId}`, type: 'PumpStarted', data: {} }], { transaction: tx });
    });
    await relay.caughtUp;
    await arrivesWithin(2000, 'copy-v1', () => env.store.appendToStream('valve-1', [{ eventId: 'v1', type: 'ValveOpened', data: {} }]));
    await relay.stop();
  });

  it('also wakes them in the in-transaction mode', async () => {
    const store = new PostgresEventStore({ pool: env.pool, notify: 'in-transaction' });
    await arrivesWithin(2000, 'a5', () => store.appendToStream('pump-5', [{ eventId: 'a5', type: 'PumpStarted', data: {} }]));
    await store.close();
  });
});
