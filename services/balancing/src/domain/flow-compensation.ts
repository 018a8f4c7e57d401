import { toSI, type FlowCompensation, type PlantGraph, type Stream, type Tag } from '@reflux/plant-model';
import { fluidDensity, massFlowPerReading, type FlowOutput, type FluidDensityModel } from '@reflux/reconciliation';
import type { TagAverage } from './tag-average';
import { massPerSiUnit } from './tag-conversion';

const OUTPUT: Readonly<Record<string, FlowOutput>> = { massFlow: 'mass', volumetricFlow: 'volume', normalVolumetricFlow: 'normalVolume' };

/** The live temperature and pressure tags compensated flow meters name (to read from the history). */
export const compensationTagIds = (graph: PlantGraph): string[] =>
  graph
    .tags()
    .flatMap((t) => (t.compensation ? [t.compensation.temperatureTagId, t.compensation.pressureTagId] : []))
    .filter((id): id is string => id !== undefined);

const densityModel = (c: FlowCompensation): FluidDensityModel => {
  switch (c.fluid) {
    case 'steam':
      return { fluid: 'steam' };
    case 'gas':
      return { fluid: 'gas', molarMassKgPerKmol: c.molarMassKgPerKmol!, compressibility: c.compressibility };
    case 'liquid':
      return { fluid: 'liquid', referenceDensityKgPerM3: c.referenceDensityKgPerM3!, referenceTemperatureK: c.referenceTemperatureK!, expansionCoefficientPerK: c.expansionCoefficientPerK! };
  }
};

/**
 * kg/s of mass flow per SI unit of a flow tag's reading in this window. Without `compensation` in
 * the plant model: the design conversion (1, the stream's density, its normal density). With it:
 * the meter's compensation factor (`massFlowPerReading`: √(ρ/ρ_d) for a DP mass reading, √(ρ·ρ_d)
 * for a DP volume reading, ρ for a linear volume reading …), ρ the fluid's density at the window
 * averages of the live temperature and pressure tags, ρ_d at the design conditions. A live tag
 * that is not usable (`usable` says why in the warnings) is replaced by its design value, with a
 * warning; conditions the fluid model refuses (steam at saturation) leave the meter uncompensated,
 * with a warning. Undefined when the plant model lacks the density the conversion needs.
 */
export function massPerReading(graph: PlantGraph, tag: Tag, stream: Stream, usable: (tag: Tag) => TagAverage | undefined, warnings: string[]): number | undefined {
  const c = tag.compensation;
  if (!c) return massPerSiUnit(tag, stream);
  const live = (tagId: string | undefined, design: number, what: string): number => {
    if (tagId === undefined) return design;
    const average = usable(graph.tag(tagId));
    if (average) return toSI(average.value, graph.tag(tagId).unit);
    warnings.push(`tag ${tag.id}: ${what} tag ${tagId} has no usable average; compensated at the design ${what}`);
    return design;
  };
  const T = live(c.temperatureTagId, c.designTemperatureK, 'temperature');
  const p = live(c.pressureTagId, c.designPressurePa, 'pressure');
  const model = densityModel(c);
  try {
    return massFlowPerReading({
      element: c.element,
      output: OUTPUT[tag.kind],
      actualDensityKgPerM3: fluidDensity(model, p, T),
      designDensityKgPerM3: fluidDensity(model, c.designPressurePa, c.designTemperatureK),
      normalDensityKgPerNm3: stream.nominal.normalDensityKgPerNm3,
    });
  } catch (error) {
    warnings.push(`tag ${tag.id}: not compensated (${(error as Error).message})`);
    return massPerSiUnit(tag, stream);
  }
}
