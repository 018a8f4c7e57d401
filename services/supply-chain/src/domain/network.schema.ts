import { z } from 'zod';

// The supply-chain network document: sites (central and modular), materials with bills of material
// and hazard classes, lanes, customers and their orders, over a horizon of equal periods. Masses in
// tonnes (t), energy in MWh, distances in km, CO₂ in t, money in the document's `currency`. Every
// "per period" quantity is per period of `horizon.periodHours`.

const id = z.string().min(1).max(120).regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'letters, digits, _ . : - only');
const nonNegative = z.number().finite().min(0);
const positive = z.number().finite().gt(0);
const period = z.number().int().min(0);
/** A value per period: one number for all periods, or one per period. */
const profile = z.union([nonNegative, z.array(nonNegative).min(1)]);

export const energyCarriers = ['electricity', 'steam', 'hydrogen'] as const;
export const laneModes = ['road', 'rail', 'pipeline', 'ship'] as const;

const hazardSchema = z
  .object({
    /** UN class (`2.3`, `5.1`, `8`) and packing group. */
    unClass: z.string().min(1).max(8),
    packingGroup: z.enum(['I', 'II', 'III']).optional(),
    /** Modes and lanes it may never travel on. */
    forbiddenModes: z.array(z.enum(laneModes)).default([]),
    forbiddenLanes: z.array(id).default([]),
    /** Most it may travel on one lane in one period, t. */
    maxTPerLanePerPeriod: nonNegative.optional(),
    riskCostPerTKm: nonNegative.default(0),
  })
  .strict();

const materialSchema = z
  .object({
    id,
    name: z.string().optional(),
    kind: z.enum(['product', 'intermediate', 'raw']),
    hazard: hazardSchema.optional(),
  })
  .strict();

const processSchema = z
  .object({
    id,
    /** The material this process makes. */
    output: id,
    /** Bill of material: t of each input per t of output. */
    inputs: z.array(z.object({ material: id, tPerT: positive }).strict()).default([]),
    modules: z
      .object({
        installed: z.number().int().min(0).max(1000),
        capacityTPerPeriod: positive,
        startupCost: nonNegative.default(0),
        minOnPeriods: z.number().int().min(1).default(1),
        /** Modules running before period 0, and for how many periods they have run. */
        initiallyOn: z.number().int().min(0).default(0),
        initialOnPeriods: z.number().int().min(0).default(0),
      })
      .strict(),
    variableCostPerT: nonNegative.default(0),
    energyMWhPerT: z.object({ electricity: nonNegative.default(0), steam: nonNegative.default(0), hydrogen: nonNegative.default(0) }).strict().default({ electricity: 0, steam: 0, hydrogen: 0 }),
  })
  .strict();

const energySupplySchema = z
  .object({
    id,
    carrier: z.enum(energyCarriers),
    /** PV, wind, grid at time-of-use prices, an electrolyser: price and CO₂ factor per MWh, availability per period. */
    pricePerMWh: profile,
    co2TPerMWh: profile,
    maxMWhPerPeriod: profile.optional(),
  })
  .strict();

const siteSchema = z
  .object({
    id,
    name: z.string().optional(),
    kind: z.enum(['central', 'modular']),
    /** The plant-model plant and unit ids this site stands for (a trip of one of these units disrupts the site). */
    plantId: id.optional(),
    units: z.array(id).default([]),
    processes: z.array(processSchema).default([]),
    energy: z.array(energySupplySchema).default([]),
    inventory: z.array(z.object({ material: id, minT: nonNegative.default(0), maxT: nonNegative, initialT: nonNegative.default(0), holdingCostPerTPerPeriod: nonNegative.default(0) }).strict()).default([]),
    purchases: z.array(z.object({ material: id, costPerT: nonNegative, maxTPerPeriod: profile.optional() }).strict()).default([]),
  })
  .strict();

const laneSchema = z
  .object({
    id,
    from: id,
    to: id,
    mode: z.enum(laneModes),
    distanceKm: nonNegative,
    leadTimePeriods: z.number().int().min(0).max(60),
    costPerT: nonNegative,
    co2TPerTKm: nonNegative.default(0),
    capacityTPerPeriod: nonNegative,
    /** Periods in which nothing may depart (a closed road), [fromPeriod, toPeriod). */
    closed: z.array(z.object({ fromPeriod: period, toPeriod: period }).strict()).default([]),
  })
  .strict();

export const orderSchema = z
  .object({
    /** The ERP's order id. */
    id,
    customer: id,
    product: id,
    quantityT: positive,
    duePeriod: period,
    /** 1 (low) … 10 (high): multiplies both penalties. */
    priority: z.number().int().min(1).max(10).default(1),
    latenessPenaltyPerTPerPeriod: nonNegative,
    shortfallPenaltyPerT: nonNegative,
  })
  .strict();

const capacityChangeSchema = z
  .object({ site: id, process: id.optional(), fromPeriod: period, toPeriod: period, availableModules: z.number().int().min(0).optional(), lostTPerPeriod: nonNegative.optional() })
  .strict()
  .refine((c) => c.availableModules !== undefined || c.lostTPerPeriod !== undefined, { message: 'needs availableModules or lostTPerPeriod', path: ['availableModules'] });

const inTransitSchema = z.object({ lane: id, material: id, quantityT: positive, arrivalPeriod: period }).strict();

export const networkSchema = z
  .object({
    name: z.string().min(1).max(200),
    currency: z.string().min(3).max(3).default('EUR'),
    horizon: z.object({ periods: z.number().int().min(1).max(366), periodHours: positive.max(8784).default(24), /** Start of period 0 (maps event times to periods). */ start: z.iso.datetime({ offset: true }).optional() }).strict(),
    co2PricePerT: nonNegative.default(0),
    weights: z.object({ cost: nonNegative.default(1), co2: nonNegative.default(1), risk: nonNegative.default(1) }).strict().default({ cost: 1, co2: 1, risk: 1 }),
    /** MILP: integer modules with start-up costs and minimum on time; LP: their relaxation. */
    formulation: z.enum(['lp', 'milp']).default('milp'),
    materials: z.array(materialSchema).min(1),
    sites: z.array(siteSchema).min(1),
    customers: z.array(z.object({ id, name: z.string().optional() }).strict()).default([]),
    lanes: z.array(laneSchema).default([]),
    orders: z.array(orderSchema).default([]),
    /** Shipments that departed before period 0 and arrive within the horizon. */
    inTransit: z.array(inTransitSchema).default([]),
    /**
     * Capacity per site (and process) over a window [fromPeriod, toPeriod): modules available (a
     * trip, maintenance) and/or t per period lost (a suspected loss: the site, or the process,
     * makes that much less than its modules could).
     */
    capacityChanges: z.array(capacityChangeSchema).default([]),
  })
  .strict();

export type NetworkInput = z.input<typeof networkSchema>;
export type Network = z.output<typeof networkSchema>;
export type Site = Network['sites'][number];
export type Process = Site['processes'][number];
export type Lane = Network['lanes'][number];
export type Order = z.output<typeof orderSchema>;
export type OrderInput = z.input<typeof orderSchema>;
export type Material = Network['materials'][number];
export type EnergyCarrier = (typeof energyCarriers)[number];

export function valueAt(p: number | readonly number[] | undefined, t: number, fallback = Infinity): number {
  if (p === undefined) return fallback;
  return typeof p === 'number' ? p : (p[t] ?? p[p.length - 1]);
}

/** Index of the period that contains `at` (0 before the horizon or without a start, the last one after it). */
export function periodAt(n: Network, at: Date): number {
  if (!n.horizon.start) return 0;
  const t = Math.floor((at.getTime() - Date.parse(n.horizon.start)) / (n.horizon.periodHours * 3_600_000));
  return Math.min(Math.max(t, 0), n.horizon.periods - 1);
}
