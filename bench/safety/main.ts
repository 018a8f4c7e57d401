import { measureEngineThroughput } from './engine-throughput';

async function main(): Promise<void> {
  const engine = measureEngineThroughput(10_000, 5_000_000);
  console.log(`alarm engine: ${engine.samples} samples of ${engine.configuredTags} tags (${engine.configuredAlarms} alarms), ${engine.transitions} transitions, ${engine.cpuSeconds} s CPU`);
  console.log(JSON.stringify({ samplesPerSecondPerCore: engine.samplesPerSecondPerCore, engine }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
