import { spanFromSI, spanToSI, toSI, type Stream, type Tag } from '@reflux/plant-model';
import type { SigmaSource, TagAverage } from './tag-average';

/** Flow tags that measure a stream's mass flow (directly or through a density). */
export const FLOW_TAG_KINDS = ['massFlow', 'volumetricFlow', 'normalVolumetricFlow'] as const;

export const isFlowTag = (tag: Tag): boolean => (FLOW_TAG_KINDS as readonly string[]).includes(tag.kind);

/**
 * kg/s per (SI unit of the tag's quantity): 1 for mass flow, the stream's density for volumetric
 * flow (m³/s → kg/s), its normal density for normal volumetric flow. Undefined when the plant model
 * gives no density, so the tag cannot be used for a mass balance.
 */
export function massPerSiUnit(tag: Tag, stream: Stream): number | undefined {
  switch (tag.kind) {
    case 'massFlow':
      return 1;
    case 'volumetricFlow':
      return stream.nominal.densityKgPerM3;
    case 'normalVolumetricFlow':
      return stream.nominal.normalDensityKgPerNm3;
    default:
      return undefined;
  }
}

/** Share of the span down to which a percent-of-reading accuracy holds by default (10:1 turndown). */
export const DEFAULT_READING_FLOOR_SHARE_OF_SPAN = 0.1;

/**
 * One standard deviation of a reading in the tag's unit, from the plant model's uncertainty:
 * absolute, percent of reading or percent of span, never below the floor in % of span
 * (`floorPercentOfSpan`; by default, for percent of reading, that percentage of 10 % of the span):
 * a DP meter near zero flow does not get the highest weight in the balance.
 */
export function tagSigma(tag: Tag, reading: number): number {
  const span = Math.abs(tag.range.max - tag.range.min);
  const { standardDeviation: sd, basis, floorPercentOfSpan } = tag.uncertainty;
  const floor = (share: number) => (floorPercentOfSpan !== undefined ? (floorPercentOfSpan / 100) * span : share * span);
  switch (basis) {
    case 'absolute':
      return Math.max(sd, floor(0));
    case 'percentOfReading':
      return Math.max((sd / 100) * Math.abs(reading), floor((sd / 100) * DEFAULT_READING_FLOOR_SHARE_OF_SPAN));
    case 'percentOfSpan':
      return Math.max((sd / 100) * span, floor(0));
    default: {
      const exhaustive: never = basis;
      return exhaustive;
    }
  }
}

/** A flow reading and its sigma (tag unit) as SI mass flow, kg/s, with `k` kg/s per SI unit of the reading (default: the design conversion). */
export function flowToKgPerS(tag: Tag, stream: Stream, value: number, sigma: number, k: number | undefined = massPerSiUnit(tag, stream)): { value: number; sigma: number } | undefined {
  if (k === undefined) return undefined;
  return { value: toSI(value, tag.unit) * k, sigma: spanToSI(sigma, tag.unit) * k };
}

/** A mass-flow difference (a bias, kg/s) in the tag's unit, with `k` kg/s per SI unit of the reading (default: the design conversion). */
export function kgPerSToTagUnit(tag: Tag, stream: Stream, kgPerS: number, k: number | undefined = massPerSiUnit(tag, stream)): number | undefined {
  if (k === undefined) return undefined;
  return spanFromSI(kgPerS / k, tag.unit);
}

/** A level or level change in metres: length units directly, fractions (%) of the tank height. */
export function levelToMetres(tag: Tag, value: number, heightM: number): number {
  const si = spanToSI(value, tag.unit);
  return tag.unit === 'm' || tag.unit === 'mm' || tag.unit === 'cm' ? si : si * heightM;
}

/** Inverse-variance weighted mean of independent estimates. */
export function combineEstimates(estimates: readonly { value: number; sigma: number }[]): { value: number; sigma: number } {
  let weight = 0;
  let sum = 0;
  for (const e of estimates) {
    const w = 1 / (e.sigma * e.sigma);
    weight += w;
    sum += w * e.value;
  }
  return { value: sum / weight, sigma: Math.sqrt(1 / weight) };
}

/** Which window averages are usable, and their uncertainty. */
export interface AverageSelection {
  /** `tag`: the plant model's uncertainty; `window`: the spread the source measured (falls back to tag). */
  readonly sigmaSource?: SigmaSource;
  /** Averages from fewer good samples than this share are not used. Default 0.5. */
  readonly minGoodShare?: number;
  /** Averages covering less of the window than this share are not used. Default 0.9. */
  readonly minCoverage?: number;
}

/**
 * Reads tags' window averages for a balance: `usable` gives a tag's average, or undefined (with a
 * warning saying why) when it is missing, not finite, empty, covers too little of the window or
 * has too few good samples; `sigmaOf` its standard deviation in the tag's unit (the caller's
 * explicit one, else the window spread when `sigmaSource` is `window`, else the tag's own).
 */
export function averageReader(averages: ReadonlyMap<string, TagAverage>, selection: AverageSelection, warnings: string[]) {
  const minGoodShare = selection.minGoodShare ?? 0.5;
  const minCoverage = selection.minCoverage ?? 0.9;
  return {
    usable(tag: Tag): TagAverage | undefined {
      const average = averages.get(tag.id);
      if (!average) return undefined;
      if (!Number.isFinite(average.value)) {
        warnings.push(`tag ${tag.id}: average is not a finite number; not used`);
        return undefined;
      }
      if (average.sampleCount === 0) {
        warnings.push(`tag ${tag.id}: no samples in the window; not used`);
        return undefined;
      }
      if (average.coverage !== undefined && average.coverage < minCoverage) {
        warnings.push(`tag ${tag.id}: data covers only ${(100 * average.coverage).toFixed(0)} % of the window; not used`);
        return undefined;
      }
      if (average.goodShare !== undefined && average.goodShare < minGoodShare) {
        warnings.push(`tag ${tag.id}: only ${(100 * average.goodShare).toFixed(0)} % good samples; not used`);
        return undefined;
      }
      return average;
    },
    sigmaOf(tag: Tag, average: TagAverage): number {
      const measured = average.standardDeviation !== undefined && average.standardDeviation > 0;
      if (measured && (selection.sigmaSource === 'window' || average.sigmaExplicit === true)) return average.standardDeviation!;
      return tagSigma(tag, average.value);
    },
  };
}
