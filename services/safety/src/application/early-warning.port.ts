import type { UnitState } from '../domain/alarm-config';
import type { EventCausation } from './outbox.port';
import type { RawSample } from './sample-history.port';

/** What an early-warning model sees of one evaluated batch. */
export interface EvaluatedBatch {
  readonly plantId: string;
  /** Integration event id of the batch (or the timer tick), unique per batch. */
  readonly batchKey: string;
  /** The batch's samples of configured tags in time order, late ones already left out. */
  readonly samples: readonly RawSample[];
  readonly unitStates: ReadonlyMap<string, UnitState | 'unknown'>;
  /** The batch's `MeasurementsIngested` event: the cause of every warning decided on it. */
  readonly causation?: EventCausation;
}

/**
 * Where multivariate early-warning models (PCA/DPCA, trend prediction) plug in: each is handed every
 * batch after the alarm evaluation of that batch committed, once per batch (a redelivered batch is
 * not handed again). A model publishes its own warnings; a failing model is logged and does not
 * hold back alarm evaluation.
 */
export interface EarlyWarningMonitor {
  readonly name: string;
  observe(batch: EvaluatedBatch): Promise<void>;
}
