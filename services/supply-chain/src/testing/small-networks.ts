import type { NetworkInput } from '../domain/network.schema';

const order = { priority: 1, latenessPenaltyPerTPerPeriod: 1000, shortfallPenaltyPerT: 2000 };

/**
 * Solved by hand: 100 t of P due at customer C in period 1. Site A makes up to 60 t per period at
 * 10 per t and ships for 5 (15 delivered); site B makes up to 2 × 35 t at 12 and ships for 2 (14
 * delivered). Cheapest: all 70 t B can make, the remaining 30 t from A: 70 × 14 + 30 × 15 = 1430.
 * One more tonne at B saves 1 (shadow price −1 per t, 35 per module); one more tonne ordered costs 15.
 */
export const handSolvedNetwork: NetworkInput = {
  name: 'hand-solved',
  horizon: { periods: 2, periodHours: 24 },
  materials: [{ id: 'P', kind: 'product' }],
  sites: [
    { id: 'A', kind: 'central', processes: [{ id: 'pA', output: 'P', variableCostPerT: 10, modules: { installed: 1, capacityTPerPeriod: 60 } }] },
    { id: 'B', kind: 'modular', processes: [{ id: 'pB', output: 'P', variableCostPerT: 12, modules: { installed: 2, capacityTPerPeriod: 35 } }] },
  ],
  customers: [{ id: 'C' }],
  lanes: [
    { id: 'A-C', from: 'A', to: 'C', mode: 'road', distanceKm: 100, leadTimePeriods: 1, costPerT: 5, capacityTPerPeriod: 1000 },
    { id: 'B-C', from: 'B', to: 'C', mode: 'road', distanceKm: 40, leadTimePeriods: 1, costPerT: 2, capacityTPerPeriod: 1000 },
  ],
  orders: [{ id: 'O1', customer: 'C', product: 'P', quantityT: 100, duePeriod: 1, ...order }],
};

/**
 * Phosgene (UN 2.3, not by road) is made cheaply at the central site H (1 per t) and dearly at the
 * modular site M (20 per t) beside the product step (1 t phosgene per t of P). Shipping it H → M by
 * road costs 2 per t: were it allowed, H would make it.
 */
export function hazardNetwork(withHazardRule: boolean): NetworkInput {
  return {
    name: 'hazard',
    horizon: { periods: 2 },
    materials: [
      { id: 'COCl2', kind: 'intermediate', ...(withHazardRule && { hazard: { unClass: '2.3', packingGroup: 'I', forbiddenModes: ['road'], riskCostPerTKm: 0.5 } }) },
      { id: 'P', kind: 'product' },
    ],
    sites: [
      { id: 'H', kind: 'central', processes: [{ id: 'phosgene', output: 'COCl2', variableCostPerT: 1, modules: { installed: 1, capacityTPerPeriod: 500 } }] },
      {
        id: 'M',
        kind: 'modular',
        processes: [
          { id: 'phosgene-onsite', output: 'COCl2', variableCostPerT: 20, modules: { installed: 4, capacityTPerPeriod: 20 } },
          { id: 'isocyanate', output: 'P', inputs: [{ material: 'COCl2', tPerT: 1 }], variableCostPerT: 5, modules: { installed: 4, capacityTPerPeriod: 20 } },
        ],
      },
    ],
    customers: [{ id: 'C' }],
    lanes: [
      { id: 'H-M', from: 'H', to: 'M', mode: 'road', distanceKm: 80, leadTimePeriods: 0, costPerT: 2, capacityTPerPeriod: 1000 },
      { id: 'M-C', from: 'M', to: 'C', mode: 'road', distanceKm: 30, leadTimePeriods: 1, costPerT: 1, capacityTPerPeriod: 1000 },
    ],
    orders: [{ id: 'O1', customer: 'C', product: 'P', quantityT: 50, duePeriod: 1, ...order }],
  };
}

/**
 * Six periods, two sites, lanes with a two-period lead time, orders due in periods 2 … 5: a plan
 * has shipments in transit across period 2, where site B trips.
 */
export const disruptionNetwork: NetworkInput = {
  name: 'disruption',
  horizon: { periods: 6 },
  formulation: 'milp',
  materials: [{ id: 'P', kind: 'product' }],
  sites: [
    { id: 'A', kind: 'central', processes: [{ id: 'pA', output: 'P', variableCostPerT: 15, modules: { installed: 2, capacityTPerPeriod: 40, startupCost: 50, minOnPeriods: 2 } }], inventory: [{ material: 'P', maxT: 200 }] },
    { id: 'B', kind: 'modular', processes: [{ id: 'pB', output: 'P', variableCostPerT: 10, modules: { installed: 2, capacityTPerPeriod: 30, startupCost: 50, minOnPeriods: 2 } }], inventory: [{ material: 'P', maxT: 200 }] },
  ],
  customers: [{ id: 'C1' }, { id: 'C2' }],
  lanes: [
    { id: 'A-C1', from: 'A', to: 'C1', mode: 'rail', distanceKm: 300, leadTimePeriods: 2, costPerT: 4, capacityTPerPeriod: 100 },
    { id: 'A-C2', from: 'A', to: 'C2', mode: 'road', distanceKm: 200, leadTimePeriods: 1, costPerT: 6, capacityTPerPeriod: 100 },
    { id: 'B-C1', from: 'B', to: 'C1', mode: 'road', distanceKm: 100, leadTimePeriods: 1, costPerT: 3, capacityTPerPeriod: 100 },
    { id: 'B-C2', from: 'B', to: 'C2', mode: 'rail', distanceKm: 250, leadTimePeriods: 2, costPerT: 2, capacityTPerPeriod: 100 },
  ],
  orders: [
    { id: 'O1', customer: 'C1', product: 'P', quantityT: 60, duePeriod: 2, ...order },
    { id: 'O2', customer: 'C2', product: 'P', quantityT: 50, duePeriod: 3, ...order },
    { id: 'O3', customer: 'C1', product: 'P', quantityT: 70, duePeriod: 4, ...order },
    { id: 'O4', customer: 'C2', product: 'P', quantityT: 60, duePeriod: 5, ...order },
  ],
};
