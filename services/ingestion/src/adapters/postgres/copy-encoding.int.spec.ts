import { Client } from 'pg';
import { createTestDatabase } from '@reflux/testing';
import { BinaryCopyWriter, copyIn } from './copy-encoding';

describe('binary COPY encoding', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let client: Client;
  beforeAll(async () => {
    db = await createTestDatabase('ingestion_copy_encoding');
    client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query(`CREATE TABLE t (s text, ts timestamptz, i8 bigint, f8 double precision, i4 integer, i2 smallint)`);
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  async function load(write: (w: BinaryCopyWriter) => void): Promise<void> {
    // A tiny initial buffer, so that the writer has to grow it.
    const w = new BinaryCopyWriter(8);
    write(w);
    await copyIn(client, 'COPY t FROM STDIN (FORMAT binary)', w.finish());
  }

  it('round-trips text, timestamps before and after 2000, 64-bit integers, doubles and signed codes exactly', async () => {
    const rows = [
      { s: 'FI-1001.PV', ms: Date.UTC(2026, 10, 24, 1, 2, 3, 456), i8: 0, f8: 50.12345678901234, i4: 0, i2: 0 },
      { s: 'température\tcuve\n"2"\\', ms: Date.UTC(1999, 11, 31, 23, 59, 59, 999), i8: -1, f8: -0.1, i4: 0x80000000 | 0, i2: -2 },
      { s: '', ms: Date.UTC(1970, 0, 1), i8: 2 ** 53 - 1, f8: Number.MAX_VALUE, i4: 0x40000000, i2: 2 },
      { s: '测量点', ms: -86_400_000, i8: -(2 ** 40) - 7, f8: 5e-324, i4: -1, i2: 32767 },
    ];
    await load((w) => {
      for (const r of rows) w.row(6).text(r.s).timestampMs(r.ms).int64(r.i8).float64(r.f8).int32(r.i4).int16(r.i2);
    });
    const { rows: stored } = await client.query<{ s: string; ms: string; i8: string; f8: number; i4: number; i2: number }>(
      `SELECT s, (extract(epoch FROM ts) * 1000)::bigint::text AS ms, i8::text, f8, i4, i2 FROM t ORDER BY ts DESC`,
    );
    const expected = [...rows].sort((a, b) => b.ms - a.ms);
    expect(stored).toEqual(expected.map((r) => ({ s: r.s, ms: String(r.ms), i8: String(r.i8), f8: r.f8, i4: r.i4, i2: r.i2 })));
  });
});
