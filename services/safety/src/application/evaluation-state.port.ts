import type { PoolClient } from 'pg';
import type { TagEngineState } from '../domain/alarm-engine';

/** What the evaluator keeps beside the alarm events, in the same transaction as them. */
export interface EvaluationStateStore {
  /** Records a processed batch; false when it was already processed (a redelivery). */
  markProcessed(transaction: PoolClient, plantId: string, batchKey: string): Promise<boolean>;
  saveTagStates(transaction: PoolClient, plantId: string, states: readonly (readonly [string, TagEngineState])[]): Promise<void>;
  loadTagStates(plantId: string): Promise<Map<string, TagEngineState>>;
}
