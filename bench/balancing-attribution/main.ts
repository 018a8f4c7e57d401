// Attribution of the demo plants' injected incidents: the simulator's samples of whole incident
// cycles (hour 0 leak, hours 1–2 a flow transmitter reading high, hour 3 leak with a machine trip)
// written through a real ingestion process (its own averaging, coverage and good share), read
// back by balancing's ingestion adapter and reconciled and stored as the service does, for both demo
// plants and BENCH_SEEDS seeds (seed s: day s after 2026-10-01, incident cycle 1 + (s − 1) mod 5, so
// five seeds cover the cycles 1–5 of the day and its production-rate changes). Per window: attributed when a
// suspect names the injected unit (loss) or transmitter (bias); wrong when a suspect names anything
// else. α = 0.05, suspects published at once. The last line is one JSON object.
import { freePort, startEmbeddedPostgres } from '@reflux/testing';
import pino from 'pino';
import { openEventDatabase } from '../../services/balancing/test/fixtures/event-database';
import { measureAttribution, share, startIngestion, WRITE_PERIOD_S, type WindowAttribution } from '../../services/balancing/test/fixtures/demo-attribution';

const seeds = Array.from({ length: Number(process.env.BENCH_SEEDS ?? 5) }, (_, i) => i + 1);

async function main(): Promise<void> {
  const started = Date.now();
  const pg = await startEmbeddedPostgres();
  process.env.REFLUX_TEST_POSTGRES_URL = pg.url;
  const database = await openEventDatabase('balancing_attribution_bench');
  const port = await freePort();
  const ingestion = await startIngestion((database.pool.options as { connectionString: string }).connectionString, port);
  try {
    const summary = await measureAttribution({
      ingestionAddress: `127.0.0.1:${port}`,
      database,
      plants: ['petrochemical', 'steelworks'],
      seeds,
      logger: pino({ enabled: false }),
      onWindow: (w) => console.log(`${w.plantId} seed ${w.seed} hour ${w.cycleHour} (${w.injected} at ${w.target}): ${w.attributed ? 'attributed' : 'MISSED'}${w.wrongSuspect ? ' + wrong' : ''} [${w.suspects.join(', ')}]`),
    });
    const byPlant = (pick: (w: WindowAttribution) => boolean) =>
      Object.fromEntries([...new Set(summary.windows.map((w) => w.plantId))].map((p) => [p, Number(share(summary.windows.filter((w) => w.plantId === p && pick(w)), (w) => w.attributed).toFixed(3))]));
    const wrongByPlant = Object.fromEntries([...new Set(summary.windows.map((w) => w.plantId))].map((p) => [p, Number(share(summary.windows.filter((w) => w.plantId === p), (w) => w.wrongSuspect).toFixed(3))]));
    console.log(
      JSON.stringify({
        alpha: 0.05,
        seeds: seeds.length,
        windows: summary.windows.length,
        samplesWritten: summary.samplesWritten,
        writePeriodS: WRITE_PERIOD_S,
        attributionRate: Number(share(summary.windows, (w) => w.attributed).toFixed(3)),
        attributionRateByPlant: byPlant(() => true),
        leakAttributionRateByPlant: byPlant((w) => w.injected === 'leak'),
        biasAttributionRateByPlant: byPlant((w) => w.injected === 'bias'),
        wrongSuspectWindowRateByPlant: wrongByPlant,
        elapsedS: Math.round((Date.now() - started) / 1000),
      }),
    );
  } finally {
    await ingestion.stop('SIGTERM', 20_000);
    await database.close();
    await pg.stop();
  }
}

void main();
