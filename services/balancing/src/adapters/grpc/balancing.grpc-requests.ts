import { convert, spanFromSI, spanToSI, findUnitOfMeasure, type PlantGraph } from '@reflux/plant-model';
import { refluxBalancingV1 as v1, type TimeRange } from '@reflux/proto';
import { windowViolations, type BalanceWindow } from '../../domain/balance-window';
import { invalidRequest, type FieldViolation } from '../../domain/balancing.errors';
import type { TagAverage } from '../../domain/tag-average';
import { isFlowTag } from '../../domain/tag-conversion';

const PLANT_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
export const MAX_MEASUREMENTS = 10_000;
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;
/** Besides flows: tank levels, power (energy figures), temperatures and pressures (steam energy balance). */
const BALANCE_TAG_KINDS: ReadonlySet<string> = new Set(['level', 'power', 'temperature', 'pressure', 'composition']);

/** A protobuf Timestamp as a Date; null when absent or out of range. */
export function timestampToDate(ts: { seconds: string; nanos: number } | null | undefined): Date | null {
  if (!ts) return null;
  const ms = Number(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
  const date = new Date(ms);
  return Number.isFinite(ms) && !Number.isNaN(date.getTime()) ? date : null;
}

export function dateToTimestamp(date: Date | string): { seconds: string; nanos: number } {
  const ms = typeof date === 'string' ? Date.parse(date) : date.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1e6 };
}

export function plantIdViolations(plantId: string, field = 'plant_id'): FieldViolation[] {
  if (plantId === '') return [{ field, description: 'is required' }];
  return PLANT_ID.test(plantId) ? [] : [{ field, description: 'must be 1–128 letters, digits or . _ : / -, starting with a letter or digit' }];
}

function readWindow(range: TimeRange | null | undefined, field: string, violations: FieldViolation[], requireEnd = true): { start: Date | null; end: Date | null } {
  if (!range) {
    violations.push({ field, description: 'is required' });
    return { start: null, end: null };
  }
  const start = timestampToDate(range.startTime);
  const end = timestampToDate(range.endTime);
  if (requireEnd) violations.push(...windowViolations({ start, end }, field));
  else if (!start) violations.push({ field: `${field}.start_time`, description: 'is required' });
  else if (end && end.getTime() <= start.getTime()) violations.push({ field: `${field}.end_time`, description: 'must be after start_time' });
  return { start, end };
}

export interface ReconcileInput {
  readonly plantId: string;
  readonly window: BalanceWindow;
  readonly measurements?: ReadonlyMap<string, TagAverage>;
  readonly alpha?: number;
  readonly dryRun: boolean;
}

/**
 * Validates a Reconcile request against the plant model: every problem is reported at once with
 * its field path (`measurements[3].unit`). Given measurements are converted to their tag's unit.
 */
export function parseReconcileRequest(request: v1.ReconcileRequest, graphOf: (plantId: string) => PlantGraph | undefined): ReconcileInput {
  const violations = plantIdViolations(request.plantId);
  const window = readWindow(request.window, 'window', violations);
  if (request.alpha !== null && request.alpha !== undefined && !(request.alpha > 0 && request.alpha <= 0.5))
    violations.push({ field: 'alpha', description: 'must lie in (0, 0.5]' });
  const graph = violations.some((v) => v.field === 'plant_id') ? undefined : graphOf(request.plantId);
  if (!graph && !violations.some((v) => v.field === 'plant_id')) violations.push({ field: 'plant_id', description: `no plant model for plant "${request.plantId}"` });

  let measurements: Map<string, TagAverage> | undefined;
  if (request.measurements.length > MAX_MEASUREMENTS) violations.push({ field: 'measurements', description: `at most ${MAX_MEASUREMENTS} measurements per call` });
  else if (request.measurements.length > 0 && graph) {
    measurements = new Map();
    request.measurements.forEach((m, i) => {
      const at = `measurements[${i}]`;
      const average = parseMeasurement(m, at, graph, violations);
      if (!average) return;
      if (measurements!.has(average.tagId)) violations.push({ field: `${at}.tag_id`, description: `tag "${average.tagId}" is given twice` });
      else measurements!.set(average.tagId, average);
    });
  }
  if (violations.length > 0) throw invalidRequest(violations);
  return {
    plantId: request.plantId,
    window: { start: window.start!, end: window.end! },
    measurements,
    alpha: request.alpha ?? undefined,
    dryRun: request.dryRun,
  };
}

function parseMeasurement(m: v1.Measurement, at: string, graph: PlantGraph, violations: FieldViolation[]): TagAverage | undefined {
  const before = violations.length;
  const tag = m.tagId === '' ? undefined : graph.findTag(m.tagId);
  if (m.tagId === '') violations.push({ field: `${at}.tag_id`, description: 'is required' });
  else if (!tag) violations.push({ field: `${at}.tag_id`, description: `unknown tag "${m.tagId}" in plant ${graph.plantId}` });
  else if (!(isFlowTag(tag) || BALANCE_TAG_KINDS.has(tag.kind)))
    violations.push({ field: `${at}.tag_id`, description: `tag "${m.tagId}" measures ${tag.kind}; a balance uses flow, level, power, temperature, pressure and composition tags` });
  if (!Number.isFinite(m.value)) violations.push({ field: `${at}.value`, description: 'must be a finite number' });
  const sd = m.standardDeviation ?? undefined;
  if (sd !== undefined && !(Number.isFinite(sd) && sd > 0)) violations.push({ field: `${at}.standard_deviation`, description: 'must be a finite number > 0' });
  const levelChange = m.levelChange ?? undefined;
  if (levelChange !== undefined && !Number.isFinite(levelChange)) violations.push({ field: `${at}.level_change`, description: 'must be a finite number' });
  if (tag?.kind === 'level' && levelChange === undefined) violations.push({ field: `${at}.level_change`, description: 'is required for a level tag (the change over the window)' });
  if (tag && m.unit !== '' && m.unit !== tag.unit) {
    const unit = findUnitOfMeasure(m.unit);
    const tagUnit = findUnitOfMeasure(tag.unit);
    if (!unit) violations.push({ field: `${at}.unit`, description: `unknown unit of measure "${m.unit}"` });
    else if (tagUnit && unit.kind !== tagUnit.kind) violations.push({ field: `${at}.unit`, description: `"${m.unit}" (${unit.kind}) does not convert to the tag's unit "${tag.unit}" (${tagUnit.kind})` });
  }
  if (violations.length > before || !tag) return undefined;
  const from = m.unit === '' ? tag.unit : m.unit;
  const span = (x: number): number => spanFromSI(spanToSI(x, from), tag.unit);
  return {
    tagId: tag.id,
    value: convert(m.value, from, tag.unit),
    ...(sd !== undefined && { standardDeviation: span(sd), sigmaExplicit: true }),
    ...(levelChange !== undefined && { levelChange: span(levelChange) }),
  };
}

/** `start` null: the latest reconciled window of the plant (no `window` in the request). */
export function parseGetBalanceRequest(request: v1.GetBalanceRequest): { plantId: string; start: Date | null; end: Date | null; unitId?: string } {
  const violations = plantIdViolations(request.plantId);
  const window = request.window ? readWindow(request.window, 'window', violations, false) : { start: null, end: null };
  if (violations.length > 0) throw invalidRequest(violations);
  return { plantId: request.plantId, start: window.start, end: window.end, unitId: request.unitId === '' ? undefined : request.unitId };
}

export function parseListSuspectsRequest(request: v1.ListSuspectsRequest): {
  plantId: string;
  from: Date;
  to: Date;
  kind: 'gross-error' | 'loss' | null;
  pageSize: number;
  pageToken: string;
} {
  const violations = plantIdViolations(request.plantId);
  let from: Date | null = null;
  let to: Date | null = null;
  if (!request.range) violations.push({ field: 'range', description: 'is required' });
  else {
    from = timestampToDate(request.range.startTime);
    to = timestampToDate(request.range.endTime);
    if (!from) violations.push({ field: 'range.start_time', description: 'is required' });
    if (!to) violations.push({ field: 'range.end_time', description: 'is required' });
    if (from && to && to.getTime() <= from.getTime()) violations.push({ field: 'range.end_time', description: 'must be after start_time' });
  }
  if (request.pageSize < 0 || request.pageSize > MAX_PAGE_SIZE) violations.push({ field: 'page_size', description: `must be 0 (default ${DEFAULT_PAGE_SIZE}) to ${MAX_PAGE_SIZE}` });
  if (violations.length > 0) throw invalidRequest(violations);
  const kind = request.kind === v1.SuspectKind.SUSPECT_KIND_GROSS_ERROR ? 'gross-error' : request.kind === v1.SuspectKind.SUSPECT_KIND_LOSS ? 'loss' : null;
  return { plantId: request.plantId, from: from!, to: to!, kind, pageSize: request.pageSize || DEFAULT_PAGE_SIZE, pageToken: request.pageToken };
}
