import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type ComponentRule, fitMonitoringModel, type FitOptions, type LimitMethod, type MonitoringModel, parseMonitoringModel, parseNumericCsv, type PersistenceRule, scoreRows, selectColumns } from '@reflux/process-monitoring';
import { createOutput, table } from '../output';
import { registerSafetyModelCommands } from './safety-models.command';

/**
 * `reflux safety pca-fit` and `reflux safety pca-score`: offline commissioning of the safety
 * service's multivariate early warning, with the same library the service runs; and the live
 * service's model versions (`models`, `model-fit`, `model-import`, `model-activate`).
 */
export function registerSafetyMonitoringCommands(program: Command): void {
  const safety = program.commands.find((c) => c.name() === 'safety') ?? program.command('safety').description('alarm management and early warning');
  safety
    .command('pca-fit')
    .description('fit a PCA / dynamic-PCA monitoring model on a CSV of normal operation (header of variable names, one row of numbers per sample)')
    .requiredOption('--csv <file>', 'normal-operation CSV')
    .requiredOption('--out <file>', 'where to write the model (JSON)')
    .option('--component-rule <rule>', 'variance:PERCENT | kaiser | parallel[:DATASETS[:PERCENTILE]] | fixed:N', 'variance:90')
    .option('--confidence <p>', 'confidence of the T² and SPE limits', '0.99')
    .option('--lags <n>', 'time lags of dynamic PCA (0: plain PCA)', '0')
    .option('--persistence <rule>', 'N (N consecutive violations) or K/N (K of the last N samples)', '3')
    .option('--limits <method>', 'theoretical | cv[:FOLDS] (cross-validated over contiguous blocks)', 'theoretical')
    .option('--spe-method <method>', 'jackson-mudholkar | box (theoretical limits, no EWMA)', 'jackson-mudholkar')
    .option('--ewma <lambda>', 'EWMA weight of the monitored T² and SPE (1: raw statistics)', '1')
    .option('--seed <n>', 'seed of parallel analysis', '1')
    .option('--json', 'print the model summary as JSON')
    .action((o: FitCommandOptions) => {
      const table_ = parseNumericCsv(readFileSync(o.csv, 'utf8'));
      const model = fitMonitoringModel(table_, fitOptions(o));
      writeFileSync(o.out, JSON.stringify(model, null, 2) + '\n');
      const summary = modelSummary(model, o.out);
      createOutput(o.json === true).result(summary, () => table(['', ''], Object.entries(summary).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)])));
    });
  safety
    .command('pca-score')
    .description('score a CSV row by row with a monitoring model: T², SPE and the warning decision of its persistence rule')
    .requiredOption('--model <file>', 'model written by pca-fit')
    .requiredOption('--csv <file>', 'CSV with a column for each of the model’s variables')
    .option('--json', 'print { limits, rows, summary } as JSON')
    .action((o: { model: string; csv: string; json?: boolean }) => {
      const model = parseMonitoringModel(readFileSync(o.model, 'utf8'));
      const rows = selectColumns(parseNumericCsv(readFileSync(o.csv, 'utf8')), model.variables);
      const report = scoreRows(model, rows);
      createOutput(o.json === true).result(report, () => {
        const s = report.summary;
        return [
          `limits (${100 * report.limits.confidence} %): T² ${report.limits.t2.toPrecision(5)}, SPE ${report.limits.spe.toPrecision(5)}`,
          `${s.rows} rows, ${s.violations} beyond a limit, ${s.flagged} flagged (${s.flaggedPercent.toFixed(1)} %), ${s.warningsRaised} warning(s), first flagged row ${s.firstFlaggedRow ?? '-'}`,
          ...(s.topContributors.length > 0 ? ['', table(['top contributor', 'flagged rows'], s.topContributors.map((c) => [c.variable, c.flaggedRows]))] : []),
        ].join('\n');
      });
    });
  registerSafetyModelCommands(safety);
}

interface FitCommandOptions {
  csv: string;
  out: string;
  componentRule: string;
  confidence: string;
  lags: string;
  persistence: string;
  limits: string;
  speMethod: string;
  ewma: string;
  seed: string;
  json?: boolean;
}

function integer(option: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`${option}: expected an integer ≥ ${min}, got "${text}"`);
  return n;
}

function number(option: string, text: string): number {
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x)) throw new Error(`${option}: expected a number, got "${text}"`);
  return x;
}

export function componentRule(text: string, seed: number): ComponentRule {
  const [kind, a, b] = text.split(':');
  if (kind === 'variance') return { kind: 'cumulative-variance', percent: number('--component-rule', a ?? '90') };
  if (kind === 'kaiser' && a === undefined) return { kind: 'kaiser' };
  if (kind === 'parallel') return { kind: 'parallel-analysis', datasets: integer('--component-rule', a ?? '20', 1), percentile: number('--component-rule', b ?? '95'), seed };
  if (kind === 'fixed' && a !== undefined) return { kind: 'fixed', components: integer('--component-rule', a, 1) };
  throw new Error(`--component-rule: expected variance:PERCENT, kaiser, parallel[:DATASETS[:PERCENTILE]] or fixed:N, got "${text}"`);
}

export function persistenceRule(text: string): PersistenceRule {
  const m = /^(\d+)(?:\/(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`--persistence: expected N (consecutive) or K/N (K of the last N), got "${text}"`);
  return m[2] === undefined ? { kind: 'consecutive', count: Number(m[1]) } : { kind: 'k-of-n', k: Number(m[1]), n: Number(m[2]) };
}

function limitMethod(text: string): LimitMethod {
  if (text === 'theoretical') return { kind: 'theoretical' };
  const m = /^cv(?::(\d+))?$/.exec(text);
  if (!m) throw new Error(`--limits: expected theoretical or cv[:FOLDS], got "${text}"`);
  return { kind: 'cross-validated', folds: Number(m[1] ?? 5) };
}

function fitOptions(o: FitCommandOptions): FitOptions {
  if (o.speMethod !== 'jackson-mudholkar' && o.speMethod !== 'box') throw new Error(`--spe-method: expected jackson-mudholkar or box, got "${o.speMethod}"`);
  return {
    componentRule: componentRule(o.componentRule, integer('--seed', o.seed, 0)),
    confidence: number('--confidence', o.confidence),
    lags: integer('--lags', o.lags, 0),
    persistence: persistenceRule(o.persistence),
    limitMethod: limitMethod(o.limits),
    speMethod: o.speMethod,
    ewmaLambda: number('--ewma', o.ewma),
  };
}

function modelSummary(m: MonitoringModel, out: string) {
  const total = m.eigenvalues.reduce((s, l) => s + l, 0);
  const explained = m.eigenvalues.slice(0, m.components).reduce((s, l) => s + l, 0);
  return {
    model: out,
    variables: m.variables.length,
    lags: m.lags,
    trainingSamples: m.trainingSamples,
    components: m.components,
    explainedVariancePercent: total > 0 ? (100 * explained) / total : 0,
    constantVariables: m.features.filter((_, j) => m.scaling.scale[j] === 0),
    limits: m.limits,
    ewmaLambda: m.ewma.lambda,
    persistence: m.persistence,
  };
}
