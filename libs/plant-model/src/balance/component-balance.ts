import type { PlantGraph } from '../graph/plant-graph';
import { carriesMass } from '../graph/plant-graph';
import type { Stream, Unit, UnitType } from '../model/plant-model.schema';
import type { BalanceResult } from './unit-balance';

/** Unit types in which components react or burn: no component balance unless the model lists components. */
export const REACTIVE_UNIT_TYPES: ReadonlySet<UnitType> = new Set<UnitType>([
  'reactor',
  'furnace',
  'boiler',
  'converter',
  'blastFurnace',
  'stove',
  'cokeOven',
  'ladleFurnace',
  'flare',
  'consumer',
]);

/** Well-mixed unit types: every outlet leaves with the composition of the mixed content. */
export const WELL_MIXED_UNIT_TYPES: ReadonlySet<UnitType> = new Set<UnitType>(['header', 'mixer', 'splitter', 'compressor', 'blower', 'pump']);

/**
 * Whether the unit conserves the mass of a component: the model's `conservedComponents` when
 * given, otherwise every component for a non-reactive unit type. A unit with an inventory never
 * gets a component balance here: the composition of its hold-up change is not modelled.
 */
export const conservesComponent = (unit: Unit, component: string): boolean => {
  if (unit.inventory) return false;
  if (unit.conservedComponents !== undefined) return unit.conservedComponents.includes(component);
  return !REACTIVE_UNIT_TYPES.has(unit.type);
};

/** Whether every outlet of the unit has the same composition: the model's flag, else by unit type. */
export const outletsShareComposition = (unit: Unit): boolean => unit.outletsShareComposition ?? WELL_MIXED_UNIT_TYPES.has(unit.type);

/**
 * Mass fraction of a component in a stream at nominal: the declared value, 0 when the stream
 * declares a composition without it, undefined when the stream declares no composition.
 */
export const nominalMassFraction = (stream: Stream, component: string): number | undefined => {
  const composition = stream.nominal.composition;
  if (composition === undefined) return undefined;
  return composition[component] ?? 0;
};

/** Components named in the declared compositions of a unit's mass-carrying streams, sorted. */
export const componentsAtUnit = (graph: PlantGraph, unitId: string): string[] => {
  const names = new Set<string>();
  for (const s of [...graph.streamsIn(unitId), ...graph.streamsOut(unitId)]) for (const c of Object.keys(s.nominal.composition ?? {})) names.add(c);
  return [...names].sort();
};

/**
 * Σ in F·w − Σ out F·w of one component over one unit at nominal flows and compositions, kg/s.
 * Undefined when the unit does not conserve the component or one of its mass-carrying streams
 * declares no composition (its content of the component is then unknown).
 */
export const nominalComponentBalance = (graph: PlantGraph, unitId: string, component: string): BalanceResult | undefined => {
  if (!conservesComponent(graph.unit(unitId), component)) return undefined;
  const flowOf = (streams: readonly Stream[]): number | undefined => {
    let total = 0;
    for (const s of streams.filter(carriesMass)) {
      const w = nominalMassFraction(s, component);
      if (w === undefined) return undefined;
      total += (s.nominal.massFlowKgPerS ?? 0) * w;
    }
    return total;
  };
  const inflow = flowOf(graph.streamsIn(unitId));
  const outflow = flowOf(graph.streamsOut(unitId));
  if (inflow === undefined || outflow === undefined) return undefined;
  return { unitId, inflow, outflow, accumulation: 0, residual: inflow - outflow };
};
