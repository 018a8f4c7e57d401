import { Client } from 'pg';
import { createTestDatabase } from './postgres';
import { startTimescalePostgres, timescaleRequested, timescaleUnavailableReason } from './timescale-postgres';

// Runs in every mode: in the TimescaleDB mode it proves the server is the one asked for.
describe('test PostgreSQL server', () => {
  it('is a server with TimescaleDB preloaded and creatable when REFLUX_TEST_TIMESCALE=1, and one without it otherwise', async () => {
    const db = await createTestDatabase('tsdb_mode');
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ preload: string; available: string | null }>(
        `SELECT current_setting('shared_preload_libraries') AS preload,
                (SELECT default_version FROM pg_available_extensions WHERE name = 'timescaledb') AS available`,
      );
      if (timescaleRequested()) {
        expect(rows[0].preload).toContain('timescaledb');
        await client.query('CREATE EXTENSION timescaledb');
        const v = await client.query<{ extversion: string }>(`SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'`);
        expect(v.rows[0].extversion).toBe(rows[0].available);
      } else {
        expect(rows[0].preload).not.toContain('timescaledb');
      }
    } finally {
      await client.end();
      await db.drop();
    }
  });

  it('names the missing piece when the server binaries or the extension are absent', () => {
    expect(timescaleUnavailableReason('/nonexistent/bin')).toMatch(/\/nonexistent\/bin\/initdb not found/);
  });

  it('refuses to start a TimescaleDB cluster it cannot, with the reason, instead of falling back', async () => {
    const before = process.env['REFLUX_TEST_PG_BINDIR'];
    process.env['REFLUX_TEST_PG_BINDIR'] = '/nonexistent/bin';
    try {
      await expect(startTimescalePostgres()).rejects.toThrow('REFLUX_TEST_TIMESCALE=1 but TimescaleDB cannot be started: /nonexistent/bin/initdb not found');
    } finally {
      if (before === undefined) delete process.env['REFLUX_TEST_PG_BINDIR'];
      else process.env['REFLUX_TEST_PG_BINDIR'] = before;
    }
  });
});
