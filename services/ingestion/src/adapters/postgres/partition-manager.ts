import type { Pool } from 'pg';

const DAY_MS = 86_400_000;

/** Name of the daily partition holding `dayStartMs` (UTC): `ingestion_samples_p20261123`. */
export function partitionName(dayStartMs: number): string {
  return `ingestion_samples_p${new Date(dayStartMs).toISOString().slice(0, 10).replace(/-/g, '')}`;
}

function dayOfPartition(name: string): number | undefined {
  const m = /^ingestion_samples_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
}

export const dayStart = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/**
 * Daily range partitions of `ingestion_samples` for native PostgreSQL: created ahead of time by the
 * maintenance loop and on demand before a write reaches a day without one; dropped whole once past
 * retention (a DROP, not a DELETE: no bloat, no vacuum). Safe with several service replicas: a
 * partition another replica created in the meantime counts as created.
 */
export class PartitionManager {
  private readonly known = new Set<number>();

  constructor(private readonly pool: Pool) {}

  /** Reloads the list of existing partitions. */
  async refresh(): Promise<number[]> {
    const { rows } = await this.pool.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i
         JOIN pg_class c ON c.oid = i.inhrelid
         JOIN pg_class p ON p.oid = i.inhparent
       WHERE p.relname = 'ingestion_samples'`,
    );
    this.known.clear();
    for (const r of rows) {
      const d = dayOfPartition(r.name);
      if (d !== undefined) this.known.add(d);
    }
    return [...this.known].sort((a, b) => a - b);
  }

  /** Makes sure a partition exists for every day touched by the given instants. */
  async ensureFor(timesMs: Iterable<number>): Promise<void> {
    const missing = new Set<number>();
    for (const t of timesMs) {
      const d = dayStart(t);
      if (!this.known.has(d)) missing.add(d);
    }
    for (const d of missing) await this.create(d);
  }

  /** Makes sure a partition exists for the day of every sample (allocates nothing when all exist). */
  async ensureForSamples(samples: readonly { readonly timeMs: number }[]): Promise<void> {
    let checkedDay = Number.NaN;
    let missing: Set<number> | undefined;
    for (const s of samples) {
      const d = dayStart(s.timeMs);
      if (d === checkedDay) continue;
      checkedDay = d;
      if (!this.known.has(d)) (missing ??= new Set()).add(d);
    }
    if (missing) await this.ensureFor(missing);
  }

  /** Creates the partitions from today to `aheadDays` days ahead. */
  async ensureAhead(nowMs: number, aheadDays: number): Promise<void> {
    const today = dayStart(nowMs);
    const days: number[] = [];
    for (let i = 0; i <= aheadDays; i++) days.push(today + i * DAY_MS);
    await this.ensureFor(days);
  }

  /** Drops partitions entirely older than the retention period; returns their names. */
  async dropExpired(nowMs: number, retentionDays: number): Promise<string[]> {
    const cutoff = nowMs - retentionDays * DAY_MS;
    const dropped: string[] = [];
    for (const d of await this.refresh()) {
      if (d + DAY_MS > cutoff) continue;
      const name = partitionName(d);
      await this.pool.query(`DROP TABLE IF EXISTS ${name}`);
      this.known.delete(d);
      dropped.push(name);
    }
    return dropped;
  }

  private async create(d: number): Promise<void> {
    const from = new Date(d).toISOString();
    const to = new Date(d + DAY_MS).toISOString();
    try {
      await this.pool.query(`CREATE TABLE IF NOT EXISTS ${partitionName(d)} PARTITION OF ingestion_samples FOR VALUES FROM ('${from}') TO ('${to}')`);
    } catch (error) {
      // A concurrent creator won the race (duplicate name or type, overlapping bounds): fine if it exists now.
      const code = (error as { code?: string }).code;
      if (code !== '42P07' && code !== '23505' && code !== '42P17') throw error;
      await this.refresh();
      if (!this.known.has(d)) throw error;
    }
    this.known.add(d);
  }
}
