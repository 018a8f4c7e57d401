import { carriesMass, type PlantGraph, type Stream } from '@reflux/plant-model';
import type { ReconciliationResult, StreamResult } from '@reflux/reconciliation';
import { testSummary, type BalanceRecord, type GrossErrorRecord, type LossRecord, type MeasurementSourceName, type StreamRecord, type UnitClosureRecord, type YieldRecord } from './balance-record';
import type { WindowIso } from './balance-window';
import { componentBalance } from './component-balance';
import { energyFigures } from './energy-kpis';
import { meterSegmentId, type MeterMapping, type PlantNetwork, type StreamMapping } from './plant-network.mapper';
import type { TagAverage } from './tag-average';
import { steamEnergyBalance } from './steam-energy-balance';
import { kgPerSToTagUnit, type AverageSelection } from './tag-conversion';

export interface BuildRecordInput {
  readonly graph: PlantGraph;
  readonly plantModelVersion: number;
  readonly window: WindowIso;
  readonly source: MeasurementSourceName;
  readonly alpha: number;
  readonly mapping: PlantNetwork;
  readonly averages: ReadonlyMap<string, TagAverage>;
  readonly result: ReconciliationResult;
  /** Sigma source and usability thresholds of the window averages (component balances). */
  readonly averaging?: AverageSelection;
}

/** Turns a reconciliation result into the stored balance: streams with their tags, closures, yields, suspects mapped to tags. */
export function buildBalanceRecord(input: BuildRecordInput): BalanceRecord {
  const { graph, mapping, result } = input;
  const byStream = new Map(mapping.streams.map((s) => [s.streamId, s]));
  const tankByAccumulation = new Map(mapping.tanks.map((t) => [t.accumulationId, t]));

  const resultById = new Map<string, StreamResult>(result.streams.map((s) => [s.id, s]));
  const { redundantMeters, meterJunctionIds } = mapping;
  // the second and later meters of a stream are segments of the network, not streams of the plant
  const plantFlows = result.streams.filter((s) => (redundantMeters.get(s.id)?.streamId ?? s.id) === s.id);
  const streams: StreamRecord[] = plantFlows.map((s) => {
    const m = byStream.get(s.id);
    const tank = tankByAccumulation.get(s.id);
    if (m && m.meters.length > 1) return meteredStream(m, s, resultById);
    return {
      streamId: s.id,
      from: m ? m.from : (tank?.unitId ?? null),
      to: m ? m.to : null,
      medium: m?.medium ?? 'holdup',
      tagIds: m?.usedTagIds.length ? m.usedTagIds : (m?.tagIds ?? tank?.levelTagIds ?? []),
      accumulation: s.kind === 'accumulation',
      measured: s.measured,
      measuredKgPerS: s.measuredValue,
      reconciledKgPerS: s.reconciled,
      sigmaKgPerS: s.sigma,
      adjustmentKgPerS: s.adjustment,
      measurementTest: s.measurementTest,
      classification: s.classification,
      grossError: s.grossError,
    };
  });

  const units: UnitClosureRecord[] = result.nodes.filter((node) => !meterJunctionIds.has(node.id)).map((node) => {
    const inbound = mapping.streams.filter((s) => s.to === node.id).map((s) => resultById.get(s.streamId)?.reconciled ?? null);
    const outbound = mapping.streams.filter((s) => s.from === node.id).map((s) => resultById.get(s.streamId)?.reconciled ?? null);
    const tank = mapping.tanks.find((t) => t.unitId === node.id);
    const inflow = sumOrNull(inbound);
    const outflow = sumOrNull(outbound);
    const accumulation = tank ? (resultById.get(tank.accumulationId)?.reconciled ?? null) : 0;
    const ratio = (imbalance: number | null): number | null => (imbalance !== null && inflow !== null && inflow > 0 ? imbalance / inflow : null);
    return {
      unitId: node.id,
      imbalanceBeforeKgPerS: node.imbalanceBefore,
      imbalanceAfterKgPerS: node.imbalanceAfter,
      inflowKgPerS: inflow,
      outflowKgPerS: outflow,
      accumulationKgPerS: accumulation,
      closureBeforeRatio: ratio(node.imbalanceBefore),
      closureAfterRatio: ratio(node.imbalanceAfter),
      nodalTest: node.nodalTest,
      suspect: node.suspect,
    };
  });

  const grossErrors: GrossErrorRecord[] = [];
  const losses: LossRecord[] = [];
  for (const e of result.grossErrors) {
    if (e.kind === 'leak') {
      losses.push({ unitId: e.id, lossKgPerS: e.magnitude ?? 0, sigmaKgPerS: e.sigma ?? 0, testStatistic: e.glr, criticalValue: e.glrCritical, equivalentIds: e.equivalent });
      continue;
    }
    const meter = redundantMeters.get(e.id);
    const m = byStream.get(meter?.streamId ?? e.id);
    const tank = tankByAccumulation.get(e.id);
    const tagId = meter?.tagId ?? m?.usedTagIds[0] ?? tank?.levelTagIds[0];
    if (tagId === undefined) continue; // an unmeasured flow cannot carry a bias
    const tag = graph.tag(tagId);
    const bias = e.magnitude ?? 0;
    const k = (meter ?? m?.meters.find((x) => x.tagId === tagId))?.kgPerSPerReadingSI;
    const inTagUnit = m ? kgPerSToTagUnit(tag, graph.stream(m.streamId), bias, k) : undefined;
    grossErrors.push({
      tagId,
      streamId: m?.streamId ?? e.id,
      biasKgPerS: bias,
      sigmaKgPerS: e.sigma ?? 0,
      biasTagUnit: inTagUnit ?? bias,
      tagUnit: inTagUnit === undefined ? 'kg/s' : tag.unit,
      relativePercent: e.relative === null ? null : 100 * e.relative,
      testStatistic: e.glr,
      criticalValue: e.glrCritical,
      equivalentIds: e.equivalent.map((id) => meterHypothesisId(id, redundantMeters)),
    });
  }

  const reconciled = new Map<string, number | null>(result.streams.map((s) => [s.id, s.reconciled]));
  const steam = steamEnergyBalance(graph, mapping, input.averages, input.alpha, input.averaging);
  const components = componentBalance(graph, mapping, input.averages, {
    alpha: input.alpha,
    biasedFlowStreamIds: new Set(result.grossErrors.filter((e) => e.kind === 'bias').map((e) => redundantMeters.get(e.id)?.streamId ?? e.id)),
    flowEstimates: reconciled,
    unitLosses: new Map(losses.map((l) => [l.unitId, l.lossKgPerS])),
    ...input.averaging,
  });
  grossErrors.push(...components.grossErrors);
  return {
    plantId: graph.plantId,
    plantModelVersion: input.plantModelVersion,
    window: input.window,
    source: input.source,
    alpha: input.alpha,
    globalTest: testSummary(result.globalTest),
    globalTestAfter: testSummary(result.globalTestAfter),
    measurementTestCritical: Number.isFinite(result.measurementTestCritical) ? result.measurementTestCritical : null,
    counts: streamCounts(streams, units.length),
    streams,
    units,
    yields: unitYields(graph, mapping, resultById),
    grossErrors,
    losses,
    energy: energyFigures(graph, reconciled, input.averages, units),
    steamBalance: steam.record ?? null,
    componentBalance: components.record ?? null,
    solver: result.solver,
    warnings: [...mapping.warnings, ...steam.warnings, ...components.warnings],
  };
}

/** A stream measured by several meters: their mean as the measurement, and each meter's own figures. */
function meteredStream(m: StreamMapping, first: StreamResult, results: ReadonlyMap<string, StreamResult>): StreamRecord {
  const segments = m.meters.map((meter) => ({ meter, result: results.get(meter.networkId)! }));
  const tests = segments.map((s) => s.result.measurementTest).filter((t): t is number => t !== null);
  const reconciled = first.reconciled;
  return {
    streamId: m.streamId,
    from: m.from,
    to: m.to,
    medium: m.medium,
    tagIds: m.usedTagIds,
    accumulation: false,
    measured: true,
    measuredKgPerS: m.valueKgPerS,
    reconciledKgPerS: reconciled,
    sigmaKgPerS: first.sigma,
    adjustmentKgPerS: reconciled === null || m.valueKgPerS === null ? null : reconciled - m.valueKgPerS,
    measurementTest: tests.length > 0 ? Math.max(...tests) : null,
    // the stream's classification by its first meter; with two meters on it, it is redundant at least
    classification: first.classification,
    grossError: segments.some((s) => s.result.grossError),
    meters: segments.map(({ meter, result }) => ({
      tagId: meter.tagId,
      measuredKgPerS: meter.valueKgPerS,
      sigmaKgPerS: meter.sigmaKgPerS,
      adjustmentKgPerS: result.adjustment,
      measurementTest: result.measurementTest,
      grossError: result.grossError,
    })),
  };
}

/** `bias:<network flow>` of a stream's meter segment as `bias:<stream>@<tag>`; other hypotheses as they are. */
function meterHypothesisId(id: string, meters: ReadonlyMap<string, MeterMapping>): string {
  const meter = id.startsWith('bias:') ? meters.get(id.slice('bias:'.length)) : undefined;
  return meter ? `bias:${meterSegmentId(meter.streamId, meter.tagId)}` : id;
}

/** Counts over the plant's streams and hold-ups (a stream with several meters counts once). */
function streamCounts(streams: readonly StreamRecord[], balanceEquations: number): BalanceRecord['counts'] {
  const count = (classification: StreamRecord['classification']): number => streams.filter((s) => s.classification === classification).length;
  return {
    streams: streams.length,
    measured: streams.filter((s) => s.measured).length,
    redundant: count('redundant'),
    nonredundant: count('nonredundant'),
    observable: count('observable'),
    unobservable: count('unobservable'),
    balanceEquations,
  };
}

/** Without redundancy (dof 0) the library may give no finite critical value: stored as 0 (nothing to test). */

const sumOrNull = (values: readonly (number | null)[]): number | null =>
  values.some((v) => v === null) ? null : (values as number[]).reduce((a, b) => a + b, 0);

/**
 * Reconciled yields: each outlet of a unit over the unit's total reconciled inlet (material streams
 * for process units, every mass-carrying stream for utility units). The
 * standard deviation is first order, treating outlet and inlet total as independent (it
 * overstates the spread a little where they share measurements). When the feed of a unit is not
 * observable (an unmeasured charge), the yields are relative to the sum of its outlets instead.
 */
function unitYields(graph: PlantGraph, mapping: PlantNetwork, results: ReadonlyMap<string, StreamResult>): YieldRecord[] {
  const yields: YieldRecord[] = [];
  const unitIds = [...new Set(mapping.streams.flatMap((s) => [s.from, s.to]).filter((id): id is string => id !== null))];
  for (const unitId of unitIds) {
    // Process units: material feeds and products (steam, cooling water and fuel are not yields);
    // utility units (headers, boilers): every mass-carrying stream.
    const material = graph.streamsIn(unitId).some((s) => s.kind === 'material');
    const counts = (s: Stream): boolean => (material ? s.kind === 'material' : carriesMass(s));
    const inlets = graph.streamsIn(unitId).filter(counts).map((s) => results.get(s.id));
    const outlets = graph.streamsOut(unitId).filter(counts).map((s) => ({ stream: s, result: results.get(s.id) }));
    if (inlets.length === 0 || outlets.length === 0) continue;
    const known = (r: StreamResult | undefined): r is StreamResult & { reconciled: number } => r !== undefined && r.reconciled !== null;
    const basis: 'inlet' | 'outlet' = inlets.every(known) ? 'inlet' : 'outlet';
    const base = basis === 'inlet' ? inlets : outlets.map((o) => o.result);
    if (!base.every(known)) continue;
    const total = base.reduce((a, r) => a + r!.reconciled!, 0);
    if (!(total > 0)) continue;
    const totalVariance = base.reduce((a, r) => a + (r!.sigma ?? 0) ** 2, 0);
    for (const { stream, result: r } of outlets) {
      if (!known(r)) continue;
      const ratio = r.reconciled / total;
      const relOut = r.reconciled !== 0 && r.sigma !== null ? (r.sigma / r.reconciled) ** 2 : 0;
      const sigmaRatio = r.sigma === null ? null : Math.abs(ratio) * Math.sqrt(relOut + totalVariance / (total * total));
      yields.push({ unitId, streamId: stream.id, medium: stream.medium, ratio, massFlowKgPerS: r.reconciled, sigmaRatio, basis });
    }
  }
  return yields;
}
