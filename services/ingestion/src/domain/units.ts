import { convert, findUnitOfMeasure } from '@reflux/plant-model';

/**
 * A function converting a value from unit `from` to unit `to`, or undefined when they are not of
 * the same quantity kind. Symbols and factors come from the plant model's unit-of-measure registry
 * (`degC`, `bar`, `barg`, `kg/s`, `t/h`, `Nm3/h`, `%`, …), so ingestion and the plant model agree.
 */
export function unitConverter(from: string, to: string): ((v: number) => number) | undefined {
  if (from === to) return (v) => v;
  const a = findUnitOfMeasure(from);
  const b = findUnitOfMeasure(to);
  if (!a || !b || a.kind !== b.kind) return undefined;
  return (v) => convert(v, from, to);
}
