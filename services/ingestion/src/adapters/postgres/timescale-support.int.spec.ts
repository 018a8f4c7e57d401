import { Pool } from 'pg';
import { createTestDatabase, startTimescalePostgres, timescaleRequested } from '@reflux/testing';
import { DEFAULT_STORAGE_OPTIONS, migrateIngestionSchema } from './ingestion.schema';
import { timescaleSupport } from './timescale-support';

/** A logger that keeps what it was told. */
function recordingLogger() {
  const lines: { level: string; reason?: string; msg: string }[] = [];
  const at = (level: string) => (obj: { reason?: string }, msg: string) => void lines.push({ level, reason: obj.reason, msg });
  return { lines, logger: { info: at('info'), warn: at('warn') } as unknown as Parameters<typeof migrateIngestionSchema>[3] };
}

async function withDatabase<T>(prefix: string, f: (pool: Pool, url: string) => Promise<T>): Promise<T> {
  const db = await createTestDatabase(prefix);
  const pool = new Pool({ connectionString: db.url, max: 2 });
  try {
    return await f(pool, db.url);
  } finally {
    await pool.end();
    await db.drop();
  }
}

// The default suite runs on the embedded PostgreSQL (no TimescaleDB); REFLUX_TEST_TIMESCALE=1 on a
// server with TimescaleDB preloaded. Each mode proves its branches of the detection.
(timescaleRequested() ? describe.skip : describe)('TimescaleDB detection on a server without it', () => {
  it('auto takes native partitioning and logs that the extension is not installed', async () => {
    await withDatabase('tsdb_absent', async (pool) => {
      expect((await timescaleSupport(pool)).reason).toBe('the timescaledb extension is not installed on this server');
      const { lines, logger } = recordingLogger();
      expect(await migrateIngestionSchema(pool, { ...DEFAULT_STORAGE_OPTIONS, timescale: 'auto' }, true, logger)).toBe('native');
      expect(lines).toContainEqual({ level: 'warn', reason: 'the timescaledb extension is not installed on this server', msg: expect.stringContaining('native') });
    });
  });

  it('refuses INGESTION_TIMESCALE=timescaledb with the reason, creating nothing', async () => {
    await withDatabase('tsdb_required', async (pool) => {
      await expect(migrateIngestionSchema(pool, { ...DEFAULT_STORAGE_OPTIONS, timescale: 'timescaledb' })).rejects.toThrow(
        'INGESTION_TIMESCALE=timescaledb but the timescaledb extension is not installed on this server',
      );
      expect((await pool.query(`SELECT to_regclass('ingestion_samples') AS t`)).rows[0].t).toBeNull();
    });
  });
});

(timescaleRequested() ? describe : describe.skip)('TimescaleDB detection on a server with it (REFLUX_TEST_TIMESCALE=1)', () => {
  it('auto takes TimescaleDB when it is preloaded, creatable and supported, and logs the version', async () => {
    await withDatabase('tsdb_auto', async (pool) => {
      const { lines, logger } = recordingLogger();
      expect(await migrateIngestionSchema(pool, { ...DEFAULT_STORAGE_OPTIONS, timescale: 'auto' }, true, logger)).toBe('timescaledb');
      expect(lines).toContainEqual({ level: 'info', reason: expect.stringMatching(/^timescaledb 2\.\d+\.\d+ available and preloaded$/), msg: expect.any(String) });
      const { rows } = await pool.query(`SELECT hypertable_name FROM timescaledb_information.hypertables`);
      expect(rows).toEqual([{ hypertable_name: 'ingestion_samples' }]);
    });
  });

  it('auto takes native partitioning when this role may not create the extension', async () => {
    await withDatabase('tsdb_no_create', async (pool, url) => {
      const role = `reflux_plain_${process.pid}`;
      await pool.query(`CREATE ROLE ${role} LOGIN`);
      try {
        const asRole = new URL(url);
        asRole.username = role;
        const plain = new Pool({ connectionString: asRole.toString(), max: 1 });
        try {
          const support = await timescaleSupport(plain);
          expect(support).toMatchObject({ usable: false, reason: expect.stringMatching(/is not created in this database and this role may not create it/) });
        } finally {
          await plain.end();
        }
      } finally {
        await pool.query(`DROP ROLE ${role}`);
      }
    });
  });

  it('auto takes native partitioning when the library is installed but not preloaded', async () => {
    const server = await startTimescalePostgres({ preload: false });
    const pool = new Pool({ connectionString: server.url, max: 2 });
    try {
      const { lines, logger } = recordingLogger();
      expect(await migrateIngestionSchema(pool, { ...DEFAULT_STORAGE_OPTIONS, timescale: 'auto' }, true, logger)).toBe('native');
      expect(lines).toContainEqual({ level: 'warn', reason: expect.stringMatching(/^timescaledb 2\.\d+\.\d+ is installed but not preloaded/), msg: expect.any(String) });
    } finally {
      await pool.end();
      await server.stop();
    }
  });
});
