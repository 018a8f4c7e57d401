/**
 * The demo-plant simulator: streams realistic measurements of a plant model into the ingestion
 * service over its public gRPC API, as a plant's historian connector would.
 *
 * Environment: INGESTION_ADDRESS (127.0.0.1:50051), REFLUX_TOKEN (a token with the `ingest` role),
 * PLANT_MODEL_FILE (default: the demo petrochemical site), SIMULATOR_SEED (42),
 * SIMULATOR_BACKFILL_S (history written at start, default 7200 s), SIMULATOR_START (an ISO time in
 * the past: the simulated plant starts there and runs at wall-clock speed, e.g. just before the
 * scenario's compressor trip), LOG_LEVEL.
 *
 * Data come in 5-second batches aligned to the clock; each batch id names the plant and its time
 * slot, so a restart or a reconnect re-sends nothing twice. Scenario: see daily-scenario.ts.
 */
import { readFileSync } from 'node:fs';
import { createLogger } from '@reflux/observability';
import { demoPlantPath, parsePlantModel, PlantGraph } from '@reflux/plant-model';
import type { refluxIngestionV1 as v1 } from '@reflux/proto';
import { BufferedIngestionWriter } from '@reflux/ingestion-client';
import { opcUaStatusCode } from './adapters/opc-ua-status';
import { createSampleGenerator, dailyDemoScenario, dayStartMs, type SampleGenerator } from '@reflux/plant-simulation';

const SLOT_MS = 5_000;

function intVariable(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}: expected an integer ≥ ${min}, got "${raw}"`);
  return n;
}

/** SIMULATOR_START as an offset from the wall clock (≤ 0: ingestion refuses data from the future). */
function clockOffsetMs(start: string | undefined): number {
  if (start === undefined || start === '') return 0;
  const at = Date.parse(start);
  if (!Number.isFinite(at)) throw new Error(`SIMULATOR_START: expected an ISO-8601 time, got "${start}"`);
  if (at > Date.now()) throw new Error(`SIMULATOR_START: ${start} lies in the future (ingestion refuses future data)`);
  return at - Date.now();
}

async function main(): Promise<void> {
  const logger = createLogger({ service: 'simulator', level: (process.env['LOG_LEVEL'] as 'info') ?? 'info' });
  const address = process.env['INGESTION_ADDRESS'] ?? '127.0.0.1:50051';
  const token = process.env['REFLUX_TOKEN'];
  if (!token) throw new Error('REFLUX_TOKEN: required (a bearer token with the ingest role; `npx reflux token --roles ingest`)');
  const plantFile = process.env['PLANT_MODEL_FILE'] || demoPlantPath('petrochemical');
  const seed = intVariable('SIMULATOR_SEED', 42, 0);
  const backfillMs = intVariable('SIMULATOR_BACKFILL_S', 7200, 0) * 1000;
  const offsetMs = clockOffsetMs(process.env['SIMULATOR_START']);
  /** The simulated plant's clock: the wall clock, or SIMULATOR_START advancing at wall-clock speed. */
  const clock = () => Date.now() + offsetMs;

  const parsed = parsePlantModel(readFileSync(plantFile, 'utf8'), plantFile.endsWith('.json') ? 'json' : 'yaml');
  if (!parsed.ok) throw new Error(`PLANT_MODEL_FILE ${plantFile}: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  const graph = new PlantGraph(parsed.model);
  const plantId = parsed.model.plantId;
  const generators = new Map<number, SampleGenerator>();
  const generatorFor = (timeMs: number) => {
    const day = dayStartMs(timeMs);
    let generator = generators.get(day);
    if (!generator) {
      generator = createSampleGenerator(graph, dailyDemoScenario(graph, day, seed));
      generators.clear();
      generators.set(day, generator);
    }
    return generator;
  };

  // Store-and-forward: while ingestion is away the simulator waits (its slot cursor holds), then
  // resends what was not acknowledged and catches up.
  const writer = new BufferedIngestionWriter({
    address,
    token: () => token,
    maxInFlight: 8,
    onState: (state) => {
      if (state.kind === 'waiting') logger.warn({ reason: state.reason, retryInMs: state.retryInMs, attempt: state.attempt, unacknowledged: state.unacknowledged }, 'waiting for ingestion');
      else if (state.kind === 'streaming') logger.info('ingestion is back; resending unacknowledged batches');
      else if (state.kind === 'failed') logger.error({ reason: state.reason }, 'ingestion refused the simulator');
    },
  });
  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  let cursor = Math.floor((clock() - backfillMs) / SLOT_MS) * SLOT_MS;
  logger.info({ plantId, address, backfillS: backfillMs / 1000, tags: parsed.model.tags.length, startsAt: new Date(cursor).toISOString() }, 'simulator streaming');
  let written = 0;
  let lastReport = Date.now();
  while (!stopping) {
    const now = clock();
    while (!stopping && cursor + SLOT_MS <= now) {
      const slotEnd = cursor + SLOT_MS;
      const samples: v1.Sample[] = generatorFor(cursor)
        .samplesBetween(cursor, slotEnd)
        .map((s) => ({
          tagId: s.tagId,
          time: { seconds: String(Math.floor(s.timestampMs / 1000)), nanos: (s.timestampMs % 1000) * 1e6 },
          value: s.value,
          quality: opcUaStatusCode(s.statusCode, s.quality),
        }));
      // Not awaited: the writer keeps a bounded number of batches in flight and blocks here when full.
      writer.write({ clientBatchId: `sim-${plantId}-${cursor}`, samples }).then(
        (ack) => {
          if (ack.error) logger.error({ batch: ack.clientBatchId, code: ack.error.code, message: ack.error.message }, 'batch refused');
          else if (ack.rejected.length > 0) logger.warn({ batch: ack.clientBatchId, rejected: ack.rejected.slice(0, 5), count: ack.rejected.length }, 'samples rejected');
        },
        () => undefined, // a refused stream fails waitForCapacity below, which ends the simulator
      );
      written += samples.length;
      cursor = slotEnd;
      await writer.waitForCapacity();
    }
    if (Date.now() - lastReport > 60_000) {
      logger.info({ samplesWritten: written, upTo: new Date(cursor).toISOString() }, 'simulator progress');
      lastReport = Date.now();
    }
    await new Promise((r) => setTimeout(r, Math.max(50, cursor + SLOT_MS - clock())));
  }
  await Promise.race([writer.flush(), new Promise((r) => setTimeout(r, 5000))]);
  writer.close();
  logger.info({ samplesWritten: written }, 'simulator stopped');
}

main().catch((error: unknown) => {
  process.stderr.write(`simulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
