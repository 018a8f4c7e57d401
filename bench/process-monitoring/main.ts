// `npm run bench -- process-monitoring`: fit time and streaming-scorer throughput of the recommended
// TEP monitoring model (52 variables, one lag: 104 features), on the shared Tennessee Eastman data.
import { StreamingScorer, fitMonitoringModel } from '@reflux/process-monitoring';
import { RECOMMENDED_OPTIONS, PLAIN_PCA_OPTIONS } from '../../libs/process-monitoring/src/tep/tep-benchmark';
import { readTep, TEP_VARIABLES } from '../../libs/process-monitoring/src/tep/tep-data';

const train = readTep('d00.dat');
const test = readTep('d11_te.dat');
const figures: Record<string, number> = {};
for (const [name, options] of [['plainPca', PLAIN_PCA_OPTIONS], ['recommended', RECOMMENDED_OPTIONS]] as const) {
  let t0 = process.hrtime.bigint();
  const model = fitMonitoringModel({ variables: TEP_VARIABLES, rows: train }, options);
  const fitMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const scorer = new StreamingScorer(model);
  const samples = 100 * test.length;
  t0 = process.hrtime.bigint();
  for (let i = 0; i < samples; i++) scorer.score(test[i % test.length]!);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${name}: ${model.features.length} features, ${model.components} components, fit ${fitMs.toFixed(0)} ms, ${samples} samples scored in ${seconds.toFixed(2)} s`);
  figures[`${name}FitMs`] = Math.round(fitMs);
  figures[`${name}SamplesPerSecondPerCore`] = Math.round(samples / seconds);
}
console.log(JSON.stringify(figures));
