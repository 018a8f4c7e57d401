/**
 * The control-room gateway with the safety service on one database: an alarm raised by safety shows
 * in the gateway's alarm snapshot and on its event stream; a viewer's acknowledge is refused (403);
 * an operator's, from a browser session with the CSRF token, reaches safety with the operator's own
 * identity (AlarmAcknowledged names them).
 */
import { integrationEvents } from '@reflux/contracts';
import { PostgresEventStore } from '@reflux/event-store';
import { PostgresEventBus } from '@reflux/messaging';
import { createTestDatabase } from '@reflux/testing';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import pino from 'pino';
import { startSafetyApp, type SafetyApp } from '../../services/safety/src/safety.app';
import { MemorySampleHistory } from '../../services/safety/test/fixtures/memory-sample-history';
import type { GatewayApp } from '../../services/control-room-gateway/src/gateway.app';
import { httpJson, JWT_SECRET, SseClient, startTestGateway, token, waitFor } from '../../services/control-room-gateway/test/gateway-test.support';

const PLANT = 'gw-plant';
const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const CONFIG = {
  plantId: PLANT,
  tags: [{ tagId: 'PI-1', area: 'gas', console: 'c1', engineeringUnit: 'barg', limits: { HH: { value: 10, priority: 'high' } }, deadband: 0.5, onDelayS: 0, offDelayS: 0 }],
  units: [],
};

describe('control-room gateway with the safety service', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Pool;
  let store: PostgresEventStore;
  let bus: PostgresEventBus;
  let safety: SafetyApp;
  let gw: GatewayApp;
  const history = new MemorySampleHistory();

  beforeAll(async () => {
    db = await createTestDatabase('gateway_safety');
    safety = await startSafetyApp({
      databaseUrl: db.url,
      grpc: { host: '127.0.0.1', port: 0, auth: { jwt: { hs256Secrets: [JWT_SECRET], development: true } } },
      alarmConfigs: [{ document: CONFIG, origin: 'test' }],
      history,
      logger: pino({ enabled: false }),
      tickIntervalMs: 0,
      holdGraceMs: 0,
    });
    pool = new Pool({ connectionString: db.url, max: 3 });
    store = new PostgresEventStore({ pool, logger: pino({ enabled: false }) });
    bus = new PostgresEventBus({ eventStore: store, logger: pino({ enabled: false }) });
    gw = await startTestGateway(db.url, { upstreams: { safety: `127.0.0.1:${safety.port}` }, defaultPlantId: PLANT });
  });
  afterAll(async () => {
    await gw?.stop();
    await safety?.stop();
    await bus?.close();
    await store?.close();
    await pool?.end();
    await db?.drop();
  });

  it('shows a raised alarm, refuses a viewer\'s acknowledge and forwards an operator\'s with their identity', async () => {
    const stream = new SseClient(`${gw.url}/v1/events?types=AlarmRaised,AlarmAcknowledged`, { authorization: `Bearer ${token(['viewer'])}` });
    await waitFor('stream open', () => stream.response !== undefined);
    history.add([{ tagId: 'PI-1', timeMs: T0, value: 11, quality: 0 }]);
    await bus.publish(
      integrationEvents.create(
        'MeasurementsIngested',
        { plantId: PLANT, batchId: randomUUID(), tagIds: ['PI-1'], timeRange: { start: new Date(T0).toISOString(), end: new Date(T0 + 1).toISOString() }, samplesAccepted: 1, samplesRejected: 0 },
        { source: 'ingestion', subject: `plant-${PLANT}` },
      ),
    );
    await waitFor('AlarmRaised on the stream', () => stream.events.some((e) => JSON.parse(e.data).type === 'AlarmRaised'), 30_000);
    const snapshot = await httpJson(`${gw.url}/v1/snapshot/alarms`, { headers: { authorization: `Bearer ${token(['viewer'])}` } });
    expect(snapshot.status).toBe(200);
    expect(snapshot.body['alarms']).toEqual([expect.objectContaining({ alarmId: 'PI-1/HH', acknowledged: false, value: 11, limit: 10 })]);

    const signIn = async (roles: ('viewer' | 'operator')[], subject: string) => {
      const res = await httpJson(`${gw.url}/v1/session`, { method: 'POST', body: { token: token(roles, subject) } });
      return { cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), 'x-csrf-token': res.body['csrfToken'] as string };
    };
    const ack = (headers: Record<string, string>) => httpJson(`${gw.url}/v1/alarms/${encodeURIComponent('PI-1/HH')}/ack`, { method: 'POST', headers, body: { plantId: PLANT, reason: 'seen' } });
    const viewer = await ack(await signIn(['viewer'], 'vic'));
    expect(viewer.status).toBe(403);
    const operator = await ack(await signIn(['operator'], 'olga'));
    expect(operator.status).toBe(200);
    expect(operator.body['alarm']).toMatchObject({ alarmId: 'PI-1/HH', acknowledged: true });
    await waitFor('AlarmAcknowledged on the stream', () => stream.events.some((e) => JSON.parse(e.data).type === 'AlarmAcknowledged'), 30_000);
    const acknowledged = stream.events.map((e) => JSON.parse(e.data) as { type: string; data: { by: string } }).find((e) => e.type === 'AlarmAcknowledged')!;
    expect(acknowledged.data.by).toBe('olga');
    // Acknowledging again is the service's own answer (not a gateway guess), mapped to HTTP.
    const again = await ack(await signIn(['operator'], 'olga'));
    expect([200, 409]).toContain(again.status);
    stream.close();
  });
});
