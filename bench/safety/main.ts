import { measureEngineThroughput } from './engine-throughput';
import { measureIngestToAlarm } from './ingest-to-alarm';

/**
 * `npm run bench -- safety [--engine-only]`: alarm-engine throughput on one core with 10,000
 * configured tags, then the latency from ingestion's acknowledgement of a sample to its
 * AlarmRaised, with ingestion and safety running as processes.
 */
async function main(): Promise<void> {
  const engine = measureEngineThroughput(10_000, 5_000_000);
  console.log(`alarm engine: ${engine.samples} samples of ${engine.configuredTags} tags (${engine.configuredAlarms} alarms), ${engine.transitions} transitions, ${engine.cpuSeconds} s CPU`);
  const endToEnd = process.argv.includes('--engine-only') ? undefined : await measureIngestToAlarm(Number(process.env['BENCH_PROBES'] ?? 200));
  if (endToEnd) console.log(`ingest → AlarmRaised over ${endToEnd.probes} probes with ${endToEnd.backgroundSamplesPerSecond} background samples/s: p50 ${endToEnd.ingestToAlarmP50Ms} ms, p99 ${endToEnd.ingestToAlarmP99Ms} ms`);
  if (endToEnd) for (const [stage, q] of Object.entries(endToEnd.stagesMs)) console.log(`  ${stage}: p50 ${q.p50} ms, p99 ${q.p99} ms`);
  console.log(
    JSON.stringify({
      samplesPerSecondPerCore: engine.samplesPerSecondPerCore,
      ...(endToEnd && { ingestToAlarmP50Ms: endToEnd.ingestToAlarmP50Ms, ingestToAlarmP99Ms: endToEnd.ingestToAlarmP99Ms, probes: endToEnd.probes, backgroundSamplesPerSecond: endToEnd.backgroundSamplesPerSecond, stagesMs: endToEnd.stagesMs }),
      engine,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
