import { findUnitOfMeasure } from '../units/unit-of-measure.registry';
import type { Tag } from '../model/plant-model.schema';

export type CompositionBasis = 'mass' | 'mole';

/** Units that do not say whether a fraction is by mass or by mole. */
const AMBIGUOUS = new Set(['%', '1', 'ppm']);

/**
 * The basis of a composition tag: from its unit when the unit says it (`mol%`, `mol fraction` →
 * mole; `wt%`, `mass fraction` → mass), else from `compositionBasis`; undefined when neither says
 * (the plant-model validation refuses such a tag).
 */
export function compositionBasisOf(tag: Pick<Tag, 'unit' | 'compositionBasis'>): CompositionBasis | undefined {
  const kind = findUnitOfMeasure(tag.unit)?.kind;
  if (kind === 'moleFraction') return 'mole';
  if (AMBIGUOUS.has(tag.unit)) return tag.compositionBasis;
  return kind === 'fraction' ? 'mass' : undefined;
}

/** True when the unit alone does not tell a mass from a mole basis. */
export const isAmbiguousCompositionUnit = (unit: string): boolean => AMBIGUOUS.has(unit);

/**
 * Mass fractions of a mixture from its mole fractions: wᵢ = xᵢ·Mᵢ / Σ xⱼ·Mⱼ. Every component needs
 * its molar mass (kg/kmol); the fractions need not sum to 1 (they are normalised).
 */
export function moleToMassFractions(moleFractions: Readonly<Record<string, number>>, molarMassKgPerKmol: (component: string) => number | undefined): Record<string, number> {
  return convert(moleFractions, (c) => needMolarMass(c, molarMassKgPerKmol), (x, m) => x * m);
}

/** Mole fractions of a mixture from its mass fractions: xᵢ = (wᵢ/Mᵢ) / Σ wⱼ/Mⱼ. */
export function massToMoleFractions(massFractions: Readonly<Record<string, number>>, molarMassKgPerKmol: (component: string) => number | undefined): Record<string, number> {
  return convert(massFractions, (c) => needMolarMass(c, molarMassKgPerKmol), (w, m) => w / m);
}

function convert(fractions: Readonly<Record<string, number>>, molarMass: (c: string) => number, weigh: (f: number, m: number) => number): Record<string, number> {
  const weighted = Object.entries(fractions).map(([c, f]) => [c, weigh(f, molarMass(c))] as const);
  const total = weighted.reduce((a, [, v]) => a + v, 0);
  if (!(total > 0)) throw new Error('a composition needs at least one component with a positive fraction');
  return Object.fromEntries(weighted.map(([c, v]) => [c, v / total]));
}

function needMolarMass(component: string, molarMass: (c: string) => number | undefined): number {
  const m = molarMass(component);
  if (m === undefined || !(m > 0)) throw new Error(`no molar mass for component "${component}": add it to the plant model's components`);
  return m;
}
