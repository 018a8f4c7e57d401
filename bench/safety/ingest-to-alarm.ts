import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { createDevelopmentToken } from '@reflux/grpc';
import { demoPlantPath } from '@reflux/plant-model';
import { loadProtoPackage, type refluxIngestionV1 as ingestion, type refluxSafetyV1 as safety } from '@reflux/proto';
import { freePort, spawnUntilReady, startEmbeddedPostgres, type RunningProcess } from '@reflux/testing';

const SECRET = 'safety-bench-secret-of-at-least-32-characters';
const root = join(__dirname, '../..');

export interface IngestToAlarm {
  readonly ingestToAlarmP50Ms: number;
  readonly ingestToAlarmP99Ms: number;
  readonly probes: number;
  readonly backgroundSamplesPerSecond: number;
  /** Per stage, p50 and p99 in ms: Write ack → batch delivered to safety's consumer → ReadRaw answered → evaluated and committed → AlarmRaised on WatchAlarms. */
  readonly stagesMs: Record<Stage, { readonly p50: number; readonly p99: number }>;
}

type Stage = 'ackToDelivered' | 'readRaw' | 'evaluateCommit' | 'committedToWatch';

/** safety's debug line per evaluated batch (`alarm-evaluator.ts`). */
interface BatchTiming {
  readonly firstTag: string;
  readonly tags: number;
  readonly deliveredAtMs: number;
  readonly readAtMs: number;
  readonly evaluatedAtMs: number;
}

/** Collects safety's per-batch stage times from its JSON log lines. */
function collectBatchTimings(process: RunningProcess): BatchTiming[] {
  const timings: BatchTiming[] = [];
  let rest = '';
  process.child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.includes('"batch evaluated"')) continue;
      try {
        timings.push(JSON.parse(line) as BatchTiming);
      } catch {
        // not a JSON log line
      }
    }
  });
  return timings;
}

type Unary<Req, Res> = (r: Req, m: grpc.Metadata, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, res: Res) => void) => void;
interface IngestionClient extends grpc.Client {
  write: Unary<ingestion.WriteRequest, ingestion.WriteResponse>;
}
interface SafetyClient extends grpc.Client {
  watchAlarms(r: safety.WatchAlarmsRequest, m: grpc.Metadata): grpc.ClientReadableStream<safety.WatchAlarmsResponse>;
}

function start(name: 'ingestion' | 'safety', env: NodeJS.ProcessEnv): Promise<RunningProcess> {
  return spawnUntilReady(process.execPath, ['-r', join(root, 'scripts/register.cjs'), join(root, 'services', name, 'src/main.ts')], (line) => (line.includes(`${name} service started`) ? true : undefined), {
    timeoutMs: 120_000,
    env: { ...process.env, SERVICE_NAME: name, AUTH_JWT_SECRET: SECRET, AUTH_JWT_DEVELOPMENT: 'true', LOG_LEVEL: name === 'safety' ? 'debug' : 'info', EVENT_BUS: 'postgres', ...env },
  }).then((r) => r.process);
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

/**
 * Ingestion and safety as processes on an embedded PostgreSQL, the petrochemical demo plant's
 * alarm configuration without delays. Every tag gets a normal sample each second (the simulator's
 * load); every 500 ms one probe tag gets a sample above its HH limit through ingestion's Write and
 * the time from Write's acknowledgement to the HH AlarmRaised on a WatchAlarms stream is recorded
 * (then the tag returns to normal).
 */
export async function measureIngestToAlarm(probes: number): Promise<IngestToAlarm> {
  const pg = await startEmbeddedPostgres();
  const running: RunningProcess[] = [];
  const config = JSON.parse(readFileSync(join(root, 'services/safety/config/demo-petrochemical.alarms.json'), 'utf8')) as {
    plantId: string;
    tags: { tagId: string; onDelayS: number; offDelayS: number; limits: Record<string, { value: number }> }[];
  };
  for (const t of config.tags) {
    t.onDelayS = 0;
    t.offDelayS = 0;
  }
  const configFile = join(mkdtempSync(join(tmpdir(), 'safety-bench-')), 'alarms.json');
  writeFileSync(configFile, JSON.stringify(config));
  const token = createDevelopmentToken(SECRET, ['admin'], 'bench');
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  const [ingestionPort, safetyPort] = [await freePort(), await freePort()];
  let stop = false;
  try {
    running.push(await start('ingestion', { DATABASE_URL: pg.url, GRPC_PORT: String(ingestionPort), PLANT_MODEL_FILES: demoPlantPath('petrochemical') }));
    running.push(await start('safety', { DATABASE_URL: pg.url, GRPC_PORT: String(safetyPort), ALARM_CONFIG_FILES: configFile, INGESTION_ADDRESS: `127.0.0.1:${ingestionPort}` }));
    const batchTimings = collectBatchTimings(running[1]!);
    const I = (grpc.loadPackageDefinition(loadProtoPackage('reflux/ingestion/v1/ingestion.proto')) as unknown as { reflux: { ingestion: { v1: { IngestionService: new (a: string, c: grpc.ChannelCredentials) => IngestionClient } } } }).reflux.ingestion.v1.IngestionService;
    const S = (grpc.loadPackageDefinition(loadProtoPackage('reflux/safety/v1/safety.proto')) as unknown as { reflux: { safety: { v1: { SafetyService: new (a: string, c: grpc.ChannelCredentials) => SafetyClient } } } }).reflux.safety.v1.SafetyService;
    const writer = new I(`127.0.0.1:${ingestionPort}`, grpc.credentials.createInsecure());
    const watcher = new S(`127.0.0.1:${safetyPort}`, grpc.credentials.createInsecure());
    const normal = new Map(config.tags.map((t) => [t.tagId, (t.limits.H.value + t.limits.L.value) / 2]));
    const probeTags = config.tags.slice(0, 20);
    let batch = 0;
    const write = (samples: [string, number][], timeMs: number) =>
      new Promise<void>((resolve, reject) =>
        writer.write(
          { batch: { clientBatchId: `bench-${batch++}`, samples: samples.map(([tagId, value]) => ({ tagId, value, quality: 0, time: { seconds: String(Math.floor(timeMs / 1000)), nanos: (timeMs % 1000) * 1e6 } })) } },
          metadata,
          { deadline: Date.now() + 10_000 },
          (error, response) => (error ? reject(error) : response.ack?.rejected.length ? reject(new Error(JSON.stringify(response.ack.rejected[0]))) : resolve()),
        ),
      );

    const waiting = new Map<string, (at: number) => void>();
    const stream = watcher.watchAlarms({ plantId: config.plantId, includeCurrent: false }, metadata);
    stream.on('data', (m: safety.WatchAlarmsResponse) => {
      if (m.eventType === 'AlarmRaised') waiting.get(m.alarm!.alarmId)?.(Date.now());
    });
    stream.on('error', () => undefined);

    let background = 0;
    // a failing probe stops the processes: the background loop then ends without an error of its own
    const backgroundLoop = (async () => {
      while (!stop) {
        const t = Date.now();
        await write([...normal.entries()].filter(([id]) => !probeTags.some((p) => p.tagId === id)), t);
        background += normal.size - probeTags.length;
        await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - t))));
      }
    })().catch((error: unknown) => {
      if (!stop) throw error;
    });
    backgroundLoop.catch(() => undefined);

    for (const p of probeTags) await write([[p.tagId, normal.get(p.tagId)!]], Date.now());
    await new Promise((r) => setTimeout(r, 3000)); // settle: first batches, projection catch-up
    const latencies: number[] = [];
    const stages: Record<Stage, number[]> = { ackToDelivered: [], readRaw: [], evaluateCommit: [], committedToWatch: [] };
    const started = performance.now();
    for (let i = 0; i < probes; i++) {
      const probe = probeTags[i % probeTags.length];
      const alarmId = `${probe.tagId}/HH`;
      const raised = new Promise<number>((resolve) => waiting.set(alarmId, resolve));
      const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(Number.NaN), 10_000));
      await write([[probe.tagId, probe.limits.HH.value + Math.abs(probe.limits.HH.value) * 0.05 + 1]], Date.now());
      const acked = Date.now();
      const at = await Promise.race([raised, timeout]);
      waiting.delete(alarmId);
      if (Number.isNaN(at)) throw new Error(`no AlarmRaised for ${alarmId} within 10 s`);
      latencies.push(at - acked);
      // the probe's batch: one tag, delivered after the ack (safety logs it once evaluated)
      const batch = batchTimings.find((b) => b.tags === 1 && b.firstTag === probe.tagId && b.deliveredAtMs >= acked - 5);
      if (batch) {
        stages.ackToDelivered.push(batch.deliveredAtMs - acked);
        stages.readRaw.push(batch.readAtMs - batch.deliveredAtMs);
        stages.evaluateCommit.push(batch.evaluatedAtMs - batch.readAtMs);
        stages.committedToWatch.push(at - batch.evaluatedAtMs);
      }
      batchTimings.length = 0;
      await write([[probe.tagId, normal.get(probe.tagId)!]], Date.now() + 1);
      await new Promise((r) => setTimeout(r, 500));
    }
    const seconds = (performance.now() - started) / 1000;
    stop = true;
    await backgroundLoop;
    stream.cancel();
    writer.close();
    watcher.close();
    latencies.sort((a, b) => a - b);
    const summary = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted.length === 0 ? { p50: Number.NaN, p99: Number.NaN } : { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) };
    };
    return {
      stagesMs: { ackToDelivered: summary(stages.ackToDelivered), readRaw: summary(stages.readRaw), evaluateCommit: summary(stages.evaluateCommit), committedToWatch: summary(stages.committedToWatch) },
      ingestToAlarmP50Ms: Number(quantile(latencies, 0.5).toFixed(1)),
      ingestToAlarmP99Ms: Number(quantile(latencies, 0.99).toFixed(1)),
      probes: latencies.length,
      backgroundSamplesPerSecond: Math.round(background / seconds),
    };
  } finally {
    stop = true;
    for (const p of running.reverse()) await p.stop('SIGTERM', 20_000).catch(() => undefined);
    await pg.stop();
  }
}
