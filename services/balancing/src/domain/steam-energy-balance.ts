import { carriesMass, spanToSI, toSI, type PlantGraph, type Stream, type Tag } from '@reflux/plant-model';
import { reconcileEnergyNetwork, saturationTemperature, type EnergyStream, type Quantity } from '@reflux/reconciliation';
import { testSummary, type TestSummary } from './balance-findings';
import type { PlantNetwork } from './plant-network.mapper';
import type { TagAverage } from './tag-average';
import { averageReader, combineEstimates, type AverageSelection } from './tag-conversion';

/** Units whose energy balance is adiabatic steam/water mixing or throttling. */
export const STEAM_BALANCE_UNIT_TYPES: ReadonlySet<string> = new Set(['header', 'letdown', 'desuperheater']);
/** Media whose enthalpy IAPWS-IF97 gives. */
export const WATER_MEDIA: ReadonlySet<string> = new Set(['steam', 'water', 'condensate', 'bfw', 'boilerFeedWater']);
/** Margin from saturation, K: closer than this the phase (and the enthalpy) is ambiguous. */
const SATURATION_MARGIN_K = 1;

export interface SteamTemperatureRecord {
  readonly streamId: string;
  readonly tagIds: readonly string[];
  readonly measuredK: number | null;
  readonly reconciledK: number | null;
  readonly sigmaK: number | null;
  readonly measurementTest: number | null;
  readonly classification: string;
  /** Measurement test above the critical value (the thermometers of one balance share it: it flags the balance, not one instrument). */
  readonly suspect: boolean;
}

/** Joint mass and energy reconciliation of the steam system's headers and letdown stations. */
export interface SteamBalanceRecord {
  readonly unitIds: readonly string[];
  readonly globalTest: TestSummary;
  readonly measurementTestCritical: number | null;
  readonly temperatures: readonly SteamTemperatureRecord[];
  readonly iterations: number;
}

/**
 * Mass and energy balances of the steam headers, letdown stations and desuperheaters (adiabatic:
 * Σ F·h(p, T) in = out, enthalpy from IAPWS-IF97), reconciled together with the flows (raw
 * measurements, as in the mass balance) and the stream temperatures from their temperature tags.
 * A unit joins only when every stream it has is water or steam with a pressure (tag average or
 * nominal) and a nominal temperature clear of saturation, so the phase is certain. Results are
 * informational: mass gross errors and leaks come from the mass reconciliation. Undefined when no
 * unit qualifies; problems are returned as warnings.
 */
export function steamEnergyBalance(
  graph: PlantGraph,
  mapping: PlantNetwork,
  allAverages: ReadonlyMap<string, TagAverage>,
  alpha: number,
  selection: AverageSelection = {},
): { record?: SteamBalanceRecord; warnings: string[] } {
  const warnings: string[] = [];
  // temperatures and pressures pass the same checks as flows (coverage, good share, finite, samples)
  const { usable, sigmaOf } = averageReader(allAverages, selection, warnings);
  const averages = new Map<string, TagAverage>();
  for (const tag of graph.tags()) {
    if ((tag.kind !== 'temperature' && tag.kind !== 'pressure') || tag.streamId === undefined || !WATER_MEDIA.has(graph.stream(tag.streamId).medium)) continue;
    const average = usable(tag);
    if (average) averages.set(tag.id, average);
  }
  const pressureOf = (s: Stream): number | undefined => {
    const estimates = graph
      .tagsOfStream(s.id)
      .filter((t) => t.kind === 'pressure' && averages.has(t.id))
      .map((t) => toSI(averages.get(t.id)!.value, t.unit));
    return estimates.length > 0 ? estimates.reduce((a, b) => a + b, 0) / estimates.length : s.nominal.pressurePa;
  };
  const phaseCertain = (s: Stream): boolean => {
    const p = pressureOf(s);
    const T = s.nominal.temperatureK;
    if (!WATER_MEDIA.has(s.medium) || p === undefined || T === undefined || p >= 22.064e6) return false;
    const Tsat = saturationTemperature(p);
    return s.medium === 'steam' ? T > Tsat + SATURATION_MARGIN_K : T < Tsat - SATURATION_MARGIN_K;
  };
  const unitIds = graph
    .units()
    .filter((u) => STEAM_BALANCE_UNIT_TYPES.has(u.type))
    .filter((u) => {
      const streams = [...graph.streamsIn(u.id), ...graph.streamsOut(u.id)];
      if (streams.length === 0 || streams.some((s) => !carriesMass(s))) return false;
      const unclear = streams.filter((s) => !phaseCertain(s));
      if (unclear.length > 0 && streams.every((s) => WATER_MEDIA.has(s.medium)))
        warnings.push(`steam balance: unit ${u.id} left out (no pressure, no temperature or near saturation: ${unclear.map((s) => s.id).join(', ')})`);
      return unclear.length === 0;
    })
    .map((u) => u.id);
  if (unitIds.length === 0) return { warnings };

  const inside = new Set(unitIds);
  const flows = new Map(mapping.streams.map((m) => [m.streamId, m]));
  const touching = graph.streams().filter((s) => (s.from !== null && inside.has(s.from)) || (s.to !== null && inside.has(s.to)));
  const temperatureTags = new Map<string, Tag[]>();
  const streams: EnergyStream[] = touching.map((s) => {
    const m = flows.get(s.id);
    const flow: Quantity = m?.measured ? { measured: true, value: m.valueKgPerS!, sigma: m.sigmaKgPerS! } : { measured: false, initial: s.nominal.massFlowKgPerS ?? 1 };
    const tags = graph.tagsOfStream(s.id).filter((t) => t.kind === 'temperature' && averages.has(t.id));
    temperatureTags.set(s.id, tags);
    const readings = tags.map((t) => {
      const a = averages.get(t.id)!;
      return { value: toSI(a.value, t.unit), sigma: spanToSI(sigmaOf(t, a), t.unit) };
    });
    const temperature: Quantity = readings.length > 0 ? { measured: true, ...combineEstimates(readings) } : { measured: false, initial: s.nominal.temperatureK };
    return {
      id: s.id,
      from: s.from !== null && inside.has(s.from) ? s.from : null,
      to: s.to !== null && inside.has(s.to) ? s.to : null,
      flow_kg_per_s: flow,
      temperature_K: temperature,
      pressure_Pa: pressureOf(s),
    };
  });

  try {
    const result = reconcileEnergyNetwork({ nodes: unitIds.map((id) => ({ id })), streams }, { alpha, maxEliminations: 0 });
    const byId = new Map(result.variables.map((v) => [v.id, v]));
    return {
      warnings,
      record: {
        unitIds,
        globalTest: testSummary(result.globalTest),
        measurementTestCritical: Number.isFinite(result.measurementTestCritical) ? result.measurementTestCritical : null,
        temperatures: streams.map((s) => {
          const v = byId.get(`${s.id}.temperature`);
          return {
            streamId: s.id,
            tagIds: (temperatureTags.get(s.id) ?? []).map((t) => t.id),
            measuredK: s.temperature_K?.measured ? (s.temperature_K.value ?? null) : null,
            reconciledK: v?.reconciled ?? null,
            sigmaK: v?.sigma ?? null,
            measurementTest: v?.measurementTest ?? null,
            classification: v?.classification ?? 'unobservable',
            suspect: v?.suspect ?? false,
          };
        }),
        iterations: result.iterations,
      },
    };
  } catch (error) {
    warnings.push(`steam balance not reconciled: ${(error as Error).message}`);
    return { warnings };
  }
}
