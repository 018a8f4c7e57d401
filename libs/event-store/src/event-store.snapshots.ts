import type { Pool } from 'pg';
import type { Snapshot } from './snapshot.port';

export async function loadSnapshot(pool: Pool, streamId: string, name: string, schemaVersion: number): Promise<Snapshot | undefined> {
  const { rows } = await pool.query<[number, unknown]>({
    name: 'reflux_load_snapshot',
    text: 'SELECT stream_version::float8, state FROM reflux_snapshots WHERE stream_id = $1 AND name = $2 AND schema_version = $3',
    values: [streamId, name, schemaVersion],
    rowMode: 'array',
  });
  return rows.length === 0 ? undefined : { streamVersion: rows[0][0], state: rows[0][1] };
}

export async function saveSnapshot(pool: Pool, streamId: string, name: string, schemaVersion: number, snapshot: Snapshot): Promise<void> {
  await pool.query({
    name: 'reflux_save_snapshot',
    text: `INSERT INTO reflux_snapshots AS s (stream_id, name, schema_version, stream_version, state) VALUES ($1, $2, $3, $4, $5::jsonb)
           ON CONFLICT (stream_id, name) DO UPDATE SET schema_version = EXCLUDED.schema_version, stream_version = EXCLUDED.stream_version,
             state = EXCLUDED.state, updated_at = now()
           WHERE s.schema_version <> EXCLUDED.schema_version OR s.stream_version < EXCLUDED.stream_version`,
    values: [streamId, name, schemaVersion, snapshot.streamVersion, JSON.stringify(snapshot.state)],
  });
}
