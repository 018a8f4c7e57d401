import { Pool } from 'pg';
import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '@reflux/testing';
import type { PostgresEventStore } from '@reflux/event-store';
import type { GatewayApp } from './gateway.app';
import type { CausationTrace, TraceNode } from './domain/causation-trace';
import { httpJson, startTestGateway, token, writerStore } from '../test/gateway-test.support';

/** Appends an event as a service would: PostgreSQL bus stream (`integration-`) or Kafka outbox (`outbox-<service>-`). */
async function append(store: PostgresEventStore, stream: string, type: string, source: string, cause?: { eventId: string; correlationId: string }): Promise<{ eventId: string; correlationId: string }> {
  const eventId = randomUUID();
  const correlationId = cause?.correlationId ?? eventId;
  const subject = stream.replace(/^(integration-|outbox-[a-z_]+-)/, '');
  await store.appendToStream(stream, [
    { eventId, type, data: {}, metadata: { topic: 'test', source, subject, occurredAt: new Date().toISOString(), correlationId, ...(cause && { causationId: cause.eventId }) } },
  ]);
  return { eventId, correlationId };
}

const shape = (n: TraceNode): unknown => [n.type, ...n.children.map(shape)];

describe('GET /v1/events/{eventId}/trace over the PostgreSQL event log', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Pool;
  let store: PostgresEventStore;
  let gw: GatewayApp;
  const viewer = { authorization: `Bearer ${token(['viewer'])}` };
  const chain: Record<string, { eventId: string; correlationId: string }> = {};

  beforeAll(async () => {
    db = await createTestDatabase('gateway_trace');
    pool = new Pool({ connectionString: db.url, max: 5 });
    store = await writerStore(pool);
    gw = await startTestGateway(db.url);
    // The demo loop: a batch trips a compressor; scheduling re-plans, supply chain re-allocates
    // (once on the trip, once on the capacity change), safety also raises an alarm on the batch.
    chain['mi'] = await append(store, 'integration-plant-p', 'MeasurementsIngested', 'ingestion');
    chain['trip'] = await append(store, 'integration-unit-p|K-1', 'UnitTripped', 'safety', chain['mi']);
    chain['alarm'] = await append(store, 'integration-alarm-p|PI-1/HH', 'AlarmRaised', 'safety', chain['mi']);
    chain['schedule'] = await append(store, 'outbox-scheduling-schedule-p', 'ScheduleProposed', 'scheduling', chain['trip']);
    chain['capacity'] = await append(store, 'integration-site-p', 'SiteCapacityChanged', 'scheduling', chain['schedule']);
    chain['allocation'] = await append(store, 'integration-allocation-n', 'AllocationProposed', 'supply-chain', chain['capacity']);
    chain['allocationOnTrip'] = await append(store, 'integration-allocation-n', 'AllocationProposed', 'supply-chain', chain['trip']);
    // A service's own domain stream naming the trip as its cause is not an integration event.
    await append(store, 'schedule-p', 'ScheduleRevised', 'scheduling', chain['trip']);
    await append(store, 'integration-plant-p', 'MeasurementsIngested', 'ingestion'); // another chain
  });
  afterAll(async () => {
    await gw?.stop();
    await store.close();
    await pool.end();
    await db.drop();
  });

  it('returns the ancestors of an event down to it and everything it caused, across bus and outbox streams', async () => {
    const res = await httpJson(`${gw.url}/v1/events/${chain['trip']!.eventId}/trace`, { headers: viewer });
    expect(res.status).toBe(200);
    const trace = res.body as unknown as CausationTrace;
    expect(shape(trace.root)).toEqual(['MeasurementsIngested', ['UnitTripped', ['ScheduleProposed', ['SiteCapacityChanged', ['AllocationProposed']]], ['AllocationProposed']]]);
    expect(trace).toMatchObject({ eventId: chain['trip']!.eventId, events: 6, truncated: false });
    const trip = trace.root.children[0]!;
    expect(trip).toMatchObject({ eventId: chain['trip']!.eventId, source: 'safety', subject: 'unit-p|K-1', causationId: chain['mi']!.eventId, correlationId: chain['mi']!.eventId });
    expect(typeof trip.occurredAt).toBe('string');
  });

  it('traces from a leaf up to the root without the root’s other branches', async () => {
    const res = await httpJson(`${gw.url}/v1/events/${chain['allocation']!.eventId}/trace`, { headers: viewer });
    expect(shape((res.body as unknown as CausationTrace).root)).toEqual(['MeasurementsIngested', ['UnitTripped', ['ScheduleProposed', ['SiteCapacityChanged', ['AllocationProposed']]]]]);
  });

  it('refuses a caller without a token, an id that is not a UUID field by field, and an unknown event', async () => {
    expect((await httpJson(`${gw.url}/v1/events/${chain['trip']!.eventId}/trace`)).status).toBe(401);
    const bad = await httpJson(`${gw.url}/v1/events/not-an-id/trace`, { headers: viewer });
    expect(bad).toMatchObject({ status: 400, body: { code: 'GATEWAY.INVALID_ARGUMENT', violations: [{ field: 'eventId' }] } });
    const unknown = await httpJson(`${gw.url}/v1/events/${randomUUID()}/trace`, { headers: viewer });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'GATEWAY.NOT_FOUND', violations: [{ field: 'eventId' }] } });
  });

  it('finds the events an event caused through the causation index', async () => {
    const client = await pool.connect(); // one session: the setting applies to the EXPLAIN
    let rows: { 'QUERY PLAN': string }[];
    try {
      await client.query('SET enable_seqscan = off'); // the test table is tiny: make the planner show which index it can use
      ({ rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT event_id FROM reflux_events WHERE metadata ? 'causationId' AND metadata->>'causationId' = $1`, [chain['trip']!.eventId]));
    } finally {
      client.release(true);
    }
    expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('reflux_events_causation_idx');
  });
});
