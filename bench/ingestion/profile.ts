/**
 * BENCH_PROFILE=1: where PostgreSQL spends the saturation phase. The server preloads
 * pg_stat_statements (nested statements tracked too); statistics are reset when saturation starts
 * and read when it ends: the statements by total execution time, and on TimescaleDB the runs of its
 * background jobs (refresh, compression, retention policies) in that window.
 */
import type { Pool } from 'pg';

export const profileRequested = (): boolean => process.env['BENCH_PROFILE'] === '1';

/** Settings of the Debian server for a profiled run. */
export function profileServerSettings(storage: 'native' | 'timescaledb'): Record<string, string> {
  return { shared_preload_libraries: storage === 'timescaledb' ? 'timescaledb,pg_stat_statements' : 'pg_stat_statements', 'pg_stat_statements.track': 'all' };
}

export interface StatementProfile {
  readonly query: string;
  readonly calls: number;
  readonly totalMs: number;
  readonly meanMs: number;
  readonly rows: number;
}

export interface SaturationProfile {
  readonly statements: StatementProfile[];
  /** TimescaleDB background jobs that ran during saturation: proc name → runs and their total duration. */
  readonly jobs: Record<string, { runs: number; totalMs: number }>;
}

interface JobRow {
  proc: string;
  runs: string;
  ms: number;
}

async function jobStats(pool: Pool, timescale: boolean): Promise<Map<string, { runs: number; ms: number }>> {
  if (!timescale) return new Map();
  // total_runs and the duration of the last run per job; a job that ran several times adds its last duration per run seen.
  const { rows } = await pool.query<JobRow>(
    `SELECT j.proc_name AS proc, sum(s.total_runs)::text AS runs, sum(extract(epoch FROM s.last_run_duration) * 1000)::float8 AS ms
     FROM timescaledb_information.jobs j JOIN timescaledb_information.job_stats s USING (job_id) GROUP BY j.proc_name`,
  );
  return new Map(rows.map((r) => [r.proc, { runs: Number(r.runs), ms: r.ms ?? 0 }]));
}

export class SaturationProfiler {
  private jobsBefore = new Map<string, { runs: number; ms: number }>();

  constructor(
    private readonly pool: Pool,
    private readonly timescale: boolean,
  ) {}

  async start(): Promise<void> {
    await this.pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await this.pool.query('SELECT pg_stat_statements_reset()');
    this.jobsBefore = await jobStats(this.pool, this.timescale);
  }

  async end(): Promise<SaturationProfile> {
    const { rows } = await this.pool.query<{ query: string; calls: string; total: number; mean: number; rows: string }>(
      `SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls::text, total_exec_time AS total, mean_exec_time AS mean, rows::text
       FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT 10`,
    );
    const after = await jobStats(this.pool, this.timescale);
    const jobs: SaturationProfile['jobs'] = {};
    for (const [proc, a] of after) {
      const runs = a.runs - (this.jobsBefore.get(proc)?.runs ?? 0);
      if (runs > 0) jobs[proc] = { runs, totalMs: Math.round(a.ms * runs) };
    }
    const round = (x: number) => Math.round(x * 10) / 10;
    return {
      statements: rows.map((r) => ({ query: r.query.slice(0, 160), calls: Number(r.calls), totalMs: round(r.total), meanMs: round(r.mean), rows: Number(r.rows) })),
      jobs,
    };
  }
}
