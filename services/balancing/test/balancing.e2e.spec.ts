import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { credentials, loadPackageDefinition, Metadata, type Client, type ServiceError } from '@grpc/grpc-js';
import { PostgresEventStore } from '@reflux/event-store';
import { createServiceToken, type Role } from '@reflux/grpc';
import { demoPlantPath } from '@reflux/plant-model';
import { loadProtoPackage } from '@reflux/proto';
import { createTestDatabase, freePort, spawnUntilReady, type RunningProcess } from '@reflux/testing';
import { Pool } from 'pg';
import pino from 'pino';
import { balancingClient, callBalancing } from '../src/adapters/grpc/balancing.grpc-client';
import { balanceStreamId } from '../src/domain/balance-window';
import { BIASED_TAG, demoGraph, DEMO_PLANT_ID, eventually, faultyDemoAverages, LEAKING_UNIT } from './fixtures/demo-scenario';

type UnaryMethod = (req: unknown, md: Metadata, cb: (err: ServiceError | null, res: never) => void) => void;

const SECRET = 'balancing-e2e-secret-of-at-least-32-characters';
/** Authentication as docker-compose.yml configures it: an HMAC secret with issuer and audience. */
const AUTH = { AUTH_JWT_SECRET: SECRET, AUTH_JWT_ISSUER: 'reflux-local', AUTH_JWT_AUDIENCE: 'reflux' };
const token = (roles: Role[], subject: string) => createServiceToken({ hs256Secrets: [SECRET], issuer: AUTH.AUTH_JWT_ISSUER, audience: AUTH.AUTH_JWT_AUDIENCE }, subject, roles, { ttlSeconds: 600 });
const root = join(__dirname, '../../..');
const HOUR_MS = 3_600_000;

function startService(name: 'ingestion' | 'balancing', env: NodeJS.ProcessEnv, readyLine: string): Promise<RunningProcess> {
  return spawnUntilReady(process.execPath, ['-r', join(root, 'scripts/register.cjs'), join(root, 'services', name, 'src/main.ts')], (line) => (line.includes(readyLine) ? true : undefined), {
    timeoutMs: 90_000,
    env: { ...process.env, SERVICE_NAME: name, ...AUTH, PLANT_MODEL_FILES: demoPlantPath('petrochemical'), LOG_LEVEL: 'info', ...env },
  }).then((r) => r.process);
}

describe('balancing with ingestion, as processes', () => {
  it('reconciles a window of demo-plant history written through ingestion and flags the biased meter and the leaking unit', async () => {
    const db = await createTestDatabase('balancing_e2e');
    const [ingestionPort, balancingPort] = [await freePort(), await freePort()];
    const running: RunningProcess[] = [];
    let ingestion: (Client & Record<string, UnaryMethod>) | undefined;
    const balancing = balancingClient(`127.0.0.1:${balancingPort}`);
    const pool = new Pool({ connectionString: db.url, max: 2 });
    const store = new PostgresEventStore({ pool, logger: pino({ enabled: false }) });
    try {
      running.push(await startService('ingestion', { DATABASE_URL: db.url, GRPC_PORT: String(ingestionPort) }, 'ingestion service started'));
      running.push(
        await startService(
          'balancing',
          { DATABASE_URL: db.url, GRPC_PORT: String(balancingPort), INGESTION_ADDRESS: `127.0.0.1:${ingestionPort}`, BALANCE_SCHEDULE_INTERVAL_S: '0' },
          'balancing service started',
        ),
      );

      // One hour of the faulty demo plant (FI-1005 reads 8 % high, PV-4001 leaks 1 kg/s), a sample
      // a minute per tag from a minute before to a minute after the window; levels ramp.
      const end = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - HOUR_MS;
      const start = end - HOUR_MS;
      const averages = faultyDemoAverages(demoGraph(), 3600);
      const samples: unknown[] = [];
      for (let t = start - 60_000; t <= end + 60_000; t += 60_000) {
        const time = { seconds: String(t / 1000), nanos: 0 };
        for (const [tagId, a] of averages) {
          const value = a.levelChange === undefined ? a.value : a.value + (a.levelChange * (t - start)) / HOUR_MS;
          samples.push({ tagId, time, value, quality: 0 });
        }
      }
      const pkg = loadPackageDefinition(loadProtoPackage('reflux/ingestion/v1/ingestion.proto')) as unknown as {
        reflux: { ingestion: { v1: { IngestionService: new (a: string, c: ReturnType<typeof credentials.createInsecure>) => Client & Record<string, UnaryMethod> } } };
      };
      ingestion = new pkg.reflux.ingestion.v1.IngestionService(`127.0.0.1:${ingestionPort}`, credentials.createInsecure());
      const md = new Metadata();
      md.set('authorization', `Bearer ${token(['ingest'], 'e2e-writer')}`);
      const ack = await new Promise<{ ack: { acceptedCount: number; rejected: unknown[] } }>((resolve, reject) =>
        ingestion!.Write({ batch: { clientBatchId: 'balancing-e2e-1', samples } }, md, (err, res) => (err ? reject(err) : resolve(res))),
      );
      expect(ack.ack.rejected).toEqual([]);

      // Ingestion announces the batch (MeasurementsIngested, PostgreSQL bus); its time range reaches
      // the window end, so balancing reconciles the window on its own.
      const streamId = balanceStreamId(DEMO_PLANT_ID, { start: new Date(start), end: new Date(end) });
      const triggered = await eventually(async () => {
        const events = await store.readStream(streamId);
        return events.length > 0 ? events : undefined;
      }, 30_000, 'the window reconciled on MeasurementsIngested');
      expect(triggered[0].metadata).toMatchObject({ trigger: 'measurements-ingested' });

      const operator = token(['operator'], 'e2e-operator');
      const window = { startTime: { seconds: String(start / 1000), nanos: 0 }, endTime: { seconds: String(end / 1000), nanos: 0 } };
      // A fresh computation from ingestion's history (dry run): balancing reads it with the token it
      // mints from the same AUTH_JWT_* settings ingestion verifies with. Then the stored result.
      const fresh = await callBalancing(balancing, balancing.reconcile, { plantId: DEMO_PLANT_ID, window, measurements: [], dryRun: true }, operator, 60_000);
      expect(fresh.replayed).toBe(false);
      expect(fresh.result!.grossErrors.map((g) => g.tagId)).toEqual([BIASED_TAG]);
      expect(fresh.result!.losses.map((l) => l.unitId)).toEqual([LEAKING_UNIT]);
      const response = await callBalancing(balancing, balancing.reconcile, { plantId: DEMO_PLANT_ID, window, measurements: [], dryRun: false }, operator, 60_000);
      const result = response.result!;
      expect(response.replayed).toBe(true); // the stored result of the triggered reconciliation
      expect(result.warnings).toEqual([]);
      expect(result.grossErrors.map((g) => g.tagId)).toEqual([BIASED_TAG]);
      expect(result.grossErrors[0].relativeBiasPercent).toBeCloseTo(8, 0);
      expect(result.losses.map((l) => l.unitId)).toEqual([LEAKING_UNIT]);
      expect(result.losses[0].estimatedLossKgPerS).toBeCloseTo(1, 1);

      // The CLI reads the same results from the running service: `balance show` (a window or the
      // latest, the plant or one unit) and `balance suspects` (the window's range).
      const cli = (...args: string[]) => {
        const r = spawnSync(process.execPath, [join(root, 'tools/cli/bin/reflux.js'), 'balance', ...args, '--address', `127.0.0.1:${balancingPort}`, '--token', token(['viewer'], 'e2e-cli'), '--plant', DEMO_PLANT_ID], { encoding: 'utf8', timeout: 60_000 });
        return { status: r.status, stdout: r.stdout, stderr: r.stderr };
      };
      const shown = await eventually(async () => {
        const r = cli('show', '--unit', LEAKING_UNIT, '--window', new Date(start).toISOString(), '--json');
        return r.status === 0 || r.status === 4 ? r : undefined; // 4: the balance still rejects
      }, 60_000, 'reflux balance show');
      const balanceShown = JSON.parse(shown.stdout) as { window: { startTime: { seconds: string } }; units: { unitId: string }[]; losses: { unitId: string }[] };
      expect(Number(balanceShown.window.startTime.seconds) * 1000).toBe(start);
      expect(balanceShown.units.map((u) => u.unitId)).toEqual([LEAKING_UNIT]);
      expect(balanceShown.losses.map((l) => l.unitId)).toEqual([LEAKING_UNIT]);
      expect(cli('show', '--window', new Date(start).toISOString()).stdout).toMatch(new RegExp(`meter ${BIASED_TAG} on crude-charge reads .* high`));
      // without --window: the latest reconciled window (the batch reached into the next hour too)
      const latestShown = JSON.parse(cli('show', '--json').stdout) as { window: { startTime: { seconds: string } } };
      expect(Number(latestShown.window.startTime.seconds) * 1000).toBeGreaterThanOrEqual(start);
      const listed = cli('suspects', '--from', new Date(start).toISOString(), '--to', new Date(end).toISOString(), '--json');
      expect(listed.status).toBe(0);
      const suspects = JSON.parse(listed.stdout) as { kind: string; tagId: string | null; unitId: string | null }[];
      expect(suspects.map((x) => [x.kind, x.tagId ?? x.unitId]).sort()).toEqual([['gross-error', BIASED_TAG], ['loss', LEAKING_UNIT]]);
      const refused = cli('suspects', '--kind', 'leak');
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/--kind: expected gross-error or loss/);

      // The events are in the shared database, with their integration events.
      const events = await store.readStream(streamId);
      expect(events.map((e) => e.type)).toEqual(['BalanceReconciled', 'GrossErrorSuspected', 'LossSuspected']);
      expect((events[1].data as { grossError: { tagId: string } }).grossError.tagId).toBe(BIASED_TAG);
      expect((events[2].data as { loss: { unitId: string } }).loss.unitId).toBe(LEAKING_UNIT);
      const integration = await store.readStream(`integration-${streamId}`);
      expect(integration.map((e) => e.type)).toEqual(['BalanceReconciled', 'GrossErrorSuspected', 'LossSuspected']);
    } finally {
      ingestion?.close();
      balancing.close();
      await store.close();
      await pool.end();
      for (const p of running.reverse()) await p.stop('SIGTERM', 20_000);
      await db.drop();
    }
  }, 180_000);
});
