import { Pool } from 'pg';
import { createTestDatabase } from '@reflux/testing';
import type { PostgresEventStore } from '@reflux/event-store';
import WebSocket from 'ws';
import type { GatewayApp } from './gateway.app';
import { publish, reconciled, SseClient, startTestGateway, token, waitFor, writerStore } from '../test/gateway-test.support';

describe('control-room gateway event streams (real PostgreSQL event store, real HTTP)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Pool;
  let store: PostgresEventStore;
  let a: GatewayApp;
  let b: GatewayApp;
  const viewer = { authorization: `Bearer ${token(['viewer'])}` };

  beforeAll(async () => {
    db = await createTestDatabase('gateway_streams');
    pool = new Pool({ connectionString: db.url, max: 10 });
    store = await writerStore(pool);
    a = await startTestGateway(db.url);
    // A second replica that keeps almost nothing in memory: resumes go through the database.
    b = await startTestGateway(db.url, { fanout: { ringEvents: 2, ringBytes: 64 << 20, catchUpBatch: 3, concurrentCatchUps: 2 } });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await store.close();
    await pool.end();
    await db.drop();
  });

  it('resumes an SSE client with Last-Event-ID on another replica: every missed event once, in order, then live', async () => {
    const first = new SseClient(`${a.url}/v1/events?types=BalanceReconciled`, viewer);
    await waitFor('stream open', () => first.response !== undefined);
    const written: number[] = [];
    for (let i = 0; i < 5; i++) written.push(await publish(store, 'BalanceReconciled', reconciled('p1', i)));
    await waitFor('5 events', () => first.positions().length === 5);
    expect(first.positions()).toEqual(written);
    first.close();
    // Missed while disconnected, with events of other types in between.
    for (let i = 5; i < 12; i++) {
      written.push(await publish(store, 'BalanceReconciled', reconciled('p1', i)));
      await publish(store, 'LossSuspected', { plantId: 'p1', unitId: 'u1' });
    }
    const resumed = new SseClient(`${b.url}/v1/events?types=BalanceReconciled`, { ...viewer, 'last-event-id': String(written[4]) });
    await waitFor('7 missed events', () => resumed.positions().length === 7);
    written.push(await publish(store, 'BalanceReconciled', reconciled('p1', 12)));
    await waitFor('the live event', () => resumed.positions().length === 8);
    await new Promise((r) => setTimeout(r, 200));
    expect(resumed.positions()).toEqual(written.slice(5));
    const payload = JSON.parse(resumed.events[0].data) as { position: number; type: string; data: { plantId: string }; source: string };
    expect(payload).toMatchObject({ position: written[5], type: 'BalanceReconciled', source: 'test', data: { plantId: 'p1' } });
    resumed.close();
  });

  it('resumes a WebSocket client with resumeAfter: every missed event once, in order, then live', async () => {
    const before = await publish(store, 'BalanceReconciled', reconciled('p2', 0));
    const written: number[] = [];
    for (let i = 1; i < 6; i++) written.push(await publish(store, 'BalanceReconciled', reconciled('p2', i)));
    const positions: number[] = [];
    const ws = new WebSocket(`${b.url.replace('http', 'ws')}/v1/events/ws?types=BalanceReconciled&resumeAfter=${before}`, { headers: viewer });
    ws.on('message', (data) => positions.push((JSON.parse(String(data)) as { position: number }).position));
    await waitFor('5 missed events', () => positions.length === 5);
    written.push(await publish(store, 'BalanceReconciled', reconciled('p2', 6)));
    await waitFor('live event', () => positions.length === 6);
    expect(positions).toEqual(written);
    ws.close();
  });

  it('filters by type, unit and area; plant-wide events stay in a unit console', async () => {
    const console1 = new SseClient(`${a.url}/v1/events?units=u1&areas=north`, viewer);
    const onlyAlarms = new SseClient(`${a.url}/v1/events?types=AlarmRaised`, viewer);
    await waitFor('streams open', () => console1.response !== undefined && onlyAlarms.response !== undefined);
    const keepU1 = await publish(store, 'LossSuspected', { plantId: 'p3', unitId: 'u1' });
    await publish(store, 'LossSuspected', { plantId: 'p3', unitId: 'u2' });
    const plantWide = await publish(store, 'BalanceReconciled', reconciled('p3', 0));
    const alarmNorth = await publish(store, 'AlarmRaised', { plantId: 'p3', alarmId: 'T1/H', tagId: 'T1', area: 'north' });
    await publish(store, 'AlarmRaised', { plantId: 'p3', alarmId: 'T2/H', tagId: 'T2', area: 'south' });
    // Not an integration stream: a service's own domain stream is never sent.
    await store.appendToStream('alarm-p3', [{ type: 'AlarmRaised', data: { plantId: 'p3', area: 'north' } }]);
    const last = await publish(store, 'BalanceReconciled', reconciled('p3', 1));
    await waitFor('console events', () => console1.positions().includes(last));
    await waitFor('alarm events', () => onlyAlarms.positions().length === 2);
    expect(console1.positions()).toEqual([keepU1, plantWide, alarmNorth, last]);
    expect(onlyAlarms.events.map((e) => (JSON.parse(e.data) as { data: { area: string } }).data.area)).toEqual(['north', 'south']);
    console1.close();
    onlyAlarms.close();
  });

  it('rejects unknown event types and malformed or unknown resume positions with field-level detail', async () => {
    const badType = await fetch(`${a.url}/v1/events?types=BalanceReconciled,NoSuchEvent`, { headers: viewer });
    expect(badType.status).toBe(400);
    expect(await badType.json()).toMatchObject({ code: 'GATEWAY.INVALID_ARGUMENT', status: 'INVALID_ARGUMENT', violations: [{ field: 'types[1]' }] });
    const badId = await fetch(`${a.url}/v1/events`, { headers: { ...viewer, 'last-event-id': 'abc' } });
    expect(badId.status).toBe(400);
    expect(await badId.json()).toMatchObject({ violations: [{ field: 'Last-Event-ID' }] });
    const unknown = await fetch(`${a.url}/v1/events`, { headers: { ...viewer, 'last-event-id': '999999999' } });
    expect(unknown.status).toBe(410);
    expect(await unknown.json()).toMatchObject({ code: 'GATEWAY.RESUME_POSITION_UNKNOWN' });
    const anonymous = await fetch(`${a.url}/v1/events`);
    expect(anonymous.status).toBe(401);
  });
});
