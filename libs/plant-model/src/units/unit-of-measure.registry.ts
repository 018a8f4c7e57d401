import type { QuantityKind } from './quantity-kind';
import { UnknownUnitOfMeasureError, IncompatibleUnitsError } from './unit-of-measure.errors';

/**
 * An engineering unit as an affine map to SI: `si = (value + offset) * factor`.
 * Offsets cover degC/degF and gauge pressure (barg, psig, kPag relative to 1 atm).
 */
export interface UnitOfMeasure {
  readonly symbol: string;
  readonly kind: QuantityKind;
  readonly factor: number;
  readonly offset: number;
  readonly description: string;
}

const ATM_PA = 101_325;
const HOUR_S = 3600;

const u = (symbol: string, kind: QuantityKind, factor: number, description: string, offset = 0): UnitOfMeasure => ({
  symbol,
  kind,
  factor,
  offset,
  description,
});

const UNITS: readonly UnitOfMeasure[] = [
  // mass flow
  u('kg/s', 'massFlow', 1, 'kilogram per second'),
  u('kg/h', 'massFlow', 1 / HOUR_S, 'kilogram per hour'),
  u('t/h', 'massFlow', 1000 / HOUR_S, 'tonne per hour'),
  u('t/d', 'massFlow', 1000 / 86_400, 'tonne per day'),
  // volumetric flow at actual conditions
  u('m3/s', 'volumetricFlow', 1, 'cubic metre per second'),
  u('m3/h', 'volumetricFlow', 1 / HOUR_S, 'cubic metre per hour'),
  u('L/s', 'volumetricFlow', 1e-3, 'litre per second'),
  u('bbl/d', 'volumetricFlow', 0.158_987_294_928 / 86_400, 'oil barrel per day'),
  // volumetric flow at normal conditions (0 degC, 1.01325 bar)
  u('Nm3/s', 'normalVolumetricFlow', 1, 'normal cubic metre per second'),
  u('Nm3/h', 'normalVolumetricFlow', 1 / HOUR_S, 'normal cubic metre per hour'),
  u('kNm3/h', 'normalVolumetricFlow', 1000 / HOUR_S, 'thousand normal cubic metres per hour'),
  // temperature
  u('K', 'temperature', 1, 'kelvin'),
  u('degC', 'temperature', 1, 'degree Celsius', 273.15),
  u('degF', 'temperature', 5 / 9, 'degree Fahrenheit', 459.67),
  // pressure (absolute unless suffixed g)
  u('Pa', 'pressure', 1, 'pascal (absolute)'),
  u('kPa', 'pressure', 1e3, 'kilopascal (absolute)'),
  u('MPa', 'pressure', 1e6, 'megapascal (absolute)'),
  u('bar', 'pressure', 1e5, 'bar (absolute)'),
  u('mbar', 'pressure', 1e2, 'millibar (absolute)'),
  u('barg', 'pressure', 1e5, 'bar gauge (relative to 1.01325 bar)', ATM_PA / 1e5),
  u('kPag', 'pressure', 1e3, 'kilopascal gauge', ATM_PA / 1e3),
  u('mbarg', 'pressure', 1e2, 'millibar gauge', ATM_PA / 1e2),
  u('psig', 'pressure', 6_894.757_293_168, 'pound-force per square inch gauge', ATM_PA / 6_894.757_293_168),
  // power
  u('W', 'power', 1, 'watt'),
  u('kW', 'power', 1e3, 'kilowatt'),
  u('MW', 'power', 1e6, 'megawatt'),
  u('GJ/h', 'power', 1e9 / HOUR_S, 'gigajoule per hour'),
  // specific enthalpy
  u('J/kg', 'specificEnthalpy', 1, 'joule per kilogram'),
  u('kJ/kg', 'specificEnthalpy', 1e3, 'kilojoule per kilogram'),
  u('MJ/kg', 'specificEnthalpy', 1e6, 'megajoule per kilogram'),
  // dimensionless
  u('1', 'fraction', 1, 'fraction (dimensionless)'),
  u('mass fraction', 'fraction', 1, 'mass fraction'),
  u('%', 'fraction', 1e-2, 'percent'),
  u('wt%', 'fraction', 1e-2, 'mass percent'),
  u('mol/mol', 'moleFraction', 1, 'mole fraction'),
  u('mol fraction', 'moleFraction', 1, 'mole fraction'),
  u('mol%', 'moleFraction', 1e-2, 'mole percent'),
  u('mol ppm', 'moleFraction', 1e-6, 'parts per million by mole'),
  u('ppm', 'fraction', 1e-6, 'parts per million'),
  // geometry, inventory
  u('m', 'length', 1, 'metre'),
  u('mm', 'length', 1e-3, 'millimetre'),
  u('cm', 'length', 1e-2, 'centimetre'),
  u('m2', 'area', 1, 'square metre'),
  u('m3', 'volume', 1, 'cubic metre'),
  u('Nm3', 'normalVolume', 1, 'normal cubic metre (gas holder inventory)'),
  u('kg', 'mass', 1, 'kilogram'),
  u('t', 'mass', 1e3, 'tonne'),
  u('kg/m3', 'density', 1, 'kilogram per cubic metre'),
  u('kg/Nm3', 'normalDensity', 1, 'kilogram per normal cubic metre'),
  u('J', 'energy', 1, 'joule'),
  u('kWh', 'energy', 3.6e6, 'kilowatt hour'),
  u('MWh', 'energy', 3.6e9, 'megawatt hour'),
  u('GJ', 'energy', 1e9, 'gigajoule'),
  u('s', 'time', 1, 'second'),
  u('min', 'time', 60, 'minute'),
  u('h', 'time', HOUR_S, 'hour'),
  u('rad/s', 'rotationalSpeed', 1, 'radian per second'),
  u('rpm', 'rotationalSpeed', (2 * Math.PI) / 60, 'revolution per minute'),
];

const BY_SYMBOL: ReadonlyMap<string, UnitOfMeasure> = new Map(UNITS.map((unit) => [unit.symbol, unit]));

/** Every registered engineering unit. */
export const unitsOfMeasure = (): readonly UnitOfMeasure[] => UNITS;

export const findUnitOfMeasure = (symbol: string): UnitOfMeasure | undefined => BY_SYMBOL.get(symbol);

/** The registered unit, or `UOM.UNKNOWN_UNIT`. */
export const unitOfMeasure = (symbol: string): UnitOfMeasure => {
  const unit = BY_SYMBOL.get(symbol);
  if (!unit) throw new UnknownUnitOfMeasureError(symbol);
  return unit;
};

export const toSI = (value: number, symbol: string): number => {
  const unit = unitOfMeasure(symbol);
  return (value + unit.offset) * unit.factor;
};

export const fromSI = (valueSI: number, symbol: string): number => {
  const unit = unitOfMeasure(symbol);
  return valueSI / unit.factor - unit.offset;
};

/** Converts a difference or a standard deviation (no offset): 1 degC of spread is 1 K. */
export const spanToSI = (span: number, symbol: string): number => span * unitOfMeasure(symbol).factor;
export const spanFromSI = (spanSI: number, symbol: string): number => spanSI / unitOfMeasure(symbol).factor;

/** Converts between two units of the same quantity kind (`UOM.INCOMPATIBLE` otherwise). */
export const convert = (value: number, from: string, to: string): number => {
  const source = unitOfMeasure(from);
  const target = unitOfMeasure(to);
  if (source.kind !== target.kind) throw new IncompatibleUnitsError(from, source.kind, to, target.kind);
  return fromSI(toSI(value, from), to);
};

/** Gas flow in normal cubic metres to mass flow, given the gas density at normal conditions. */
export const normalVolumeFlowToMassFlow = (value: number, symbol: string, normalDensityKgPerNm3: number): number => {
  const unit = unitOfMeasure(symbol);
  if (unit.kind !== 'normalVolumetricFlow') throw new IncompatibleUnitsError(symbol, unit.kind, 'kg/s', 'massFlow');
  return toSI(value, symbol) * normalDensityKgPerNm3;
};

/** Liquid or gas flow at actual conditions to mass flow, given the density at those conditions. */
export const volumeFlowToMassFlow = (value: number, symbol: string, densityKgPerM3: number): number => {
  const unit = unitOfMeasure(symbol);
  if (unit.kind !== 'volumetricFlow') throw new IncompatibleUnitsError(symbol, unit.kind, 'kg/s', 'massFlow');
  return toSI(value, symbol) * densityKgPerM3;
};
