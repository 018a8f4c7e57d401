import { z } from 'zod';

// The scheduling problem document: the production model of one plant (modes, tanks, supplies,
// demands, the site energy system) plus what a request adds (horizon, published schedule, unit
// states, reconciled yields, solve settings). Masses in tonnes (t), energy in MWh, power in MW,
// steam in t, money in the document's `currency`; every field names its unit.

const id = z.string().min(1).max(120);
const nonNegative = z.number().finite().min(0);
const positive = z.number().finite().gt(0);
const periodIndex = z.number().int().min(0);

const steamLevels = z.enum(['hp', 'mp', 'lp']);

const modeSchema = z
  .object({
    id,
    name: z.string().optional(),
    /** Feed per tonne of throughput, by material (the throughput is the sum of inputs). */
    inputs: z.array(z.object({ material: id, fraction: positive }).strict()).min(1),
    /** Design yields, t of product per t of throughput. */
    outputs: z.array(z.object({ material: id, yield: z.number().finite().gt(0).max(2) }).strict()).min(1),
    minRateTPerH: nonNegative.default(0),
    maxRateTPerH: positive,
    /** Once started, the mode runs at least this many periods (MILP). */
    minRunPeriods: z.number().int().min(1).default(1),
    startupCost: nonNegative.default(0),
    /** Cost of stopping the mode to idle (banking a blast furnace, flaring a unit's inventory). */
    shutdownCost: nonNegative.default(0),
    variableCostPerT: z.number().finite().default(0),
    utilities: z
      .object({
        steamTPerT: z.object({ hp: nonNegative.optional(), mp: nonNegative.optional(), lp: nonNegative.optional() }).strict().default({}),
        powerMWhPerT: nonNegative.default(0),
        fuelMWhPerT: z.record(id, nonNegative).default({}),
        coolingWaterM3PerT: nonNegative.default(0),
        /** By-product gas made per t of throughput (blast-furnace gas, refinery off-gas), MWh (LHV). */
        byproductGasMWhPerT: z.record(id, nonNegative).default({}),
      })
      .strict()
      .default({ steamTPerT: {}, powerMWhPerT: 0, fuelMWhPerT: {}, coolingWaterM3PerT: 0, byproductGasMWhPerT: {} }),
  })
  .strict();

const unitSchema = z
  .object({
    /** A plant-model unit id. */
    id,
    name: z.string().optional(),
    modes: z.array(modeSchema).min(1),
    /** Sequence-dependent changeovers; pairs not listed switch without time or cost. */
    changeovers: z.array(z.object({ from: id, to: id, periods: z.number().int().min(0).max(48).default(0), cost: nonNegative.default(0) }).strict()).default([]),
    /** Mode running before the horizon starts; `null`/absent: idle. */
    initialMode: id.nullable().optional(),
    /** Periods the initial mode has already run (for its minimum run length). */
    initialRunPeriods: z.number().int().min(0).default(0),
    /** Plant-model machines (compressors, pumps) whose trip stops this unit. */
    equipment: z.array(id).default([]),
    /**
     * Where the balancing service's reconciled yields of this unit come from: the plant-model
     * unit (`GetYields` unit_id) and which of its outlet streams carry which material (streams of
     * one material add up). Absent: the unit plans with its design yields only.
     */
    balancing: z
      .object({ unit: id, outputs: z.array(z.object({ stream: id, material: id }).strict()).min(1) })
      .strict()
      .optional(),
  })
  .strict();

const tankSchema = z
  .object({
    id,
    materials: z.array(id).min(1),
    minT: nonNegative.default(0),
    maxT: positive,
    initialT: z.record(id, nonNegative).default({}),
    /** Inventory wanted at the end of the horizon (all materials), t. */
    finalMinT: nonNegative.optional(),
    holdingCostPerTPerPeriod: nonNegative.default(0),
  })
  .strict();

const supplySchema = z
  .object({
    id,
    material: id,
    pricePerT: z.number().finite(),
    maxTPerPeriod: nonNegative,
    /** Per-period availability overriding `maxTPerPeriod`, t. */
    availableTPerPeriod: z.array(nonNegative).optional(),
    totalMaxT: nonNegative.optional(),
  })
  .strict();

const demandSchema = z
  .object({
    id,
    material: id,
    quantityT: positive,
    /** Period by the end of which the quantity is due. */
    duePeriod: periodIndex,
    /** First period a delivery may be made. */
    releasePeriod: periodIndex.default(0),
    /** 1 = most important; penalties are divided by the priority. */
    priority: z.number().int().min(1).max(10).default(1),
    latenessPenaltyPerTPerPeriod: nonNegative,
    shortfallPenaltyPerT: nonNegative,
  })
  .strict();

const saleSchema = z.object({ id, material: id, pricePerT: z.number().finite(), maxTPerPeriod: nonNegative }).strict();

const fuelSchema = z
  .object({
    id,
    pricePerMWh: z.number().finite(),
    co2TPerMWh: nonNegative.default(0),
    /** Purchase limit per period, MWh. */
    maxMWhPerPeriod: nonNegative.optional(),
    /** Prices of single periods (energy price updates), overriding `pricePerMWh`. */
    periodPrices: z.array(z.object({ period: periodIndex, pricePerMWh: z.number().finite() }).strict()).default([]),
  })
  .strict();

const byproductGasSchema = z
  .object({
    id,
    co2TPerMWh: nonNegative.default(0),
    /** Flaring limit per period, MWh (absent: unlimited); gas is either burnt in boilers or flared. */
    maxFlareMWhPerPeriod: nonNegative.optional(),
    flareCostPerMWh: nonNegative.default(0),
  })
  .strict();

const boilerSchema = z
  .object({
    id,
    level: steamLevels.default('hp'),
    minSteamTPerH: nonNegative.default(0),
    maxSteamTPerH: positive,
    /** Fuel energy per t of steam = enthalpy rise / efficiency. */
    steamEnthalpyMWhPerT: positive.default(0.78),
    efficiency: z.number().finite().gt(0).max(1),
    /** Fuels (purchased) and by-product gases it may burn. */
    fuels: z.array(id).min(1),
  })
  .strict();

const turbineSchema = z.object({ id, from: steamLevels, to: steamLevels, maxSteamTPerH: positive, powerMWhPerT: positive }).strict();
const letdownSchema = z.object({ id, from: steamLevels, to: steamLevels, maxSteamTPerH: positive }).strict();

const energySchema = z
  .object({
    power: z
      .object({
        /** Flat price, used where no time-of-use band applies. */
        pricePerMWh: z.number().finite(),
        /** Time-of-use bands by hour of day (horizon's local time); later bands override earlier ones. */
        timeOfUse: z.array(z.object({ fromHour: z.number().min(0).max(24), toHour: z.number().min(0).max(24), pricePerMWh: z.number().finite() }).strict()).default([]),
        /** Prices of single periods (energy price updates), overriding the flat price and the time-of-use bands. */
        periodPrices: z.array(z.object({ period: periodIndex, pricePerMWh: z.number().finite() }).strict()).default([]),
        contractedPeakMW: nonNegative.optional(),
        /** Charge per MW of the horizon's peak purchase above the contract. */
        peakExcessPricePerMW: nonNegative.default(0),
        maxImportMW: nonNegative.optional(),
        exportPricePerMWh: z.number().finite().optional(),
        maxExportMW: nonNegative.default(0),
        gridCo2TPerMWh: nonNegative.default(0),
        /** Site load not modelled by modes, MW. */
        baseLoadMW: nonNegative.default(0),
      })
      .strict(),
    fuels: z.array(fuelSchema).default([]),
    byproductGases: z.array(byproductGasSchema).default([]),
    boilers: z.array(boilerSchema).default([]),
    turbines: z.array(turbineSchema).default([]),
    letdowns: z.array(letdownSchema).default([]),
    /** Steam used outside the modelled modes, t/h per level. */
    steamBaseLoadTPerH: z.object({ hp: nonNegative.default(0), mp: nonNegative.default(0), lp: nonNegative.default(0) }).strict().default({ hp: 0, mp: 0, lp: 0 }),
    /** LP steam may be vented at this cost per t (absent: no venting). */
    lpVentCostPerT: nonNegative.optional(),
    coolingWaterCostPerM3: nonNegative.default(0),
    co2: z.object({ pricePerT: nonNegative.default(0), capT: nonNegative.optional() }).strict().default({ pricePerT: 0 }),
  })
  .strict();

const publishedSchema = z
  .object({
    scheduleId: id.optional(),
    /** Mode and throughput per unit and period of the schedule in force, in this horizon's periods. */
    assignments: z.array(z.object({ unit: id, period: periodIndex, mode: id.nullable(), throughputT: nonNegative }).strict()),
    /** The first periods are kept as published (except on units that are unavailable). */
    frozenPeriods: z.number().int().min(0).default(0),
    /** Cost per t of throughput moved away from the published plan, after the frozen window. */
    changePenaltyPerT: nonNegative.default(0),
    /** Cost per unit-period running another mode than published (MILP). */
    modeChangePenalty: nonNegative.default(0),
  })
  .strict();

const reconciledYieldSchema = z
  .object({
    unit: id,
    /** Mode it applies to; absent: every mode of the unit. */
    mode: id.optional(),
    outputs: z.array(z.object({ material: id, yield: z.number().finite().min(0).max(2) }).strict()).min(1),
    observedAt: z.iso.datetime({ offset: true }),
    /** Where it came from (`balancing:<window>`). */
    source: z.string().min(1).default('balancing'),
  })
  .strict();

export const problemSchema = z
  .object({
    plant: id,
    currency: z.string().min(1).max(8).default('EUR'),
    horizon: z
      .object({
        start: z.iso.datetime({ offset: true }),
        periods: z.number().int().min(1).max(2000),
        periodHours: positive.max(168).default(1),
        /** Offset of local time from UTC, for time-of-use bands. */
        utcOffsetHours: z.number().min(-14).max(14).default(0),
      })
      .strict(),
    /** `lp`: campaign-planning relaxation (modes share period time continuously); `milp`: modes, starts, changeovers and minimum runs as decisions. */
    formulation: z.enum(['lp', 'milp']).default('milp'),
    materials: z.array(z.object({ id, name: z.string().optional() }).strict()).min(1),
    units: z.array(unitSchema).min(1),
    tanks: z.array(tankSchema).default([]),
    supplies: z.array(supplySchema).default([]),
    demands: z.array(demandSchema).default([]),
    sales: z.array(saleSchema).default([]),
    /** Periods a unit, boiler, turbine or letdown cannot run (maintenance, trips): inclusive from, exclusive to. */
    unavailability: z.array(z.object({ unit: id, fromPeriod: periodIndex, toPeriod: periodIndex, reason: z.string().default('maintenance') }).strict()).default([]),
    energy: energySchema,
    published: publishedSchema.optional(),
    reconciledYields: z.array(reconciledYieldSchema).default([]),
    /** Reconciled yields older than this (before the horizon start) are not used. */
    yieldMaxAgeHours: positive.default(72),
    solve: z
      .object({
        timeLimitSeconds: positive.max(3600).default(60),
        mipGapPercent: z.number().min(0).max(100).default(1),
        backend: z.enum(['auto', 'highs', 'jslp']).default('auto'),
        /** HiGHS LP algorithm; `auto`: interior point (with crossover) above 50,000 columns, HiGHS' own choice below. */
        lpAlgorithm: z.enum(['auto', 'choose', 'simplex', 'ipm']).default('auto'),
      })
      .strict()
      .default({ timeLimitSeconds: 60, mipGapPercent: 1, backend: 'auto', lpAlgorithm: 'auto' }),
  })
  .strict();

export type ProblemDocument = z.infer<typeof problemSchema>;
export type ProblemInput = z.input<typeof problemSchema>;
export type UnitSpec = ProblemDocument['units'][number];
export type ModeSpec = UnitSpec['modes'][number];
export type SteamLevel = z.infer<typeof steamLevels>;
export const steamLevelIds: readonly SteamLevel[] = ['hp', 'mp', 'lp'];
