/**
 * Helpers to author the demo plants: physical properties, stream/tag builders and balance helpers.
 * Values are rounded when a stream is created and closing streams are computed from rounded values,
 * so the YAML documents balance to rounding precision (µg/s, W).
 */
import type { PlantModelInput, Tag, UnitType } from '../src';
import { fromSI, toSI } from '../src';

type Nominal = {
  massFlowKgPerS?: number;
  powerW?: number;
  temperatureK?: number;
  pressurePa?: number;
  specificEnthalpyJPerKg?: number;
  composition?: Record<string, number>;
  densityKgPerM3?: number;
  normalDensityKgPerNm3?: number;
};
type StreamDef = {
  id: string;
  name: string;
  kind: 'material' | 'energy';
  medium: string;
  from: string | null;
  to: string | null;
  nominal: Nominal;
};
type UnitDef = {
  id: string;
  name: string;
  type: UnitType;
  inventory?: { areaM2: number; densityKgPerM3: number; heightM: number; nominalLevelM: number; nominalLevelRateMPerS: number };
};

export const T0 = 288.15;
export const ATM = 101_325;
export const degC = (c: number) => round(c + 273.15, 2);
export const bara = (bar: number) => Math.round(bar * 1e5);
export const barg = (bar: number) => Math.round(bar * 1e5 + ATM);
export const round = (value: number, decimals: number) => Number(value.toFixed(decimals));
const mass = (kgPerS: number) => round(kgPerS, 6);
const enthalpy = (jPerKg: number) => round(jPerKg, 1);
const watts = (w: number) => Math.round(w);

/** Liquid water, J/kg relative to the IAPWS reference (liquid at 0.01 °C). */
export const hWater = (temperatureK: number) => 4186 * (temperatureK - 273.16);
/** Sensible enthalpy with a constant heat capacity, J/kg relative to 15 °C. */
export const hSensible = (temperatureK: number, cpJPerKgK: number) => cpJPerKgK * (temperatureK - T0);

/** Gas components: molar mass g/mol, lower heating value J/kg, O₂ demand kg/kg. */
const GAS = {
  H2: { molarMass: 2.016, lhv: 120.0e6, o2: 7.937 },
  CH4: { molarMass: 16.043, lhv: 50.0e6, o2: 3.989 },
  C2H6: { molarMass: 30.07, lhv: 47.5e6, o2: 3.725 },
  C3H8: { molarMass: 44.097, lhv: 46.35e6, o2: 3.628 },
  C4H10: { molarMass: 58.123, lhv: 45.75e6, o2: 3.579 },
  CO: { molarMass: 28.01, lhv: 10.1e6, o2: 0.571 },
  H2S: { molarMass: 34.08, lhv: 15.2e6, o2: 1.408 },
  CO2: { molarMass: 44.01, lhv: 0, o2: 0 },
  N2: { molarMass: 28.014, lhv: 0, o2: 0 },
  O2: { molarMass: 31.998, lhv: 0, o2: -1 },
  Ar: { molarMass: 39.948, lhv: 0, o2: 0 },
} as const;
export type Gas = keyof typeof GAS;

/** Mole fractions (any scale) → mass fractions summing to exactly 1 at 9 decimals. */
export const massFractions = (moles: Partial<Record<Gas, number>>): Record<string, number> => {
  const entries = Object.entries(moles) as [Gas, number][];
  const total = entries.reduce((sum, [gas, x]) => sum + x * GAS[gas].molarMass, 0);
  return normalise(Object.fromEntries(entries.map(([gas, x]) => [gas, (x * GAS[gas].molarMass) / total])));
};

export const normalise = (fractions: Record<string, number>): Record<string, number> => {
  const keys = Object.keys(fractions).sort((a, b) => fractions[b] - fractions[a]);
  const total = keys.reduce((sum, key) => sum + fractions[key], 0);
  const result: Record<string, number> = {};
  let rest = 1;
  for (const key of keys.slice(1)) {
    result[key] = round(fractions[key] / total, 9);
    rest -= result[key];
  }
  result[keys[0]] = round(rest, 9);
  return Object.fromEntries(Object.keys(fractions).map((key) => [key, result[key]]));
};

export const gasLhv = (composition: Record<string, number>) =>
  Object.entries(composition).reduce((sum, [gas, w]) => sum + w * GAS[gas as Gas].lhv, 0);
/** Density at 0 °C and 1.01325 bar, kg/Nm³ (ideal gas). */
export const gasNormalDensity = (composition: Record<string, number>) =>
  1 / Object.entries(composition).reduce((sum, [gas, w]) => sum + w / GAS[gas as Gas].molarMass, 0) / 22.414;
/** Stoichiometric air, kg per kg fuel (air is 23.2 % O₂ by mass). */
export const stoichiometricAir = (composition: Record<string, number>) =>
  Object.entries(composition).reduce((sum, [gas, w]) => sum + w * GAS[gas as Gas].o2, 0) / 0.232;
export const AIR = massFractions({ N2: 78.08, O2: 20.95, Ar: 0.97 });
export const FLUE_CP = 1100;

/** Fuel gas enthalpy on the heating-value basis: LHV plus sensible heat above 15 °C. */
export const hFuel = (composition: Record<string, number>, temperatureK: number, cp: number) =>
  gasLhv(composition) + hSensible(temperatureK, cp);

export class PlantBuilder {
  private readonly areas: { siteId: string; id: string; name: string; units: UnitDef[] }[] = [];
  readonly streams: StreamDef[] = [];
  readonly tags: Tag[] = [];
  private readonly counters = new Map<string, number>();

  constructor(
    readonly plantId: string,
    readonly name: string,
    readonly description: string,
    readonly site: { id: string; name: string },
  ) {}

  area(id: string, name: string, tagPrefix: number) {
    this.areas.push({ siteId: this.site.id, id, name, units: [] });
    this.counters.set(id, tagPrefix * 100);
    const add = (unit: UnitDef) => {
      this.areas.find((area) => area.id === id)!.units.push(unit);
      return unit.id;
    };
    return { id, add };
  }

  stream(def: StreamDef): StreamDef {
    const n = def.nominal;
    const nominal: Nominal = { ...n };
    if (n.massFlowKgPerS !== undefined) nominal.massFlowKgPerS = mass(n.massFlowKgPerS);
    if (n.powerW !== undefined) nominal.powerW = watts(n.powerW);
    if (n.specificEnthalpyJPerKg !== undefined) nominal.specificEnthalpyJPerKg = enthalpy(n.specificEnthalpyJPerKg);
    if (n.temperatureK !== undefined) nominal.temperatureK = round(n.temperatureK, 2);
    if (n.densityKgPerM3 !== undefined) nominal.densityKgPerM3 = round(n.densityKgPerM3, 2);
    if (n.normalDensityKgPerNm3 !== undefined) nominal.normalDensityKgPerNm3 = round(n.normalDensityKgPerNm3, 4);
    const stream = { ...def, nominal };
    if ((nominal.massFlowKgPerS ?? 0) < 0 || (nominal.powerW ?? 0) < 0) throw new Error(`negative flow on ${def.id}`);
    this.streams.push(stream);
    return stream;
  }

  get(id: string): StreamDef {
    const found = this.streams.find((stream) => stream.id === id);
    if (!found) throw new Error(`no stream ${id}`);
    return found;
  }

  private inventory(unitId: string): number {
    for (const area of this.areas)
      for (const unit of area.units)
        if (unit.id === unitId && unit.inventory)
          return unit.inventory.areaM2 * unit.inventory.densityKgPerM3 * unit.inventory.nominalLevelRateMPerS;
    return 0;
  }

  /** Σ in − Σ out − accumulation of mass over the streams defined so far, kg/s. */
  massNet(unitId: string): number {
    let net = -this.inventory(unitId);
    for (const s of this.streams) {
      const m = s.nominal.massFlowKgPerS;
      if (m === undefined) continue;
      if (s.to === unitId) net += m;
      if (s.from === unitId) net -= m;
    }
    return net;
  }

  /** Σ in − Σ out of energy over the streams defined so far, W. */
  energyNet(unitId: string): number {
    let net = 0;
    for (const s of this.streams) {
      const e = s.nominal.powerW ?? (s.nominal.massFlowKgPerS ?? 0) * (s.nominal.specificEnthalpyJPerKg ?? 0);
      if (s.to === unitId) net += e;
      if (s.from === unitId) net -= e;
    }
    return net;
  }

  /** Mass-weighted mix of the streams entering a unit: composition, enthalpy and temperature. */
  mix(unitId: string, cp: number) {
    const inbound = this.streams.filter((s) => s.to === unitId && s.nominal.massFlowKgPerS !== undefined);
    const total = inbound.reduce((sum, s) => sum + s.nominal.massFlowKgPerS!, 0);
    const fractions: Record<string, number> = {};
    let h = 0;
    for (const s of inbound) {
      const share = s.nominal.massFlowKgPerS! / total;
      h += share * s.nominal.specificEnthalpyJPerKg!;
      for (const [component, w] of Object.entries(s.nominal.composition ?? {})) fractions[component] = (fractions[component] ?? 0) + share * w;
    }
    const composition = normalise(fractions);
    const lhv = gasLhv(composition);
    return { composition, h: enthalpy(h), temperatureK: T0 + (h - lhv) / cp, lhv, normalDensity: gasNormalDensity(composition) };
  }

  /**
   * Adds instrument tags for a stream: F (mass flow, t/h), Fk (kg/h), Fv (m³/h), Fn (Nm³/h), Fk n (kNm³/h),
   * T (°C), P (barg), Pm (mbarg), J (MW), Jk (kW), A:<component> (analyser, %).
   */
  measure(areaId: string, streamId: string, ...specs: string[]) {
    const stream = this.get(streamId);
    for (const spec of specs) this.tags.push(this.makeTag(areaId, stream, spec));
  }

  /** Level tag (m) on a tank or holder, optionally also in % of height. */
  level(areaId: string, unitId: string, heightM: number, percent = false) {
    const id = this.nextId(areaId, 'LI');
    this.tags.push({
      id,
      description: `${unitId} level`,
      kind: 'level',
      unitId,
      unit: 'm',
      range: { min: 0, max: heightM },
      uncertainty: { standardDeviation: 0.005, basis: 'absolute' },
      samplingPeriodS: 10,
      exception: { deadband: 0.002, maxIntervalS: 600 },
    });
    if (percent)
      this.tags.push({
        id: this.nextId(areaId, 'LI'),
        description: `${unitId} level (radar, % of height)`,
        kind: 'level',
        unitId,
        unit: '%',
        range: { min: 0, max: 100 },
        uncertainty: { standardDeviation: 0.1, basis: 'absolute' },
        samplingPeriodS: 10,
      });
  }

  private nextId(areaId: string, letters: string): string {
    const next = this.counters.get(areaId)! + 1;
    this.counters.set(areaId, next);
    return `${letters}-${next}`;
  }

  private makeTag(areaId: string, stream: StreamDef, spec: string): Tag {
    const n = stream.nominal;
    const [code, component] = spec.split(':');
    const base = { description: stream.name, streamId: stream.id };
    const flow = (letters: string, unit: string, kind: Tag['kind'], valueSI: number, pct: number): Tag => ({
      id: this.nextId(areaId, letters),
      ...base,
      kind,
      unit,
      range: { min: 0, max: niceCeil(1.6 * fromSI(valueSI, unit)) },
      uncertainty: { standardDeviation: pct, basis: 'percentOfReading' },
      samplingPeriodS: 1,
    });
    switch (code) {
      case 'F':
        return flow('FI', 't/h', 'massFlow', n.massFlowKgPerS!, 1);
      case 'Fk':
        return flow('FI', 'kg/h', 'massFlow', n.massFlowKgPerS!, 1);
      case 'Fc':
        return flow('FI', 't/h', 'massFlow', n.massFlowKgPerS!, 0.25); // Coriolis
      case 'Fv':
        return flow('FI', 'm3/h', 'volumetricFlow', n.massFlowKgPerS! / n.densityKgPerM3!, 1);
      case 'Fn':
        return flow('FI', 'Nm3/h', 'normalVolumetricFlow', n.massFlowKgPerS! / n.normalDensityKgPerNm3!, 2);
      case 'Fkn':
        return flow('FI', 'kNm3/h', 'normalVolumetricFlow', n.massFlowKgPerS! / n.normalDensityKgPerNm3!, 2.5);
      case 'J':
        return flow('JI', 'MW', 'power', n.powerW!, 0.5);
      case 'Jk':
        return flow('JI', 'kW', 'power', n.powerW!, 0.5);
      case 'T': {
        const c = fromSI(n.temperatureK!, 'degC');
        const span = c > 400 ? 200 : 100;
        return {
          id: this.nextId(areaId, 'TI'),
          ...base,
          kind: 'temperature',
          unit: 'degC',
          range: { min: Math.max(-20, Math.floor((c - span) / 10) * 10), max: Math.ceil((c + span) / 10) * 10 },
          uncertainty: { standardDeviation: c > 400 ? 2 : 0.5, basis: 'absolute' },
          samplingPeriodS: 5,
          exception: { deadband: 0.1, maxIntervalS: 600 },
        };
      }
      case 'P':
      case 'Pm': {
        const unit = code === 'P' ? 'barg' : 'mbarg';
        const gauge = fromSI(n.pressurePa!, unit);
        return {
          id: this.nextId(areaId, 'PI'),
          ...base,
          kind: 'pressure',
          unit,
          range: { min: 0, max: niceCeil(Math.max(gauge, 0) * 1.8 + (code === 'P' ? 0.5 : 20)) },
          uncertainty: { standardDeviation: 0.25, basis: 'percentOfSpan' },
          samplingPeriodS: 1,
        };
      }
      case 'A': {
        const fraction = n.composition![component];
        return {
          id: this.nextId(areaId, 'AI'),
          ...base,
          description: `${stream.name}, ${component}`,
          kind: 'composition',
          component,
          unit: '%',
          compositionBasis: 'mass',
          range: { min: 0, max: Math.min(100, niceCeil(fraction * 100 * 1.6 + 1)) },
          uncertainty: { standardDeviation: 2, basis: 'percentOfReading' },
          samplingPeriodS: 60,
        };
      }
      default:
        throw new Error(`unknown measurement ${spec}`);
    }
  }

  build(): PlantModelInput {
    return {
      schemaVersion: 1,
      plantId: this.plantId,
      name: this.name,
      description: this.description,
      sites: [
        {
          id: this.site.id,
          name: this.site.name,
          areas: this.areas.map(({ id, name, units }) => ({ id, name, units })),
        },
      ],
      streams: this.streams,
      tags: this.tags,
    };
  }
}

/** 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ at or above the value. */
export const niceCeil = (value: number): number => {
  if (value <= 0) return 1;
  const exponent = Math.floor(Math.log10(value));
  const scale = 10 ** exponent;
  const step = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((s) => s * scale >= value * (1 - 1e-12))!;
  return round(step * scale, Math.max(0, -exponent + 2));
};

export { toSI };
