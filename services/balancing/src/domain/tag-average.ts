/**
 * The average of one tag over a window, in the tag's engineering unit, as the history (or a
 * request) delivers it. `standardDeviation` is the uncertainty of the average when the source
 * knows it (window spread, or given in a request); otherwise the tag's own uncertainty is used.
 */
export interface TagAverage {
  readonly tagId: string;
  readonly value: number;
  readonly standardDeviation?: number;
  /** The standard deviation was chosen by the caller (a Reconcile request): used whatever the sigma source. */
  readonly sigmaExplicit?: boolean;
  /** Level tags: change over the window (last − first), in the tag's unit. */
  readonly levelChange?: number;
  /** Samples in the window (any quality); 0 = no data. */
  readonly sampleCount?: number;
  /** Share of the window the history has values for (history sources), 0..1. */
  readonly coverage?: number;
  /** Share of good-quality samples, 0..1. */
  readonly goodShare?: number;
}

export type SigmaSource = 'tag' | 'window';
