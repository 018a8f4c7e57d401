import { ROOT_CONTEXT } from '@opentelemetry/api';
import { integrationEvents } from '@reflux/contracts';
import { createTestDatabase } from '@reflux/testing';
import { Pool } from 'pg';
import type { DeliveryContext } from '../event-bus.port';
import { idempotentHandler, pruneProcessedEvents } from './idempotent-handler';
import { migrateMessaging } from './processed-events.schema';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
beforeAll(async () => {
  db = await createTestDatabase('messaging_idempotency');
  pool = new Pool({ connectionString: db.url, max: 6 });
  await migrateMessaging(pool);
  await pool.query('CREATE TABLE plant_versions (plant_id text PRIMARY KEY, applied int NOT NULL)');
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

const delivery = (group: string): DeliveryContext => ({ group, topic: 't', attempt: 1, traceContext: ROOT_CONTEXT, position: '0/0' });
const versioned = (plantId: string) => integrationEvents.create('PlantModelVersioned', { plantId, version: 1 }, { source: 'plant-model', subject: plantId });
const applied = async (plantId: string) => (await pool.query('SELECT applied FROM plant_versions WHERE plant_id = $1', [plantId])).rows[0]?.applied as number | undefined;

const countingHandler = (onApply: () => Promise<void> = async () => undefined) =>
  idempotentHandler(pool, async (event, d) => {
    const { plantId } = event.data as { plantId: string };
    await d.transaction.query('INSERT INTO plant_versions VALUES ($1, 1) ON CONFLICT (plant_id) DO UPDATE SET applied = plant_versions.applied + 1', [plantId]);
    await onApply();
  });

describe('idempotent consumer', () => {
  it('applies a redelivered event once per group, and once more for another group', async () => {
    const event = versioned('plant-dup');
    const handler = countingHandler();
    await handler(event, delivery('cache'));
    await handler(event, delivery('cache'));
    expect(await applied('plant-dup')).toBe(1);
    await handler(event, delivery('reports'));
    expect(await applied('plant-dup')).toBe(2);
  });

  it('rolls the record back with a failing handler so the redelivery applies it', async () => {
    const event = versioned('plant-fail');
    let fail = true;
    const handler = countingHandler(async () => {
      if (fail) throw new Error('disk full');
    });
    await expect(handler(event, delivery('cache'))).rejects.toThrow('disk full');
    expect(await applied('plant-fail')).toBeUndefined();
    fail = false;
    await handler(event, delivery('cache'));
    expect(await applied('plant-fail')).toBe(1);
  });

  it('applies once when two consumers receive the same event at the same time', async () => {
    const event = versioned('plant-race');
    const handler = countingHandler(() => new Promise((r) => setTimeout(r, 100)));
    await Promise.all([handler(event, delivery('cache')), handler(event, delivery('cache')), handler(event, delivery('cache'))]);
    expect(await applied('plant-race')).toBe(1);
  });

  it('prunes records older than a cut-off', async () => {
    await countingHandler()(versioned('plant-old'), delivery('prune'));
    await pool.query("UPDATE messaging_processed_events SET processed_at = now() - interval '30 days' WHERE consumer_group = 'prune'");
    expect(await pruneProcessedEvents(pool, new Date(Date.now() - 7 * 86_400_000))).toBe(1);
  });
});
