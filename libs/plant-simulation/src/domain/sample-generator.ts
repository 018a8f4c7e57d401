import { fromSI, unitOfMeasure, type PlantGraph, type Tag } from '@reflux/plant-model';
import { InventoryIntegrator } from './inventory-integrator';
import { processStateAt, type ProcessState } from './process-state';
import { gaussian } from './random';
import type { Sample } from './sample';
import type { Scenario } from './scenario.schema';
import { slowWave } from './slow-wave';
import { streamCompositionsAt, type StreamCompositions } from './stream-composition';

export interface SampleGenerator {
  /** Scenario time zero, ms since the Unix epoch. */
  readonly epochMs: number;
  /** One sample of every tag at this instant. */
  samplesAt(timestampMs: number): Sample[];
  /** Every tag on its own sampling grid (aligned to the epoch) in [fromMs, toMs), by time then tag. */
  samplesBetween(fromMs: number, toMs: number): Sample[];
  /** One tag at one instant. */
  sample(tagId: string, timestampMs: number): Sample;
  /** The true value a perfect instrument would read, in the tag's unit. */
  trueValue(tagId: string, timestampMs: number): number;
  /** The true process state (SI) at an instant. */
  stateAt(timestampMs: number): ProcessState;
}

/**
 * Deterministic sample generator: the same plant, scenario and timestamp always give the same
 * sample, whatever else was asked before. Noise is Gaussian with each tag's standard deviation;
 * a value beyond the tag's range is clamped and marked uncertain; a failing transmitter reads
 * biased, then sticks with bad quality.
 */
export const createSampleGenerator = (graph: PlantGraph, scenario: Scenario): SampleGenerator => {
  const epochMs = Date.parse(scenario.epoch);
  const integrator = new InventoryIntegrator(graph, scenario);
  const stateCache = new Map<number, ProcessState>();
  const stateAt = (timestampMs: number): ProcessState => {
    let state = stateCache.get(timestampMs);
    if (!state) {
      if (stateCache.size > 64) stateCache.clear();
      state = processStateAt(graph, scenario, (timestampMs - epochMs) / 1000);
      stateCache.set(timestampMs, state);
    }
    return state;
  };

  const trueValue = (tag: Tag, timestampMs: number): number => fromSI(trueValueSI(graph, scenario, integrator, tag, stateAt(timestampMs)), tag.unit);

  const noisy = (tag: Tag, timestampMs: number): number => {
    const value = trueValue(tag, timestampMs);
    if (tag.kind === 'state') return value; // a digital state is read exactly
    const span = tag.range.max - tag.range.min;
    const sd =
      tag.uncertainty.basis === 'absolute'
        ? tag.uncertainty.standardDeviation
        : (tag.uncertainty.standardDeviation / 100) * (tag.uncertainty.basis === 'percentOfSpan' ? span : Math.abs(value));
    let reading = value + sd * gaussian(scenario.seed, tag.id, timestampMs);
    for (const incident of scenario.incidents) {
      if (incident.kind !== 'transmitterFailure' || incident.target !== tag.id) continue;
      const t = (timestampMs - epochMs) / 1000;
      if (t >= incident.startS && t < incident.startS + incident.durationS) reading += (incident.biasPercentOfSpan / 100) * span;
    }
    return reading;
  };

  const sample = (tagId: string, timestampMs: number): Sample => {
    const tag = graph.tag(tagId);
    const t = (timestampMs - epochMs) / 1000;
    const failure = scenario.incidents.find(
      (incident) =>
        incident.kind === 'transmitterFailure' &&
        incident.target === tagId &&
        incident.stuckAfterS !== undefined &&
        t >= incident.startS + incident.stuckAfterS &&
        t < incident.startS + incident.durationS,
    );
    if (failure && failure.kind === 'transmitterFailure') {
      const stuckAtMs = epochMs + (failure.startS + failure.stuckAfterS!) * 1000;
      return { tagId, timestampMs, value: clamp(noisy(tag, stuckAtMs), tag), quality: 'bad', statusCode: 'Bad_SensorFailure' };
    }
    const reading = noisy(tag, timestampMs);
    if (reading < tag.range.min || reading > tag.range.max)
      return { tagId, timestampMs, value: clamp(reading, tag), quality: 'uncertain', statusCode: 'Uncertain_EngineeringUnitsExceeded' };
    return { tagId, timestampMs, value: reading, quality: 'good', statusCode: 'Good' };
  };

  return {
    epochMs,
    stateAt,
    sample,
    trueValue: (tagId, timestampMs) => trueValue(graph.tag(tagId), timestampMs),
    samplesAt: (timestampMs) => graph.tags().map((tag) => sample(tag.id, timestampMs)),
    samplesBetween(fromMs, toMs) {
      const samples: Sample[] = [];
      for (const tag of graph.tags()) {
        const periodMs = tag.samplingPeriodS * 1000;
        const first = Math.ceil((fromMs - epochMs) / periodMs);
        for (let k = first; epochMs + k * periodMs < toMs; k++) samples.push(sample(tag.id, epochMs + Math.round(k * periodMs)));
      }
      return samples.sort((a, b) => a.timestampMs - b.timestampMs || (a.tagId < b.tagId ? -1 : a.tagId > b.tagId ? 1 : 0));
    },
  };
};

const clamp = (value: number, tag: Tag) => Math.min(tag.range.max, Math.max(tag.range.min, value));

const compositionCache = new WeakMap<ProcessState, StreamCompositions>();
/** Stream compositions of a state (mixing at well-mixed units), computed once per state. */
const compositionsOf = (graph: PlantGraph, state: ProcessState): StreamCompositions => {
  let compositions = compositionCache.get(state);
  if (!compositions) {
    compositions = streamCompositionsAt(graph, state);
    compositionCache.set(state, compositions);
  }
  return compositions;
};

/** What the tag measures, SI, in a given process state. */
const trueValueSI = (graph: PlantGraph, scenario: Scenario, integrator: InventoryIntegrator, tag: Tag, state: ProcessState): number => {
  if (tag.unitId !== undefined) {
    const unit = graph.unit(tag.unitId);
    const wave = (suffix: string) => slowWave(scenario.seed, `${unit.id}:${suffix}`, state.timeS);
    switch (tag.kind) {
      case 'level': {
        const level = integrator.levelM(unit.id, state.timeS, state);
        return unitOfMeasure(tag.unit).kind === 'fraction' ? level / unit.inventory!.heightM : level;
      }
      case 'temperature':
        return unit.operating!.temperatureK! + scenario.drift.temperatureK * wave('T');
      case 'pressure':
        return unit.operating!.pressurePa! * (1 + scenario.drift.pressureFraction * wave('P'));
      case 'state':
        return 1; // the scenario scripts no state changes: the unit's second state (e.g. Running) throughout
      default:
        throw new Error(`tag ${tag.id}: a ${tag.kind} tag cannot measure a unit`);
    }
  }
  const stream = graph.stream(tag.streamId!);
  const n = stream.nominal;
  const m = state.massFlowKgPerS.get(stream.id) ?? 0;
  switch (tag.kind) {
    case 'massFlow':
      return m;
    case 'volumetricFlow':
      return m / n.densityKgPerM3!;
    case 'normalVolumetricFlow':
      return m / n.normalDensityKgPerNm3!;
    case 'temperature':
      return state.temperatureK.get(stream.id)!;
    case 'pressure':
      return state.pressurePa.get(stream.id)!;
    case 'power':
      return state.powerW.get(stream.id)!;
    case 'specificEnthalpy':
      return state.specificEnthalpyJPerKg.get(stream.id)!;
    case 'density':
      return n.densityKgPerM3!;
    case 'composition':
      return compositionsOf(graph, state).get(stream.id)?.[tag.component!] ?? 0;
    case 'level':
      throw new Error(`tag ${tag.id}: a level tag measures a unit`);
    case 'state':
      return 1;
  }
};

