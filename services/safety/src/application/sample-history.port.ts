/** One stored sample as the safety service reads it (value in the tag's unit, OPC UA status code). */
export interface RawSample {
  readonly tagId: string;
  readonly timeMs: number;
  readonly value: number;
  readonly quality: number;
}

/** Where the samples named by `MeasurementsIngested` are read from (ingestion's ReadRaw). */
export interface SampleHistory {
  /** Every stored sample of these tags in [fromMs, toMs), in any order. Throws a retriable error when unreachable. */
  readRaw(tagIds: readonly string[], fromMs: number, toMs: number, signal?: AbortSignal): Promise<RawSample[]>;
}
