/**
 * Fault test of issue "platform hardening": PostgreSQL stops for 30 s under a running stack like
 * `npm start` (ingestion, balancing, simulator as processes, the PostgreSQL event bus) and starts
 * again on the same data. Afterwards no event is dead-lettered, no balance window is reconciled
 * twice, every window since the start is reconciled, and both services reported NOT_SERVING during
 * the outage and SERVING after it.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, loadPackageDefinition, type CallOptions, type ChannelCredentials, type Client, type ServiceError } from '@grpc/grpc-js';
import { createServiceToken, GRPC_LIB_PROTO_ROOT, loadPlatformProto } from '@reflux/grpc';
import { demoPlantPath } from '@reflux/plant-model';
import { freePort, spawnUntilReady, startEmbeddedPostgres, type PostgresServer, type RunningProcess } from '@reflux/testing';
import { Client as PgClient } from 'pg';

jest.setTimeout(600_000);

const root = join(__dirname, '..', '..');
const WINDOW_S = 60;
const OUTAGE_MS = 30_000;
// As compose and k8s configure it: an HMAC secret with issuer and audience (not the development secret).
const AUTH = { AUTH_JWT_SECRET: 'postgres-outage-e2e-secret-of-at-least-32-chars', AUTH_JWT_ISSUER: 'reflux-e2e', AUTH_JWT_AUDIENCE: 'reflux' };

type HealthClient = Client & { check(req: { service: string }, options: CallOptions, cb: (err: ServiceError | null, res?: { status: string }) => void): void };

function healthClient(address: string): HealthClient {
  const definition = loadPlatformProto(join(GRPC_LIB_PROTO_ROOT, 'grpc', 'health', 'v1', 'health.proto'));
  const loaded = loadPackageDefinition(definition) as unknown as { grpc: { health: { v1: { Health: new (a: string, c: ChannelCredentials) => HealthClient } } } };
  return new loaded.grpc.health.v1.Health(address, credentials.createInsecure());
}

/** Records each change of a service's health status, polled every 200 ms. */
function watchHealth(address: string): { seen: string[]; stop(): void } {
  const client = healthClient(address);
  const seen: string[] = [];
  const timer = setInterval(() => {
    client.check({ service: '' }, { deadline: Date.now() + 1_000 }, (err, res) => {
      const status = err ? 'UNREACHABLE' : (res?.status ?? 'UNKNOWN');
      if (seen.at(-1) !== status) seen.push(status);
    });
  }, 200);
  return {
    seen,
    stop() {
      clearInterval(timer);
      client.close();
    },
  };
}

function start(entry: string, env: NodeJS.ProcessEnv, readyLine: string): Promise<RunningProcess> {
  return spawnUntilReady(process.execPath, ['-r', join(root, 'scripts/register.cjs'), join(root, entry)], (line) => (line.includes(readyLine) ? true : undefined), {
    timeoutMs: 120_000,
    env: { ...process.env, ...AUTH, LOG_LEVEL: 'info', ...env },
  }).then((r) => r.process);
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function query<T extends Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new PgClient({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('a 30-second PostgreSQL outage under ingestion, balancing and the simulator', () => {
  it('dead-letters nothing, reconciles every window exactly once and reports NOT_SERVING and back', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'reflux-outage-'));
    chmodSync(parent, 0o755);
    const dataDir = join(parent, 'data');
    let pg: PostgresServer = await startEmbeddedPostgres({ dataDir, persistent: true });
    const pgPort = Number(new URL(pg.url).port);
    const [ingestionPort, balancingPort] = [await freePort(), await freePort()];
    const running: RunningProcess[] = [];
    const health: ReturnType<typeof watchHealth>[] = [];
    try {
      running.push(await start('services/ingestion/src/main.ts', { SERVICE_NAME: 'ingestion', DATABASE_URL: pg.url, GRPC_PORT: String(ingestionPort), PLANT_MODEL_FILES: demoPlantPath('petrochemical') }, 'ingestion service started'));
      running.push(
        await start(
          'services/balancing/src/main.ts',
          {
            SERVICE_NAME: 'balancing',
            DATABASE_URL: pg.url,
            GRPC_PORT: String(balancingPort),
            PLANT_MODEL_FILES: demoPlantPath('petrochemical'),
            INGESTION_ADDRESS: `127.0.0.1:${ingestionPort}`,
            BALANCE_WINDOW_S: String(WINDOW_S),
            BALANCE_SETTLE_S: '10',
            BALANCE_SCHEDULE_INTERVAL_S: '5',
            BALANCE_LOOKBACK_WINDOWS: '10',
          },
          'balancing service started',
        ),
      );
      const token = createServiceToken({ hs256Secrets: [AUTH.AUTH_JWT_SECRET], issuer: AUTH.AUTH_JWT_ISSUER, audience: AUTH.AUTH_JWT_AUDIENCE }, 'outage-simulator', ['ingest'], { ttlSeconds: 3600 });
      running.push(
        await start(
          'tools/simulator/src/main.ts',
          { INGESTION_ADDRESS: `127.0.0.1:${ingestionPort}`, REFLUX_TOKEN: token, PLANT_MODEL_FILE: demoPlantPath('petrochemical'), SIMULATOR_BACKFILL_S: String(4 * WINDOW_S) },
          'simulator streaming',
        ),
      );
      health.push(watchHealth(`127.0.0.1:${ingestionPort}`), watchHealth(`127.0.0.1:${balancingPort}`));

      const reconciled = () =>
        query<{ stream_id: string; n: string }>(pg.url, `SELECT stream_id, count(*) AS n FROM reflux_events WHERE type = 'BalanceReconciled' AND stream_id LIKE 'balance-%' GROUP BY stream_id ORDER BY stream_id`);
      // The backfilled windows are reconciled before the outage.
      await until(async () => ((await reconciled()).length >= 2 ? true : undefined), 180_000, 'two reconciled windows before the outage');

      await pg.stop();
      const outageEnd = Date.now() + OUTAGE_MS;
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      pg = await startEmbeddedPostgres({ dataDir, persistent: true, port: pgPort });

      // Every window that ended by a minute after the outage is reconciled (settle 10 s, schedule every 5 s).
      const lastWindowEnd = Math.floor((outageEnd + 60_000) / (WINDOW_S * 1000)) * WINDOW_S * 1000;
      await new Promise((r) => setTimeout(r, Math.max(0, lastWindowEnd + 20_000 - Date.now())));
      const lastStream = `-${compactIso(new Date(lastWindowEnd))}`;
      const windows = await until(
        async () => {
          const rows = await reconciled();
          const plants = new Set(rows.map((r) => r.stream_id.slice(0, -34)));
          return rows.filter((r) => r.stream_id.endsWith(lastStream)).length === plants.size ? rows : undefined;
        },
        120_000,
        `the window ending ${new Date(lastWindowEnd).toISOString()} reconciled`,
      );
      await new Promise((r) => setTimeout(r, 5_000));

      // Each window once, none missing between the first and the last.
      expect(windows.filter((w) => Number(w.n) !== 1)).toEqual([]);
      const endsByPlant = new Map<string, number[]>();
      for (const w of windows) {
        const plant = w.stream_id.slice(0, -34); // balance-<plant>, before -<start>-<end> (16 characters each)
        endsByPlant.set(plant, [...(endsByPlant.get(plant) ?? []), endOf(w.stream_id)]);
      }
      for (const [plant, ends] of endsByPlant) {
        ends.sort((a, b) => a - b);
        const gaps = ends.slice(1).map((end, i) => end - ends[i]!);
        expect({ plant, gaps: gaps.filter((g) => g !== WINDOW_S * 1000) }).toEqual({ plant, gaps: [] });
        expect(ends.at(-1)).toBeGreaterThanOrEqual(lastWindowEnd);
      }

      // Nothing dead-lettered on the event bus.
      const deadLetters = await query<{ n: string }>(pg.url, `SELECT count(*) AS n FROM reflux_events WHERE stream_id LIKE '$dlq-%'`);
      expect(Number(deadLetters[0]!.n)).toBe(0);

      // Both services said they could not serve while PostgreSQL was down, and serve again.
      for (const h of health) {
        expect(h.seen).toContain('NOT_SERVING');
        // back to SERVING once every consumer has caught up again (later on a loaded machine)
        await until(async () => (h.seen.at(-1) === 'SERVING' ? true : undefined), 60_000, 'health SERVING again');
      }
    } finally {
      for (const h of health) h.stop();
      for (const p of running.reverse()) await p.stop('SIGTERM', 30_000).catch(() => undefined);
      await pg.stop().catch(() => undefined);
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

function compactIso(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** `balance-<plant>-<start>-<end>` → end in ms. */
function endOf(streamId: string): number {
  const end = streamId.slice(streamId.lastIndexOf('-') + 1);
  const iso = `${end.slice(0, 4)}-${end.slice(4, 6)}-${end.slice(6, 8)}T${end.slice(9, 11)}:${end.slice(11, 13)}:${end.slice(13, 15)}Z`;
  return Date.parse(iso);
}
