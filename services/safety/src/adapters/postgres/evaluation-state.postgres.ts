import type { Pool, PoolClient } from 'pg';
import type { EvaluationStateStore } from '../../application/evaluation-state.port';
import type { TagEngineState } from '../../domain/alarm-engine';

/** Engine state per tag (JSON; ±Infinity and NaN as null) and processed batch keys, in PostgreSQL. */
export class PostgresEvaluationState implements EvaluationStateStore {
  constructor(private readonly pool: Pool) {}

  async markProcessed(transaction: PoolClient, plantId: string, batchKey: string): Promise<boolean> {
    const { rowCount } = await transaction.query('INSERT INTO safety_processed_batches (plant_id, batch_key) VALUES ($1, $2) ON CONFLICT DO NOTHING', [plantId, batchKey]);
    return rowCount === 1;
  }

  async saveTagStates(transaction: PoolClient, plantId: string, states: readonly (readonly [string, TagEngineState])[]): Promise<void> {
    if (states.length === 0) return;
    await transaction.query(
      `INSERT INTO safety_engine_tags (plant_id, tag_id, state)
       SELECT $1, t, s FROM unnest($2::text[], $3::jsonb[]) AS u(t, s)
       ON CONFLICT (plant_id, tag_id) DO UPDATE SET state = EXCLUDED.state`,
      [plantId, states.map(([t]) => t), states.map(([, s]) => JSON.stringify({ ...s, lastTimeMs: Number.isFinite(s.lastTimeMs) ? s.lastTimeMs : null, lastValue: Number.isFinite(s.lastValue) ? s.lastValue : null }))],
    );
  }

  async loadTagStates(plantId: string): Promise<Map<string, TagEngineState>> {
    const { rows } = await this.pool.query<{ tag_id: string; state: TagEngineState & { lastTimeMs: number | null; lastValue: number | null } }>(
      'SELECT tag_id, state FROM safety_engine_tags WHERE plant_id = $1',
      [plantId],
    );
    return new Map(rows.map((r) => [r.tag_id, { ...r.state, lastTimeMs: r.state.lastTimeMs ?? Number.NEGATIVE_INFINITY, lastValue: r.state.lastValue ?? Number.NaN }]));
  }

  /** Forgets processed batch keys older than the bus's redelivery horizon. */
  async pruneProcessed(olderThan: Date): Promise<number> {
    const { rowCount } = await this.pool.query('DELETE FROM safety_processed_batches WHERE processed_at < $1', [olderThan]);
    return rowCount ?? 0;
  }
}
