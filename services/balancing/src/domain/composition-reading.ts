import { compositionBasisOf, massToMoleFractions, spanFromSI, spanToSI, toSI, type PlantGraph, type Tag } from '@reflux/plant-model';
import type { TagAverage } from './tag-average';

/** An analyser's window average as a mass fraction, kg/kg. */
export interface MassFractionReading {
  readonly value: number;
  readonly sigma: number;
  /** The fraction on the tag's own basis (mol/mol for a mole-basis tag) of a mass fraction. */
  readonly toTagBasis: (massFraction: number) => number;
}

const identity = (w: number) => w;

/**
 * Reads composition tags as mass fractions. A mass-basis tag (wt%, mass fraction) is converted by
 * its unit only. A mole-basis tag (mol%, a chromatograph) of component i is converted with the
 * molar masses, the rest of the stream keeping its proportions:
 *   w = x·M_i / (x·M_i + (1 − x)·M_r),  σ_w = σ_x·M_i·M_r / (x·M_i + (1 − x)·M_r)²,
 * M_r the mean molar mass of the stream's other declared components (their mole fractions from the
 * stream's other usable mole-basis analysers, else from its nominal composition). The inverse
 * x = w·M_r / (M_i·(1 − w) + w·M_r) gives biases back in the tag's unit. 80 mol% H₂ in a fuel gas
 * of CH₄ and C₂H₆ is thus about 25 wt%, not 80. A mole-basis tag on a stream without a declared
 * composition, or without the molar masses of its components, is not usable (warning).
 */
export function compositionReader(graph: PlantGraph, usable: (tag: Tag) => TagAverage | undefined, sigmaOf: (tag: Tag, a: TagAverage) => number, warnings: string[]) {
  const molarMass = new Map((graph.model.components ?? []).map((c) => [c.name, c.molarMassKgPerKmol]));

  /** Mean molar mass of the stream's declared components other than `component`. */
  const restMolarMass = (streamId: string, component: string): number | undefined => {
    const nominal = graph.stream(streamId).nominal.composition;
    if (!nominal || !Object.keys(nominal).every((c) => molarMass.has(c))) return undefined;
    const x: Record<string, number> = massToMoleFractions(nominal, (c) => molarMass.get(c));
    for (const tag of graph.tagsOfStream(streamId))
      if (tag.kind === 'composition' && tag.component !== undefined && tag.component !== component && tag.component in x && compositionBasisOf(tag) === 'mole') {
        const a = usable(tag);
        if (a) x[tag.component] = toSI(a.value, tag.unit);
      }
    const rest = Object.entries(x).filter(([c]) => c !== component);
    const total = rest.reduce((s, [, v]) => s + v, 0);
    return total > 0 ? rest.reduce((s, [c, v]) => s + v * molarMass.get(c)!, 0) / total : undefined;
  };

  return {
    read(tag: Tag, average: TagAverage): MassFractionReading | undefined {
      const value = toSI(average.value, tag.unit);
      const sigma = spanToSI(sigmaOf(tag, average), tag.unit);
      if (compositionBasisOf(tag) !== 'mole') return { value, sigma, toTagBasis: identity };
      const mi = tag.component === undefined ? undefined : molarMass.get(tag.component);
      const mr = tag.streamId === undefined || tag.component === undefined ? undefined : restMolarMass(tag.streamId, tag.component);
      if (mi === undefined || mr === undefined) {
        warnings.push(`tag ${tag.id}: a mole-basis analyser needs its stream's declared composition and the molar masses of its components; not used`);
        return undefined;
      }
      const mixture = value * mi + (1 - value) * mr;
      return {
        value: (value * mi) / mixture,
        sigma: (sigma * mi * mr) / (mixture * mixture),
        toTagBasis: (w) => (w * mr) / (mi * (1 - w) + w * mr),
      };
    },
  };
}

/** A mass-fraction bias (measured − reconciled, kg/kg) of a reading as a difference in the tag's unit. */
export const biasInTagUnit = (tag: Tag, reading: Pick<MassFractionReading, 'value' | 'toTagBasis'>, biasMassFraction: number): number =>
  spanFromSI(reading.toTagBasis(reading.value) - reading.toTagBasis(reading.value - biasMassFraction), tag.unit);
