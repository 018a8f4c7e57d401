import { carriesMass, type PlantGraph } from '@reflux/plant-model';
import { processStateAt, type ProcessState } from './process-state';
import type { Scenario } from './scenario.schema';

/** Integration step for tank and holder levels, s. */
export const LEVEL_STEP_S = 10;

/** Net mass accumulation of an inventory unit in a given state, kg/s. */
export const accumulationKgPerS = (graph: PlantGraph, unitId: string, state: ProcessState): number => {
  const into = graph.streamsIn(unitId).filter(carriesMass).reduce((sum, s) => sum + state.massFlowKgPerS.get(s.id)!, 0);
  const out = graph.streamsOut(unitId).filter(carriesMass).reduce((sum, s) => sum + state.massFlowKgPerS.get(s.id)!, 0);
  return into - out - (state.inventoryLossKgPerS.get(unitId) ?? 0);
};

/**
 * Levels of tanks and holders: nominal level at the epoch plus the integral (trapezoidal, fixed
 * step) of the net inflow. Integrals at step boundaries are memoised, so the result does not depend
 * on the order in which times are asked for; the level is held within [0, height].
 */
export class InventoryIntegrator {
  /** Cumulative level change (m) per unit at k × LEVEL_STEP_S. */
  private readonly cumulative = new Map<string, number[]>();
  private readonly rates: number[][] = [];
  private readonly units: string[];

  constructor(
    private readonly graph: PlantGraph,
    private readonly scenario: Scenario,
  ) {
    this.units = graph.units().filter((unit) => unit.inventory).map((unit) => unit.id);
    for (const id of this.units) this.cumulative.set(id, [0]);
  }

  levelM(unitId: string, timeS: number, stateAtTime: ProcessState): number {
    const inventory = this.graph.unit(unitId).inventory;
    if (!inventory) throw new Error(`unit ${unitId} has no inventory`);
    const rateAt = (state: ProcessState) => accumulationKgPerS(this.graph, unitId, state) / (inventory.areaM2 * inventory.densityKgPerM3);
    let change: number;
    if (timeS <= 0) change = rateAt(stateAtTime) * timeS;
    else {
      const k = Math.floor(timeS / LEVEL_STEP_S);
      this.extendTo(k);
      const index = this.units.indexOf(unitId);
      const partial = timeS - k * LEVEL_STEP_S;
      change = this.cumulative.get(unitId)![k] + ((this.rates[k][index] + rateAt(stateAtTime)) / 2) * partial;
    }
    return Math.min(inventory.heightM, Math.max(0, inventory.nominalLevelM + change));
  }

  private extendTo(k: number): void {
    while (this.rates.length <= k) this.rates.push(this.ratesAt(this.rates.length * LEVEL_STEP_S));
    for (const [index, id] of this.units.entries()) {
      const cumulative = this.cumulative.get(id)!;
      while (cumulative.length <= k) {
        const j = cumulative.length;
        cumulative.push(cumulative[j - 1] + ((this.rates[j - 1][index] + this.rates[j][index]) / 2) * LEVEL_STEP_S);
      }
    }
  }

  private ratesAt(timeS: number): number[] {
    const state = processStateAt(this.graph, this.scenario, timeS);
    return this.units.map((id) => {
      const inventory = this.graph.unit(id).inventory!;
      return accumulationKgPerS(this.graph, id, state) / (inventory.areaM2 * inventory.densityKgPerM3);
    });
  }
}
