import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { refluxSafetyV1 as v1 } from '@reflux/proto';
import { callCredentials, resolveToken } from '../grpc/connection';
import { unary } from '../grpc/ingestion-client';
import { safetyClient, type SafetyClient } from '../grpc/safety-client';
import { fromTimestamp, parseInstant, toTimestamp } from '../io/time';
import { createOutput, table } from '../output';

interface CommonOptions {
  address: string;
  token?: string;
  json?: boolean;
  plant: string;
}

interface GridOptions {
  samplePeriod: string;
  maxHold?: string;
}

function common(command: Command): Command {
  return command
    .option('--plant <id>', 'plant id', process.env['REFLUX_PLANT'] ?? 'demo-petrochemical-site')
    .option('--address <host:port>', 'safety gRPC address', process.env['REFLUX_SAFETY_ADDRESS'] ?? '127.0.0.1:50054')
    .option('--token <jwt>', 'bearer token (default: REFLUX_TOKEN, or the embedded default development secret)')
    .option('--json', 'print one JSON object');
}

function grid(command: Command): Command {
  return command
    .option('--sample-period <s>', 'grid of the model rows: each tag’s latest good value every this many seconds', '10')
    .option('--max-hold <s>', 'skip a row while a value is older than this many seconds (default: ten sample periods)');
}

function positive(option: string, text: string): number {
  const x = Number(text);
  if (text.trim() === '' || !(x > 0) || !Number.isFinite(x)) throw new Error(`${option}: expected a positive number, got "${text}"`);
  return x;
}

function wholeNumber(option: string, text: string | undefined): number {
  if (text === undefined) return 0;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${option}: expected a whole number ≥ 0, got "${text}"`);
  return n;
}

const gridOf = (o: GridOptions): v1.MonitoringGrid => ({ samplePeriodS: positive('--sample-period', o.samplePeriod), maxHoldS: o.maxHold === undefined ? 0 : positive('--max-hold', o.maxHold) });

/** A model version's id on the command line: `<unit>@<version>` (as `reflux safety models` prints it). */
export function parseModelId(text: string): { unitId: string; version: number } {
  const at = text.lastIndexOf('@');
  const version = Number(text.slice(at + 1));
  if (at <= 0 || !Number.isInteger(version) || version < 1) throw new Error(`model id: expected UNIT@VERSION (e.g. K-2001@2, as \`reflux safety models\` prints it), got "${text}"`);
  return { unitId: text.slice(0, at), version };
}

const modelId = (m: v1.MonitoringModelVersion) => `${m.unitId}@${m.version}`;

function modelView(m: v1.MonitoringModelVersion) {
  return {
    id: modelId(m),
    unitId: m.unitId,
    version: m.version,
    active: m.active,
    tagIds: m.tagIds,
    lags: m.lags,
    components: m.components,
    confidence: m.confidence,
    t2Limit: m.t2Limit,
    speLimit: m.speLimit,
    persistence: m.persistence,
    samplePeriodS: m.grid?.samplePeriodS ?? null,
    maxHoldS: m.grid?.maxHoldS ?? null,
    origin: m.origin,
    trainingFrom: fromTimestamp(m.trainingRange?.startTime),
    trainingTo: fromTimestamp(m.trainingRange?.endTime),
    trainingRows: m.trainingRows,
    importName: m.importName,
    registered: fromTimestamp(m.registeredTime),
    registeredBy: m.registeredBy,
  };
}

const HEADER = ['id', 'active', 'tags', 'lags', 'PCs', 'conf.', 'T² limit', 'SPE limit', 'persistence', 'origin', 'registered', 'by'];
const row = (m: ReturnType<typeof modelView>) => [m.id, m.active ? 'yes' : '', m.tagIds.length, m.lags, m.components, m.confidence, m.t2Limit.toPrecision(4), m.speLimit.toPrecision(4), m.persistence, m.origin === 'import' ? `import ${m.importName}` : `${m.origin} ${m.trainingRows} rows`, m.registered, m.registeredBy];

async function withClient<T>(o: CommonOptions, use: (client: SafetyClient, metadata: ReturnType<typeof callCredentials>) => Promise<T>): Promise<T> {
  const client = safetyClient(o.address);
  try {
    return await use(client, callCredentials(resolveToken(o)));
  } finally {
    client.close();
  }
}

/** The tags of `unitId` in the plant's live alarm configuration (the default variables of a fit). */
async function unitTags(client: SafetyClient, metadata: ReturnType<typeof callCredentials>, plantId: string, unitId: string): Promise<string[]> {
  const r = await unary(client.getAlarmConfiguration, client, { plantId }, metadata);
  const document = JSON.parse(r.documentJson) as { tags: { tagId: string; unitId?: string }[] };
  const tags = document.tags.filter((t) => t.unitId === unitId).map((t) => t.tagId);
  if (tags.length < 2) throw new Error(`--tags: the alarm configuration of ${plantId} gives unit ${unitId} ${tags.length} tag(s); name at least 2 with --tags`);
  return tags;
}

/**
 * `reflux safety models`, `model-fit`, `model-import` and `model-activate`: the live early warning's
 * monitoring models, managed through the safety service (ListMonitoringModels, FitMonitoringModel,
 * ImportMonitoringModel, ActivateMonitoringModel).
 */
export function registerSafetyModelCommands(safety: Command): void {
  common(safety.command('models').description('monitoring model versions of the live early warning (newest first per unit)'))
    .option('--unit <id>', 'only this unit')
    .action(async (o: CommonOptions & { unit?: string }) => {
      const r = await withClient(o, (client, metadata) => unary(client.listMonitoringModels, client, { plantId: o.plant, unitId: o.unit ?? '', includeModelJson: false }, metadata));
      const models = r.models.map(modelView);
      createOutput(o.json === true).result({ plantId: o.plant, models }, () => (models.length === 0 ? `no monitoring models for ${o.plant}${o.unit ? ` unit ${o.unit}` : ''}` : table(HEADER, models.map(row))));
    });

  grid(common(safety.command('model-fit').description('fit a PCA / dynamic-PCA model of a unit on a normal-operation period of its history, in the safety service')))
    .requiredOption('--unit <id>', 'unit the model watches')
    .requiredOption('--from <time>', 'start of the normal-operation period (ISO 8601, epoch ms, -24h)')
    .requiredOption('--to <time>', 'end of the period, exclusive (at most 14 days after --from)')
    .option('--tags <ids>', 'comma-separated variables (default: the unit’s tags in the alarm configuration)')
    .option('--confidence <p>', 'confidence of the T² and SPE limits (service default 0.99)')
    .option('--lags <n>', 'time lags of dynamic PCA (0: plain PCA)', '0')
    .option('--consecutive <n>', 'consecutive violating rows that raise a warning (service default 3)')
    .option('--components <n>', 'fixed number of principal components (default: the library’s rule)')
    .option('--ewma <lambda>', 'EWMA weight of the monitored statistics in (0, 1] (service default 1)')
    .option('--activate', 'make it the unit’s active model')
    .action(async (o: CommonOptions & GridOptions & { unit: string; from: string; to: string; tags?: string; confidence?: string; lags: string; consecutive?: string; components?: string; ewma?: string; activate?: boolean }) => {
      const range = { startTime: toTimestamp(parseInstant(o.from)), endTime: toTimestamp(parseInstant(o.to)) };
      const gridSettings = gridOf(o);
      const request = {
        plantId: o.plant,
        unitId: o.unit,
        trainingRange: range,
        grid: gridSettings,
        confidence: o.confidence === undefined ? 0 : positive('--confidence', o.confidence),
        lags: wholeNumber('--lags', o.lags),
        consecutiveViolations: wholeNumber('--consecutive', o.consecutive),
        components: wholeNumber('--components', o.components),
        ewmaLambda: o.ewma === undefined ? 0 : positive('--ewma', o.ewma),
        activate: o.activate === true,
      };
      const r = await withClient(o, async (client, metadata) => {
        const tagIds = o.tags === undefined ? await unitTags(client, metadata, o.plant, o.unit) : o.tags.split(',').map((t) => t.trim()).filter((t) => t !== '');
        return unary(client.fitMonitoringModel, client, { ...request, tagIds }, metadata, 300_000);
      });
      const model = modelView(r.model!);
      createOutput(o.json === true).result(model, () => [table(HEADER, [row(model)]), `variables: ${model.tagIds.join(', ')}`].join('\n'));
    });

  grid(common(safety.command('model-import').description('store a `reflux safety pca-fit` model document as the unit’s next model version')))
    .requiredOption('--file <model.json>', 'model written by `reflux safety pca-fit` (its variables must be configured tags)')
    .requiredOption('--unit <id>', 'unit the model watches')
    .option('--name <text>', 'name recorded with the version (default: the file name)')
    .option('--activate', 'make it the unit’s active model')
    .action(async (o: CommonOptions & GridOptions & { file: string; unit: string; name?: string; activate?: boolean }) => {
      const modelJson = readFileSync(o.file, 'utf8');
      const request = { plantId: o.plant, unitId: o.unit, modelJson, name: o.name ?? basename(o.file), grid: gridOf(o), activate: o.activate === true };
      const r = await withClient(o, (client, metadata) => unary(client.importMonitoringModel, client, request, metadata, 60_000));
      const model = modelView(r.model!);
      createOutput(o.json === true).result(model, () => table(HEADER, [row(model)]));
    });

  common(safety.command('model-activate').description('make a stored model version the one its unit’s early warning scores with'))
    .argument('<id>', 'model version as UNIT@VERSION (see `reflux safety models`)')
    .action(async (id: string, o: CommonOptions) => {
      const { unitId, version } = parseModelId(id);
      await withClient(o, (client, metadata) => unary(client.activateMonitoringModel, client, { plantId: o.plant, unitId, version }, metadata));
      createOutput(o.json === true).result({ plantId: o.plant, id, unitId, version, active: true }, () => `${id} is the active model of ${unitId}`);
    });
}
