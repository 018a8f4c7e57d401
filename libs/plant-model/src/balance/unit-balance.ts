import type { PlantGraph } from '../graph/plant-graph';
import { carriesMass } from '../graph/plant-graph';
import type { Stream } from '../model/plant-model.schema';

export interface BalanceResult {
  readonly unitId: string;
  /** Σ in, Σ out and accumulation, kg/s (mass) or W (energy). */
  readonly inflow: number;
  readonly outflow: number;
  readonly accumulation: number;
  /** in − out − accumulation. */
  readonly residual: number;
}

/** Mass flow of a stream in kg/s; defaults to the nominal. */
export type MassFlowOf = (stream: Stream) => number;

export const nominalMassFlow: MassFlowOf = (stream) => stream.nominal.massFlowKgPerS ?? 0;

/** Inventory change of a tank or holder, kg/s, from its nominal level rate. */
export const nominalAccumulationKgPerS = (graph: PlantGraph, unitId: string): number => {
  const inventory = graph.unit(unitId).inventory;
  return inventory ? inventory.areaM2 * inventory.densityKgPerM3 * inventory.nominalLevelRateMPerS : 0;
};

/** Σ in − Σ out − accumulation over the mass-carrying streams of one unit. */
export const massBalance = (
  graph: PlantGraph,
  unitId: string,
  massFlowOf: MassFlowOf = nominalMassFlow,
  accumulationKgPerS: number = nominalAccumulationKgPerS(graph, unitId),
): BalanceResult => {
  const inflow = sum(graph.streamsIn(unitId).filter(carriesMass).map(massFlowOf));
  const outflow = sum(graph.streamsOut(unitId).filter(carriesMass).map(massFlowOf));
  return { unitId, inflow, outflow, accumulation: accumulationKgPerS, residual: inflow - outflow - accumulationKgPerS };
};

/**
 * Energy carried by a stream, W: its power, or mass flow × specific enthalpy. Undefined when the
 * stream's energy is not specified.
 */
export const nominalEnergyFlowW = (stream: Stream): number | undefined => {
  if (!carriesMass(stream)) return stream.nominal.powerW;
  const { massFlowKgPerS, specificEnthalpyJPerKg } = stream.nominal;
  return massFlowKgPerS === undefined || specificEnthalpyJPerKg === undefined ? undefined : massFlowKgPerS * specificEnthalpyJPerKg;
};

/**
 * Σ in − Σ out − accumulation of energy for one unit at nominal values, W, or undefined when one of
 * its streams has no specified energy. Enthalpies are on a heating-value basis: fuels carry their
 * lower heating value, so combustion needs no source term. A tank or holder whose inventory changes
 * accumulates at the mass-weighted enthalpy of its inflows (inventory at inlet conditions).
 */
export const nominalEnergyBalance = (graph: PlantGraph, unitId: string): BalanceResult | undefined => {
  const inbound = graph.streamsIn(unitId);
  const inboundEnergy = inbound.map(nominalEnergyFlowW);
  const outboundEnergy = graph.streamsOut(unitId).map(nominalEnergyFlowW);
  if ([...inboundEnergy, ...outboundEnergy].some((value) => value === undefined)) return undefined;
  const inflow = sum(inboundEnergy as number[]);
  const outflow = sum(outboundEnergy as number[]);
  const accumulatedMass = nominalAccumulationKgPerS(graph, unitId);
  let accumulation = 0;
  if (accumulatedMass !== 0) {
    const massIn = sum(inbound.filter(carriesMass).map(nominalMassFlow));
    const enthalpyIn = sum(inbound.filter(carriesMass).map((s) => nominalMassFlow(s) * (s.nominal.specificEnthalpyJPerKg ?? 0)));
    accumulation = massIn > 0 ? (accumulatedMass * enthalpyIn) / massIn : 0;
  }
  return { unitId, inflow, outflow, accumulation, residual: inflow - outflow - accumulation };
};

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
