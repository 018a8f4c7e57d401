import type { LinearModel } from '@reflux/optimization';
import type { CurrentPlan } from '../allocation';
import type { Network } from '../network.schema';
import { type CostCategory, FormulationContext, type RowMeaning } from './context';
import { formulateEnergy, type EnergyVariables } from './energy';
import { formulateMaterials, type MaterialVariables } from './materials';
import { formulateOrders, type OrderVariables } from './orders';
import { formulateProduction, type ProductionVariables } from './production';
import { formulateReference } from './reference';
import { formulateTransport, type TransportVariables } from './transport';

export interface Formulation {
  readonly network: Network;
  readonly model: LinearModel;
  readonly milp: boolean;
  readonly production: ProductionVariables;
  readonly energy: EnergyVariables;
  readonly transport: TransportVariables;
  readonly materials: MaterialVariables;
  readonly orders: OrderVariables;
  /** Objective terms in unweighted money by category: parallel arrays. */
  readonly costTerms: { readonly columns: Int32Array; readonly coefficients: Float64Array; readonly categories: Uint8Array };
  readonly co2Terms: { readonly columns: Int32Array; readonly tPerUnit: Float64Array };
  readonly constantCosts: ReadonlyMap<CostCategory, number>;
  readonly rowMeanings: readonly (RowMeaning | undefined)[];
  /** MIP start from the current plan (re-allocation). */
  readonly start: { readonly indices: number[]; readonly values: number[] };
  readonly buildMs: number;
}

export interface FormulateOptions {
  /** The plan in force: frozen periods kept, deviations penalised (re-allocation). */
  readonly plan?: CurrentPlan;
  /** Solve the LP relaxation of a MILP document. */
  readonly relax?: boolean;
}

/** The network as an LP or MILP minimising weighted cost + CO₂ price × emissions + transport risk over the horizon. */
export function formulate(network: Network, options: FormulateOptions = {}): Formulation {
  const t0 = performance.now();
  const ctx = new FormulationContext(network);
  const milp = network.formulation === 'milp' && !options.relax;
  const production = formulateProduction(ctx, milp);
  const energy = formulateEnergy(ctx, production);
  const transport = formulateTransport(ctx);
  const materials = formulateMaterials(ctx, production, transport);
  const orders = formulateOrders(ctx, transport);
  const start = options.plan ? formulateReference(ctx, production, transport, options.plan) : { indices: [], values: [] };
  const model = ctx.b.build();
  return {
    network,
    model,
    milp,
    production,
    energy,
    transport,
    materials,
    orders,
    costTerms: { columns: Int32Array.from(ctx.costColumns), coefficients: Float64Array.from(ctx.costCoefficients), categories: Uint8Array.from(ctx.costCategoryIndex) },
    co2Terms: { columns: Int32Array.from(ctx.co2Columns), tPerUnit: Float64Array.from(ctx.co2TPerUnit) },
    constantCosts: ctx.constantCosts,
    rowMeanings: ctx.rowMeanings,
    start: milp ? start : { indices: [], values: [] },
    buildMs: performance.now() - t0,
  };
}
