/** OPC UA quality classes of a sample. */
export type SampleQuality = 'good' | 'uncertain' | 'bad';

/** One reading of one tag, in the tag's engineering unit. */
export interface Sample {
  readonly tagId: string;
  readonly timestampMs: number;
  readonly value: number;
  readonly quality: SampleQuality;
  /** OPC UA status code name (`Good`, `Uncertain_EngineeringUnitsExceeded`, `Bad_SensorFailure`). */
  readonly statusCode: string;
}
