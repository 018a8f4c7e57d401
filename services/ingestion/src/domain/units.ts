/**
 * Unit conversion for samples that carry a unit different from their tag's. Units are linear
 * (`si = value * scale + offset`) within a dimension; a sample may be converted only within the same
 * dimension. Symbols follow UCUM-like spellings used on plant historians.
 */
interface UnitDef {
  readonly dimension: string;
  readonly scale: number;
  readonly offset: number;
}

const units: Record<string, UnitDef> = {
  K: { dimension: 'temperature', scale: 1, offset: 0 },
  degC: { dimension: 'temperature', scale: 1, offset: 273.15 },
  '°C': { dimension: 'temperature', scale: 1, offset: 273.15 },
  degF: { dimension: 'temperature', scale: 5 / 9, offset: 273.15 - (32 * 5) / 9 },
  Pa: { dimension: 'pressure', scale: 1, offset: 0 },
  kPa: { dimension: 'pressure', scale: 1e3, offset: 0 },
  MPa: { dimension: 'pressure', scale: 1e6, offset: 0 },
  bar: { dimension: 'pressure', scale: 1e5, offset: 0 },
  mbar: { dimension: 'pressure', scale: 100, offset: 0 },
  'kg/s': { dimension: 'mass-flow', scale: 1, offset: 0 },
  'kg/h': { dimension: 'mass-flow', scale: 1 / 3600, offset: 0 },
  't/h': { dimension: 'mass-flow', scale: 1000 / 3600, offset: 0 },
  'm3/s': { dimension: 'volume-flow', scale: 1, offset: 0 },
  'm3/h': { dimension: 'volume-flow', scale: 1 / 3600, offset: 0 },
  kg: { dimension: 'mass', scale: 1, offset: 0 },
  t: { dimension: 'mass', scale: 1000, offset: 0 },
  m: { dimension: 'length', scale: 1, offset: 0 },
  mm: { dimension: 'length', scale: 1e-3, offset: 0 },
  W: { dimension: 'power', scale: 1, offset: 0 },
  kW: { dimension: 'power', scale: 1e3, offset: 0 },
  MW: { dimension: 'power', scale: 1e6, offset: 0 },
  '1': { dimension: 'ratio', scale: 1, offset: 0 },
  '%': { dimension: 'ratio', scale: 0.01, offset: 0 },
};

/** A function converting a value from `from` to `to`, or undefined when they are not convertible. */
export function unitConverter(from: string, to: string): ((v: number) => number) | undefined {
  if (from === to) return (v) => v;
  const a = units[from];
  const b = units[to];
  if (!a || !b || a.dimension !== b.dimension) return undefined;
  return (v) => (v * a.scale + a.offset - b.offset) / b.scale;
}
