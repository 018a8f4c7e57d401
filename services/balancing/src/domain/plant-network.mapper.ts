import { carriesMass, fromSI, spanFromSI, type PlantGraph, type Stream } from '@reflux/plant-model';
import { accumulationFromLevel, accumulationId, type Network, type NetworkNode, type NetworkStream } from '@reflux/reconciliation';
import { massPerReading } from './flow-compensation';
import type { SigmaSource, TagAverage } from './tag-average';
import { averageReader, combineEstimates, flowToKgPerS, isFlowTag, levelToMetres, tagSigma, type AverageSelection } from './tag-conversion';

/** How one plant stream entered the reconciliation network. */
export interface StreamMapping {
  readonly streamId: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly medium: string;
  /** Every flow tag of the stream; `usedTagIds` those whose average went into the measurement. */
  readonly tagIds: readonly string[];
  readonly usedTagIds: readonly string[];
  readonly measured: boolean;
  /** Inverse-variance mean of the used meters (what the stream's meters say together). */
  readonly valueKgPerS: number | null;
  readonly sigmaKgPerS: number | null;
  /**
   * Each used meter as its own measurement, in `usedTagIds` order. With two or more, each is a
   * network flow of its own (`networkId`), the first keeping the stream id.
   */
  readonly meters: readonly MeterMapping[];
  /** A tie-line that may flow either way: no lower bound at 0 (the meters' negative span, if any, bounds it). */
  readonly bidirectional: boolean;
}

/** One flow meter's reading of a stream, as a measurement of the stream's one mass flow. */
export interface MeterMapping {
  readonly tagId: string;
  readonly streamId: string;
  /** Network flow carrying this meter's measurement: the stream id, or `<stream>@<tag>` for the second meter on. */
  readonly networkId: string;
  readonly valueKgPerS: number;
  readonly sigmaKgPerS: number;
  /** The top of the meter's span as mass flow: the flow cannot be reconciled above it. */
  readonly spanMaxKgPerS: number | null;
  /** The bottom of the meter's span as mass flow when it is negative (a meter of a bidirectional tie-line). */
  readonly spanMinKgPerS: number | null;
  /** kg/s per SI unit of the reading this window (the design conversion, or the pressure/temperature-compensated one). */
  readonly kgPerSPerReadingSI: number;
}

/** A tank or holder whose hold-up change is part of its balance. */
export interface TankMapping {
  readonly unitId: string;
  /** Network id of its accumulation (`<unit>/accumulation`). */
  readonly accumulationId: string;
  readonly levelTagIds: readonly string[];
  readonly measured: boolean;
  readonly valueKgPerS: number | null;
  readonly sigmaKgPerS: number | null;
}

export interface PlantNetwork {
  readonly network: Network;
  readonly streams: readonly StreamMapping[];
  readonly tanks: readonly TankMapping[];
  /** Why a tag or stream could not be used (missing density, no data, bad quality). */
  readonly warnings: readonly string[];
  /** Meters of streams with two or more used meters, by network id (`meterSegmentId`). */
  readonly redundantMeters: ReadonlyMap<string, MeterMapping>;
  /** Junctions between the meter segments of a stream: network nodes that are no plant unit. */
  readonly meterJunctionIds: ReadonlySet<string>;
}

export interface MappingOptions extends AverageSelection {
  /** Window length, s: the Δt of tank accumulation. */
  readonly windowS: number;
  readonly sigmaSource: SigmaSource;
}

/**
 * Maps a plant model and the window averages of its tags to a material-balance network in SI
 * (kg/s): nodes are the units that carry mass streams, edges the mass-carrying streams (material
 * streams and utilities such as steam or fuel gas; electricity and heat are left to the energy
 * figures), boundary streams have a null end. A stream is measured when at least one of its flow
 * tags has a usable average: volumetric flows are converted with the stream's density, normal
 * volumetric flows with its normal density, and meters with `compensation` in the plant model with
 * the density at the live temperature and pressure (`massPerReading`). Several meters on one stream are each a measurement of
 * the one flow: the stream becomes a chain of segments, one per meter, joined at junctions that
 * cannot leak (`<stream>@<tag>`), so the meters' agreement counts as redundancy in every test and a
 * meter that disagrees is named itself. A meter's span bounds the flow from above (the top of its
 * range as mass flow): a reconciled flow beyond what the meter can read is not plausible. Flows are
 * bounded below by 0, except on tie-lines the plant model marks `bidirectional`: those may run
 * backwards, down to the bottom of their meter's span when it is negative, unbounded otherwise. Tanks (units with an inventory) get an accumulation term from their level change ×
 * area × density / Δt, unmeasured when no level tag has data.
 */
export function buildPlantNetwork(graph: PlantGraph, averages: ReadonlyMap<string, TagAverage>, options: MappingOptions): PlantNetwork {
  const warnings: string[] = [];
  const massStreams = graph.massStreams().filter((s) => s.from !== null || s.to !== null);
  const nodeIds = new Set<string>();
  for (const s of massStreams) {
    if (s.from !== null) nodeIds.add(s.from);
    if (s.to !== null) nodeIds.add(s.to);
  }

  const { usable, sigmaOf } = averageReader(averages, options, warnings);

  const streamMappings: StreamMapping[] = massStreams.map((stream) => {
    const flowTags = graph.tagsOfStream(stream.id).filter(isFlowTag);
    const estimates: { value: number; sigma: number }[] = [];
    const usedTagIds: string[] = [];
    const meters: MeterMapping[] = [];
    for (const tag of flowTags) {
      const average = usable(tag);
      if (!average) continue;
      const k = massPerReading(graph, tag, stream, usable, warnings);
      const converted = flowToKgPerS(tag, stream, average.value, sigmaOf(tag, average), k);
      if (!converted) {
        warnings.push(`tag ${tag.id}: ${tag.kind} needs the ${tag.kind === 'volumetricFlow' ? 'density' : 'normal density'} of stream ${stream.id}, which the plant model does not give; not used`);
        continue;
      }
      if (!(converted.sigma > 0)) {
        warnings.push(`tag ${tag.id}: zero uncertainty; not used`);
        continue;
      }
      estimates.push(converted);
      usedTagIds.push(tag.id);
      const spanMax = tag.range.max > 0 ? flowToKgPerS(tag, stream, tag.range.max, 0, k)?.value : undefined;
      const spanMin = stream.bidirectional === true && tag.range.min < 0 ? flowToKgPerS(tag, stream, tag.range.min, 0, k)?.value : undefined;
      meters.push({
        tagId: tag.id,
        streamId: stream.id,
        networkId: meters.length === 0 ? stream.id : meterSegmentId(stream.id, tag.id),
        valueKgPerS: converted.value,
        sigmaKgPerS: converted.sigma,
        spanMaxKgPerS: spanMax !== undefined && Number.isFinite(spanMax) ? spanMax : null,
        spanMinKgPerS: spanMin !== undefined && Number.isFinite(spanMin) ? spanMin : null,
        kgPerSPerReadingSI: k!,
      });
    }
    const combined = estimates.length > 0 ? combineEstimates(estimates) : undefined;
    return {
      streamId: stream.id,
      from: stream.from,
      to: stream.to,
      medium: stream.medium,
      tagIds: flowTags.map((t) => t.id),
      usedTagIds,
      measured: combined !== undefined,
      valueKgPerS: combined?.value ?? null,
      sigmaKgPerS: combined?.sigma ?? null,
      meters,
      bidirectional: stream.bidirectional === true,
    };
  });

  const tanks: TankMapping[] = [];
  const nodes: NetworkNode[] = [...nodeIds].map((unitId) => {
    const inventory = graph.unit(unitId).inventory;
    if (!inventory) return { id: unitId };
    const levelTags = graph.tagsOfUnit(unitId).filter((t) => t.kind === 'level');
    const estimates: { value: number; sigma: number }[] = [];
    for (const tag of levelTags) {
      const average = usable(tag);
      if (!average) continue;
      if (average.levelChange === undefined || !Number.isFinite(average.levelChange)) {
        warnings.push(`tag ${tag.id}: no level change over the window; not used`);
        continue;
      }
      const levelSigma = levelToMetres(tag, tagSigma(tag, average.value), inventory.heightM);
      const acc = accumulationFromLevel({
        levelChange_m: levelToMetres(tag, average.levelChange, inventory.heightM),
        // the change is the difference of two readings with independent errors
        levelChangeSigma_m: Math.SQRT2 * levelSigma,
        area_m2: inventory.areaM2,
        density_kg_per_m3: inventory.densityKgPerM3,
        interval_s: options.windowS,
      });
      if (acc.sigma > 0) estimates.push(acc);
    }
    const combined = estimates.length > 0 ? combineEstimates(estimates) : undefined;
    tanks.push({
      unitId,
      accumulationId: accumulationId(unitId),
      levelTagIds: levelTags.map((t) => t.id),
      measured: combined !== undefined,
      valueKgPerS: combined?.value ?? null,
      sigmaKgPerS: combined?.sigma ?? null,
    });
    // A hold-up may fill or empty: no sign bound on the accumulation.
    return {
      id: unitId,
      accumulation: combined ? { measured: true, value: combined.value, sigma: combined.sigma, lower: null } : { measured: false, lower: null },
    };
  });

  const networkStreams: NetworkStream[] = [];
  const redundantMeters = new Map<string, MeterMapping>();
  const meterJunctionIds = new Set<string>();
  for (const m of streamMappings) {
    if (m.meters.length < 2) {
      const upper = m.meters[0]?.spanMaxKgPerS;
      networkStreams.push({
        id: m.streamId,
        from: m.from,
        to: m.to,
        measured: m.measured,
        ...(m.measured && { value: m.valueKgPerS, sigma: m.sigmaKgPerS }),
        ...(upper != null && { upper }),
        ...(m.bidirectional && { lower: m.meters[0]?.spanMinKgPerS ?? null }),
      });
      continue;
    }
    // from → [meter 1] → stream@tag2 → [meter 2] → … → to: one flow, measured by each meter
    m.meters.forEach((meter, i) => {
      const next = m.meters[i + 1];
      const to = next ? next.networkId : m.to;
      if (next) {
        meterJunctionIds.add(next.networkId);
        nodes.push({ id: next.networkId, leakCandidate: false });
      }
      networkStreams.push({
        id: meter.networkId,
        from: i === 0 ? m.from : meter.networkId,
        to,
        measured: true,
        value: meter.valueKgPerS,
        sigma: meter.sigmaKgPerS,
        ...(meter.spanMaxKgPerS !== null && { upper: meter.spanMaxKgPerS }),
        ...(m.bidirectional && { lower: meter.spanMinKgPerS }),
      });
      redundantMeters.set(meter.networkId, meter);
    });
  }
  return { network: { nodes, streams: networkStreams, flowUnit: 'kg/s' }, streams: streamMappings, tanks, warnings, redundantMeters, meterJunctionIds };
}

/** Network id of a stream's second or later meter; also the id of the junction the meter's segment leaves from. */
export const meterSegmentId = (streamId: string, tagId: string): string => `${streamId}@${tagId}`;

/**
 * Tag averages at the plant model's nominal state (nominal flows, stream temperatures, pressures,
 * compositions and power in each tag's unit, tank levels moving at their nominal rate): what a perfectly instrumented plant at design would report. Used
 * for the classification of the instrumentation and as a test fixture.
 */
export function nominalTagAverages(graph: PlantGraph, windowS: number): Map<string, TagAverage> {
  const averages = new Map<string, TagAverage>();
  // flow tags last: a compensated meter reads the nominal flow through the nominal temperature and pressure
  const tags = [...graph.tags()].sort((a, b) => Number(isFlowTag(a)) - Number(isFlowTag(b)));
  for (const tag of tags) {
    if (tag.streamId !== undefined && isFlowTag(tag)) {
      const stream: Stream = graph.stream(tag.streamId);
      const k = massPerReading(graph, tag, stream, (t) => averages.get(t.id), []);
      const massFlow = stream.nominal.massFlowKgPerS;
      if (k === undefined || massFlow === undefined || !carriesMass(stream)) continue;
      averages.set(tag.id, { tagId: tag.id, value: fromSI(massFlow / k, tag.unit) });
    } else if (tag.unitId !== undefined && tag.kind === 'level') {
      const inventory = graph.unit(tag.unitId).inventory;
      if (!inventory) continue;
      const asTagUnit = (metres: number): number => (tag.unit === '%' || tag.unit === '1' || tag.unit === 'mass fraction' ? spanFromSI(metres / inventory.heightM, tag.unit) : spanFromSI(metres, tag.unit));
      averages.set(tag.id, {
        tagId: tag.id,
        value: asTagUnit(inventory.nominalLevelM),
        levelChange: asTagUnit(inventory.nominalLevelRateMPerS * windowS),
      });
    } else if (tag.kind === 'power' && tag.streamId !== undefined) {
      const power = graph.stream(tag.streamId).nominal.powerW;
      if (power !== undefined) averages.set(tag.id, { tagId: tag.id, value: fromSI(power, tag.unit) });
    } else if (tag.kind === 'composition' && tag.streamId !== undefined && tag.component !== undefined) {
      const fraction = graph.stream(tag.streamId).nominal.composition?.[tag.component];
      if (fraction !== undefined) averages.set(tag.id, { tagId: tag.id, value: fromSI(fraction, tag.unit) });
    } else if ((tag.kind === 'temperature' || tag.kind === 'pressure') && tag.streamId !== undefined) {
      const nominal = graph.stream(tag.streamId).nominal;
      const si = tag.kind === 'temperature' ? nominal.temperatureK : nominal.pressurePa;
      if (si !== undefined) averages.set(tag.id, { tagId: tag.id, value: fromSI(si, tag.unit) });
    }
  }
  return averages;
}
