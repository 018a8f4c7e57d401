/**
 * What happens when a sample arrives for a tag and timestamp that already hold one:
 * `replace` overwrites (the PI "replace" mode), `keep-first` ignores the newcomer, `keep-both` stores
 * both (PI "insert" mode; readers see them in arrival order).
 */
export type DuplicatePolicy = 'replace' | 'keep-first' | 'keep-both';
export const DuplicatePolicies: readonly DuplicatePolicy[] = ['replace', 'keep-first', 'keep-both'];

/** The catalog's view of a tag, as the ingestion service needs it. */
export interface TagDefinition {
  readonly id: string;
  readonly plantId: string;
  /** Engineering unit of stored values (`degC`, `bar`, `kg/s`, …). */
  readonly unit: string;
  readonly min?: number;
  readonly max?: number;
  /** Expected sampling period in seconds. */
  readonly samplingPeriodS?: number;
  /**
   * Exception deadband in the tag's unit: when set, a sample is stored only when it differs from the
   * last stored one by more than this, or `exceptionMaxS` has elapsed. Off when undefined.
   */
  readonly deadband?: number;
  /** Longest time between stored samples under exception filtering, seconds (600 when omitted). */
  readonly exceptionMaxS?: number;
  /** Discrete/stepped tag: values hold until the next sample (no linear interpolation). */
  readonly stepped?: boolean;
  /** Overrides the service-wide duplicate-timestamp policy. */
  readonly duplicatePolicy?: DuplicatePolicy;
  /**
   * Digital tag: the value is the 0-based index of one of these states (a PI digital state set).
   * Digital tags step, accept only state indices, and are never averaged.
   */
  readonly digitalStates?: readonly string[];
  /** Swinging-door compression (after exception filtering); off when undefined. */
  readonly compression?: { readonly deviation: number; readonly minIntervalS?: number; readonly maxIntervalS?: number };
}
