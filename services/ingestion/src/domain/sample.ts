/** One measurement as a client sends it. `timeMs` is Unix epoch milliseconds (UTC). */
export interface IncomingSample {
  readonly tagId: string;
  readonly timeMs: number;
  readonly value: number;
  /** OPC UA StatusCode (unsigned 32-bit); Good (0) when omitted. */
  readonly quality?: number;
  /** Engineering unit of `value`; the tag's unit when omitted. */
  readonly unit?: string;
}

/** A validated sample in its tag's unit, ready to store. */
export interface Sample {
  readonly tagId: string;
  readonly timeMs: number;
  readonly value: number;
  readonly quality: number;
}

/**
 * A batch as written by a client. `clientBatchId` makes a retried batch idempotent, per writer: the
 * same writer, id and content is a retry; the same writer and id with other content is refused.
 */
export interface SampleBatch {
  readonly clientBatchId: string;
  readonly samples: readonly IncomingSample[];
  /** Who writes: the authenticated caller's subject, set by the transport (never by the client); '' when unknown. */
  readonly writer?: string;
}

export const RejectionReasons = [
  'UNKNOWN_TAG',
  'NON_FINITE_VALUE',
  'INVALID_TIMESTAMP',
  'TIMESTAMP_IN_FUTURE',
  'TIMESTAMP_BEYOND_BACKFILL_HORIZON',
  'UNIT_MISMATCH',
  'INVALID_QUALITY',
  'INVALID_STATE',
] as const;
export type RejectionReason = (typeof RejectionReasons)[number];

export interface SampleRejection {
  /** Position of the sample in its batch. */
  readonly index: number;
  readonly tagId: string;
  readonly reason: RejectionReason;
  readonly detail: string;
}

/** What a batch writer gets back; a retried batch gets the identical acknowledgement. */
export interface BatchAck {
  readonly clientBatchId: string;
  /** Samples that passed validation (stored, or deliberately dropped by exception filtering). */
  readonly acceptedCount: number;
  /** Accepted samples not stored because the tag's exception deadband suppressed them. */
  readonly filteredCount: number;
  readonly rejected: readonly SampleRejection[];
  /** True when this ack is a replay of an earlier commit of the same batch id. */
  readonly duplicate: boolean;
}
