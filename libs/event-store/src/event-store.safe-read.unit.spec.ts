import { ensureOrder } from './event-store.safe-read';

type Row = Parameters<typeof ensureOrder>[0][number];
const row = (tx: string, position: number): Row => ['s', 0, position, `e${position}`, 't', 1, {}, {}, '2026-01-01T00:00:00+00:00', tx, 100];

describe('ensureOrder (subscription batches)', () => {
  it('orders transaction ids numerically, not as text, then by position', () => {
    const rows = [row('10000', 3), row('9999', 5), row('9999', 4), row('10001', 1)];
    expect(ensureOrder(rows).map((r) => `${r[9]}/${r[2]}`)).toEqual(['9999/4', '9999/5', '10000/3', '10001/1']);
  });

  it('returns rows already in order untouched', () => {
    const rows = [row('998', 9), row('999', 2), row('1000', 1)];
    expect(ensureOrder(rows)).toBe(rows);
  });
});
