import { z } from 'zod';
import { TAG_KIND_NAMES } from './tag-kind';
import { isValidTimeZone } from '../time/plant-time';

export const PLANT_MODEL_SCHEMA_VERSION = 1;

const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'ids use letters, digits and . _ : / - and start with a letter or digit');

export const UNIT_TYPES = [
  'reactor',
  'column',
  'furnace',
  'heatExchanger',
  'cooler',
  'tank',
  'gasHolder',
  'header',
  'converter',
  'caster',
  'boiler',
  'compressor',
  'blower',
  'pump',
  'turbine',
  'generator',
  'splitter',
  'mixer',
  'separator',
  'letdown',
  'desuperheater',
  'deaerator',
  'blastFurnace',
  'stove',
  'ladleFurnace',
  'cokeOven',
  'flare',
  'busbar',
  'transformer',
  'consumer',
] as const;

/** Material streams carry mass; energy streams are utilities (steam, fuel gas, cooling water) or pure power. */
export const STREAM_KINDS = ['material', 'energy'] as const;

/** Media that carry energy without mass: their streams have `powerW` and no mass flow. */
export const POWER_ONLY_MEDIA = ['electricity', 'heat', 'work'] as const;

export const inventorySchema = z.strictObject({
  /** Free cross-section of the tank or gas-holder piston, m². */
  areaM2: z.number().positive(),
  /** Density of the inventory at storage conditions, kg/m³. */
  densityKgPerM3: z.number().positive(),
  /** Usable height, m. */
  heightM: z.number().positive(),
  /** Level at the nominal steady state, m. */
  nominalLevelM: z.number().nonnegative(),
  /** Rate of level change at the nominal state, m/s (0 for a tank in steady state). */
  nominalLevelRateMPerS: z.number().default(0),
});

export const unitSchema = z.strictObject({
  id,
  name: z.string().min(1),
  type: z.enum(UNIT_TYPES),
  description: z.string().optional(),
  inventory: inventorySchema.optional(),
  /** Operating state of the unit itself (bed temperature, drum pressure), for tags that measure the unit. */
  operating: z
    .strictObject({ temperatureK: z.number().positive().optional(), pressurePa: z.number().positive().optional() })
    .optional(),
  /**
   * Components whose mass the unit conserves (no reaction, no generation), for component
   * balances Σ in F·w = Σ out F·w. Absent: every component for non-reactive unit types, none for
   * reactive ones (see `conservedComponents`); `[]` switches component balances off for the unit.
   */
  conservedComponents: z.array(z.string().min(1)).optional(),
  /**
   * Every outlet leaves with the same composition (a well-mixed drum, header, splitter, compressor).
   * Absent: true for the well-mixed unit types (see `outletsShareComposition`).
   */
  outletsShareComposition: z.boolean().optional(),
});

export const areaSchema = z.strictObject({
  id,
  name: z.string().min(1),
  units: z.array(unitSchema).default([]),
});

export const siteSchema = z.strictObject({
  id,
  name: z.string().min(1),
  /** IANA time zone of the site (`Europe/Berlin`): its days and shifts are local. UTC when absent. */
  timeZone: z.string().refine(isValidTimeZone, 'must be an IANA time zone name such as Europe/Berlin').optional(),
  areas: z.array(areaSchema).default([]),
});

export const streamNominalSchema = z.strictObject({
  massFlowKgPerS: z.number().nonnegative().optional(),
  powerW: z.number().nonnegative().optional(),
  temperatureK: z.number().positive().optional(),
  pressurePa: z.number().positive().optional(),
  specificEnthalpyJPerKg: z.number().optional(),
  /** Mass fractions by component name; they sum to 1. */
  composition: z.record(z.string().min(1), z.number().min(0).max(1)).optional(),
  densityKgPerM3: z.number().positive().optional(),
  normalDensityKgPerNm3: z.number().positive().optional(),
});

export const streamSchema = z.strictObject({
  id,
  name: z.string().min(1),
  kind: z.enum(STREAM_KINDS),
  /** What flows: crude, naphtha, steam, fuelGas, electricity, coolingWater, BFG… */
  medium: z.string().min(1),
  /** Source unit id, or null for the plant boundary. */
  from: id.nullable(),
  /** Destination unit id, or null for the plant boundary. */
  to: id.nullable(),
  nominal: streamNominalSchema,
  /**
   * A tie-line that may flow either way: its flow is signed (positive from `from` to `to`) and may
   * be reconciled negative; its meters may have a negative range. Default false (flows run forward).
   */
  bidirectional: z.boolean().optional(),
});

export const uncertaintySchema = z.strictObject({
  /** One standard deviation of the measurement error. */
  standardDeviation: z.number().positive(),
  /** `absolute`: in the tag's unit; `percentOfReading` / `percentOfSpan`: in % . */
  basis: z.enum(['absolute', 'percentOfReading', 'percentOfSpan']),
  /**
   * Smallest standard deviation, in % of the span, as instrument data sheets state it: below it a
   * reading near zero (a DP meter at low flow) is no more precise. Absent: for `percentOfReading`,
   * the reading's percentage of 10 % of the span (accuracy of reading down to a 10:1 turndown).
   */
  floorPercentOfSpan: z.number().nonnegative().optional(),
});

export const exceptionSchema = z.strictObject({
  /** Report a new value only when it moves by more than this deadband, in the tag's unit. */
  deadband: z.number().nonnegative(),
  /** Report at least every so many seconds even without change. */
  maxIntervalS: z.number().positive().optional(),
});

export const compressionSchema = z.strictObject({
  /** Swinging-door compression deviation, in the tag's unit: every sample not archived lies within it of the stored trend. */
  deviation: z.number().positive(),
  /** Samples within this time after the last archived one are dropped (PI CompMin), s. */
  minIntervalS: z.number().nonnegative().optional(),
  /** At least one sample archived this often (PI CompMax), s; 28 800 when absent. */
  maxIntervalS: z.number().positive().optional(),
});

/**
 * Pressure/temperature compensation of a flow meter (balancing): the density at flowing conditions
 * from live temperature and pressure tags replaces the design density the meter computes with.
 */
export const flowCompensationSchema = z.strictObject({
  /** `differentialPressure`: orifice, venturi, nozzle (square-root relation); `linear`: a meter of actual volume (turbine, vortex, magnetic). */
  element: z.enum(['differentialPressure', 'linear']),
  /** `steam`: superheated, IAPWS-IF97; `gas`: p·M/(Z·R·T); `liquid`: reference density and expansion coefficient. */
  fluid: z.enum(['steam', 'gas', 'liquid']),
  /** Conditions the meter was configured for (its design density): K and Pa absolute. */
  designTemperatureK: z.number().positive(),
  designPressurePa: z.number().positive(),
  /** Live temperature and pressure tags of the metered stream; design conditions stand in for one that is absent or unusable. */
  temperatureTagId: id.optional(),
  pressureTagId: id.optional(),
  /** Gas: molar mass, kg/kmol, and compressibility factor Z (1 when absent), taken equal at design and flowing conditions. */
  molarMassKgPerKmol: z.number().positive().optional(),
  compressibility: z.number().positive().optional(),
  /** Liquid: ρ = ρ_ref / (1 + β·(T − T_ref)). */
  referenceDensityKgPerM3: z.number().positive().optional(),
  referenceTemperatureK: z.number().positive().optional(),
  expansionCoefficientPerK: z.number().nonnegative().optional(),
});

export const tagSchema = z.strictObject({
  id,
  description: z.string().optional(),
  kind: z.enum(TAG_KIND_NAMES),
  /** The stream this tag measures (exactly one of streamId / unitId). */
  streamId: id.optional(),
  /** The unit this tag measures (levels, bed temperatures). */
  unitId: id.optional(),
  /** Component name, for composition tags. */
  component: z.string().min(1).optional(),
  /**
   * Basis of a composition tag whose unit does not say it (`%`, `1`, `ppm`): `mass` (wt%) or `mole`
   * (mol%, as chromatographs report gases). Units `wt%`, `mass fraction`, `mol%`, `mol fraction`
   * state their basis themselves.
   */
  compositionBasis: z.enum(['mass', 'mole']).optional(),
  /** Engineering unit symbol from the unit-of-measure registry. */
  unit: z.string().min(1),
  range: z.strictObject({ min: z.number(), max: z.number() }),
  uncertainty: uncertaintySchema,
  samplingPeriodS: z.number().positive(),
  exception: exceptionSchema.optional(),
  /** Swinging-door compression after exception filtering, as PI archives. */
  compression: compressionSchema.optional(),
  /**
   * Values hold until the next sample (valve positions, setpoints, lab results) instead of running
   * linearly between samples: interpolation steps and time-weighted averages hold. Digital tags
   * always step.
   */
  stepped: z.boolean().optional(),
  /** Same tag and time written twice: `replace` (PI replace), `keep-first`, `keep-both` (PI insert). The historian's default when absent. */
  duplicatePolicy: z.enum(['replace', 'keep-first', 'keep-both']).optional(),
  /**
   * Digital states of a `state` tag, as a PI digital state set: the value is the 0-based index of
   * the state (`[Stopped, Running]`: 1 = Running). Such tags step and are never averaged.
   */
  digitalStates: z.array(z.string().min(1).max(64)).min(2).max(1024).optional(),
  /** Flow tags: pressure/temperature compensation of the reading (see `flowCompensationSchema`). */
  compensation: flowCompensationSchema.optional(),
});

/** A chemical component's molar mass, for converting mole fractions to mass fractions. */
export const componentSchema = z.strictObject({
  name: z.string().min(1),
  molarMassKgPerKmol: z.number().positive(),
});

export const plantModelSchema = z.strictObject({
  schemaVersion: z.literal(PLANT_MODEL_SCHEMA_VERSION),
  plantId: id,
  name: z.string().min(1),
  description: z.string().optional(),
  sites: z.array(siteSchema).min(1),
  streams: z.array(streamSchema).default([]),
  tags: z.array(tagSchema).default([]),
  /** Molar masses of the components that mole-basis composition tags report (and their streams hold). */
  components: z.array(componentSchema).optional(),
});

export type PlantModel = z.output<typeof plantModelSchema>;
export type PlantModelInput = z.input<typeof plantModelSchema>;
export type Site = z.output<typeof siteSchema>;
export type Area = z.output<typeof areaSchema>;
export type Unit = z.output<typeof unitSchema>;
export type UnitType = (typeof UNIT_TYPES)[number];
export type Inventory = z.output<typeof inventorySchema>;
export type Stream = z.output<typeof streamSchema>;
export type StreamKind = (typeof STREAM_KINDS)[number];
export type StreamNominal = z.output<typeof streamNominalSchema>;
export type Tag = z.output<typeof tagSchema>;
export type Uncertainty = z.output<typeof uncertaintySchema>;
export type FlowCompensation = z.output<typeof flowCompensationSchema>;
export type Component = z.output<typeof componentSchema>;

/** JSON Schema (draft 2020-12) of a plant-model document, for editors and other languages. */
export const plantModelJsonSchema = (): Record<string, unknown> =>
  z.toJSONSchema(plantModelSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
