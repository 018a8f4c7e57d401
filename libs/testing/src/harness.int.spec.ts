import { Client } from 'pg';
import { createTestDatabase, requireTestUrl } from './postgres';

describe('test harness', () => {
  it('gives each test file its own database on a real PostgreSQL server', async () => {
    const a = await createTestDatabase('harness');
    const b = await createTestDatabase('harness');
    expect(a.name).not.toEqual(b.name);
    const client = new Client({ connectionString: a.url });
    await client.connect();
    const { rows } = await client.query<{ db: string; v: string }>('SELECT current_database() AS db, current_setting($1) AS v', ['server_version_num']);
    await client.end();
    expect(rows[0]!.db).toEqual(a.name);
    expect(Number(rows[0]!.v)).toBeGreaterThanOrEqual(150000);
    await Promise.all([a.drop(), b.drop()]);
  });

  it('fails loudly, never skips, when a server address is missing', () => {
    expect(() => requireTestUrl('REFLUX_TEST_NOT_A_SERVER', 'Nothing')).toThrow(/is not set/);
  });
});
