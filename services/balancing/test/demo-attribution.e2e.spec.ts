import { freePort, type RunningProcess } from '@reflux/testing';
import pino from 'pino';
import { openEventDatabase, type EventDatabase } from './fixtures/event-database';
import { measureAttribution, share, startIngestion, type AttributionSummary } from './fixtures/demo-attribution';

/**
 * The demo scenario through ingestion's real averaging: the simulator's samples of a whole incident
 * cycle (leak, transmitter high, transmitter high, leak with a machine trip) written through a real
 * ingestion process, read back by balancing's ingestion adapter and reconciled, for both demo plants
 * and two seeds. `npm run bench -- balancing-attribution` runs more seeds and prints the rates.
 */
describe('attribution of the demo incidents through ingestion', () => {
  let database: EventDatabase;
  let ingestion: RunningProcess | undefined;
  let summary: AttributionSummary;

  beforeAll(async () => {
    database = await openEventDatabase('balancing_attribution');
    const port = await freePort();
    ingestion = await startIngestion((database.pool.options as { connectionString: string }).connectionString, port);
    summary = await measureAttribution({ ingestionAddress: `127.0.0.1:${port}`, database, plants: ['petrochemical', 'steelworks'], seeds: [1, 2], logger: pino({ enabled: false }) });
  }, 600_000);

  afterAll(async () => {
    await ingestion?.stop('SIGTERM', 20_000);
    await database?.close();
  });

  it('reconciles every hour of the cycle of both plants from the written history', () => {
    expect(summary.windows).toHaveLength(16);
    expect(summary.samplesWritten).toBeGreaterThan(100_000);
  });

  it('names the leaking unit in every leak hour', () => {
    const leaks = summary.windows.filter((w) => w.injected === 'leak');
    expect(leaks.filter((w) => !w.attributed).map((w) => `${w.plantId} seed ${w.seed} hour ${w.cycleHour}: ${w.suspects.join(', ')}`)).toEqual([]);
  });

  it('estimates the leak and the bias it names within 3 sigma of the injected truth', () => {
    const off = summary.windows.filter((w) => w.estimate && Math.abs(w.estimate.value - w.estimate.truth) >= 3 * w.estimate.sigma);
    expect(off.map((w) => `${w.plantId} seed ${w.seed} hour ${w.cycleHour}: ${JSON.stringify(w.estimate)}`)).toEqual([]);
    expect(summary.windows.filter((w) => w.estimate).length).toBeGreaterThanOrEqual(12);
  });

  it('names the biased transmitter in most transmitter hours', () => {
    expect(share(summary.windows.filter((w) => w.injected === 'bias'), (w) => w.attributed)).toBeGreaterThanOrEqual(0.75);
  });

  it('blames nothing else: a leak the mass balance found is not taken for an analyser error by the component balances', () => {
    expect(summary.windows.filter((w) => w.wrongSuspect).map((w) => `${w.plantId} seed ${w.seed} hour ${w.cycleHour}: ${w.suspects.join(', ')}`)).toEqual([]);
  });
});
