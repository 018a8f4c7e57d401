import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as grpc from '@grpc/grpc-js';
import { createDevelopmentToken } from '@reflux/grpc';
import { demoPlantPath } from '@reflux/plant-model';
import { loadProtoPackage, type refluxIngestionV1 as v1 } from '@reflux/proto';
import { createTestDatabase, freePort, spawnUntilReady, type RunningProcess } from '@reflux/testing';
import { callSafety, safetyClient } from '../src/adapters/grpc/safety.grpc-client';
import { eventually } from './fixtures/memory-sample-history';

const SECRET = 'safety-e2e-secret-of-at-least-32-characters';
const root = join(__dirname, '../../..');
const PLANT = 'demo-petrochemical-site';

type Unary<Req, Res> = (r: Req, m: grpc.Metadata, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, res: Res) => void) => void;

function startService(name: 'ingestion' | 'safety', env: NodeJS.ProcessEnv): Promise<RunningProcess> {
  return spawnUntilReady(process.execPath, ['-r', join(root, 'scripts/register.cjs'), join(root, 'services', name, 'src/main.ts')], (line) => (line.includes(`${name} service started`) ? true : undefined), {
    timeoutMs: 90_000,
    env: { ...process.env, SERVICE_NAME: name, AUTH_JWT_SECRET: SECRET, AUTH_JWT_DEVELOPMENT: 'true', EVENT_BUS: 'postgres', LOG_LEVEL: 'info', ...env },
  }).then((r) => r.process);
}

// Two services start as processes (each allowed 90 s above) and migrate their schemas: more than
// Jest's default 60 s on a loaded machine, and with TimescaleDB (REFLUX_TEST_TIMESCALE=1, hypertable
// and continuous aggregates created at ingestion's start).
jest.setTimeout(300_000);

describe('safety with ingestion, as processes', () => {
  it('raises an alarm from samples written through ingestion, lists it and journals its acknowledgement', async () => {
    const db = await createTestDatabase('safety_e2e');
    const [ingestionPort, safetyPort] = [await freePort(), await freePort()];
    const running: RunningProcess[] = [];
    const token = createDevelopmentToken(SECRET, ['admin'], 'op-e2e');
    const config = {
      plantId: PLANT,
      tags: [{ tagId: 'PI-1007', area: 'cdu', console: 'console-cdu', engineeringUnit: 'barg', limits: { HH: { value: 50, priority: 'high' } }, deadband: 1, onDelayS: 2 }],
    };
    const configFile = join(mkdtempSync(join(tmpdir(), 'safety-e2e-')), 'alarms.json');
    writeFileSync(configFile, JSON.stringify(config));
    const safety = safetyClient(`127.0.0.1:${safetyPort}`);
    const Ingestion = (grpc.loadPackageDefinition(loadProtoPackage('reflux/ingestion/v1/ingestion.proto')) as unknown as {
      reflux: { ingestion: { v1: { IngestionService: new (a: string, c: grpc.ChannelCredentials) => grpc.Client & { write: Unary<v1.WriteRequest, v1.WriteResponse> } } } };
    }).reflux.ingestion.v1.IngestionService;
    const ingestion = new Ingestion(`127.0.0.1:${ingestionPort}`, grpc.credentials.createInsecure());
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Bearer ${token}`);
    try {
      running.push(await startService('ingestion', { DATABASE_URL: db.url, GRPC_PORT: String(ingestionPort), PLANT_MODEL_FILES: demoPlantPath('petrochemical') }));
      running.push(await startService('safety', { DATABASE_URL: db.url, GRPC_PORT: String(safetyPort), ALARM_CONFIG_FILES: configFile, INGESTION_ADDRESS: `127.0.0.1:${ingestionPort}` }));
      const t0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;
      const samples = [40, 52, 53, 53.5].map((value, i) => ({ tagId: 'PI-1007', value, quality: 0, time: { seconds: String((t0 + i * 1000) / 1000), nanos: 0 } }));
      const ack = await new Promise<v1.WriteResponse>((resolve, reject) =>
        ingestion.write({ batch: { clientBatchId: 'e2e-1', samples } }, metadata, { deadline: Date.now() + 10_000 }, (e, r) => (e ? reject(e) : resolve(r))),
      );
      expect(ack.ack?.acceptedCount).toBe(4);

      const active = await eventually(async () => {
        const list = await callSafety(safety, safety.listActiveAlarms, { plantId: PLANT } as never, token);
        return list.alarms.length > 0 ? list.alarms : undefined;
      }, 20_000, 'the HH alarm');
      expect(active.map((a) => [a.alarmId, a.status, a.raisedTime?.seconds])).toEqual([['PI-1007/HH', 'ALARM_STATUS_UNACKNOWLEDGED_ACTIVE', String((t0 + 3000) / 1000)]]);

      await callSafety(safety, safety.acknowledgeAlarm, { plantId: PLANT, alarmId: 'PI-1007/HH', reason: 'field operator sent' }, token);
      const journal = await eventually(async () => {
        const j = await callSafety(safety, safety.getAlarmJournal, { plantId: PLANT, range: null, alarmId: '', pageSize: 10, pageToken: '' }, token);
        return j.entries.length >= 2 ? j.entries : undefined;
      }, 20_000, 'the journal');
      expect(journal.map((e) => [e.eventType, e.actor])).toEqual([
        ['AlarmAcknowledged', 'op-e2e'],
        ['AlarmRaised', 'system'],
      ]);
    } finally {
      safety.close();
      ingestion.close();
      for (const p of running.reverse()) await p.stop('SIGTERM', 20_000).catch(() => undefined);
      await db.drop();
    }
  });
});
