import type { AlarmKpiReport } from '@reflux/contracts';
import { PostgresEventStore } from '@reflux/event-store';
import { createTestDatabase } from '@reflux/testing';
import { Pool } from 'pg';
import pino from 'pino';
import { MemorySampleHistory } from '../test/fixtures/memory-sample-history';
import { startSafetyApp, type SafetyApp } from './safety.app';

const PLANT = 'kpi-plant';
const CONFIG = { plantId: PLANT, timeZone: 'Europe/Berlin', tags: [{ tagId: 'TI-1', area: 'crude', console: 'c1', engineeringUnit: 'degC', limits: { H: { value: 1, priority: 'low' } } }] };

describe('periodic AlarmKpiReport (PostgreSQL, outbox)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Pool;
  let store: PostgresEventStore;
  let app: SafetyApp | undefined;
  let nowMs = Date.parse('2026-03-29T09:30:00Z'); // 11:30 in Berlin, the 23-hour day

  const start = async () => {
    app = await startSafetyApp({
      databaseUrl: db.url,
      grpc: { host: '127.0.0.1', port: 0, auth: { jwt: { hs256Secrets: ['kpi-report-secret-of-at-least-32-characters'], development: true } } },
      alarmConfigs: [{ document: CONFIG, origin: 'test' }],
      history: new MemorySampleHistory(),
      logger: pino({ enabled: false }),
      tickIntervalMs: 0,
      holdGraceMs: 0,
      now: () => new Date(nowMs),
      kpiReport: { periods: ['hour', 'day'], delayMs: 120_000 },
    });
  };
  const reports = async () => (await store.readAll({ category: 'integration-', eventTypes: ['AlarmKpiReport'] })).map((e) => e.data as AlarmKpiReport);

  beforeAll(async () => {
    db = await createTestDatabase('safety_kpi_report');
    pool = new Pool({ connectionString: db.url, max: 2 });
    await start();
    store = new PostgresEventStore({ pool, logger: pino({ enabled: false }) });
  });

  afterAll(async () => {
    await app?.stop();
    await store?.close();
    await pool?.end();
    await db?.drop();
  });

  it('reports the completed hour per console and area 2 min after it ends, once, also across a restart, and the plant-local day of 23 hours', async () => {
    await app!.tick(); // first run: marks the current hour (09:00Z) and day as the start
    expect(await reports()).toEqual([]);
    // 4 activations of TI-1/H in 09:00–10:00Z, three of them within 60 s (chattering), one in the next hour
    const raised = ['09:10:00', '09:10:20', '09:10:40', '09:40:00', '10:05:00'].map((t) => `2026-03-29T${t}Z`);
    for (const at of raised)
      await pool.query("INSERT INTO safety_alarm_activations (plant_id, alarm_id, raised_at, cleared_at, priority, area, console) VALUES ($1, 'TI-1/H', $2, $2::timestamptz + interval '5 s', 'low', 'crude', 'c1')", [PLANT, at]);
    nowMs = Date.parse('2026-03-29T10:01:00Z');
    await app!.tick();
    expect(await reports()).toEqual([]); // not yet 2 min after the hour
    nowMs = Date.parse('2026-03-29T10:02:00Z');
    await app!.tick();
    await app!.tick();
    const [hour] = await reports();
    expect(await reports()).toHaveLength(1);
    expect(hour).toMatchObject({ plantId: PLANT, period: 'hour', timeZone: 'Europe/Berlin', windowStart: '2026-03-29T09:00:00.000Z', windowEnd: '2026-03-29T10:00:00.000Z' });
    expect(hour!.consoles).toEqual([expect.objectContaining({ key: 'c1', activations: 4, alarmsPerHour: 4, chatteringAlarms: ['TI-1/H'], topBadActors: [{ alarmId: 'TI-1/H', activations: 4, share: 1 }] })]);
    expect(hour!.areas.map((a) => [a.key, a.activations])).toEqual([['crude', 4]]);

    await app!.stop();
    nowMs = Date.parse('2026-03-29T22:03:00Z'); // Berlin midnight was 22:00Z
    await start();
    await app!.tick();
    const all = await reports();
    expect(all.filter((r) => r.period === 'hour').map((r) => r.windowStart)).toHaveLength(13); // 09:00Z … 21:00Z, each once
    const day = all.find((r) => r.period === 'day')!;
    expect([day.windowStart, day.windowEnd]).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect(day.consoles[0]).toMatchObject({ activations: 5 });
    expect(day.consoles[0]!.alarmsPerDay).toBeCloseTo((5 * 24) / 23, 9);
  });
});
