import { gridRows, SampleGrid, type GridRow } from './sample-grid';

const GOOD = 0;
const BAD = 0x80000000;

describe('SampleGrid', () => {
  it('emits a row per grid instant holding each tag’s latest value at or before it, once a later sample arrives', () => {
    const grid = new SampleGrid(['A', 'B'], 1000, 5000);
    const rows: GridRow[] = [];
    grid.push('A', 0, 1, GOOD, rows);
    grid.push('B', 400, 10, GOOD, rows);
    expect(rows).toEqual([]); // instant 0 lacks B (first seen at 0.4 s)
    grid.push('A', 1000, 2, GOOD, rows); // instant 1000 still open: B may report at 1000
    grid.push('B', 2500, 11, GOOD, rows);
    expect(rows).toEqual([
      { timeMs: 1000, values: [2, 10] },
      { timeMs: 2000, values: [2, 10] },
    ]);
  });

  it('ignores bad-quality and untracked samples, and skips instants where a value is older than the hold', () => {
    const rows = gridRows(
      ['A', 'B'],
      1000,
      2000,
      [
        { tagId: 'A', timeMs: 0, value: 1, quality: GOOD },
        { tagId: 'B', timeMs: 0, value: 5, quality: GOOD },
        { tagId: 'B', timeMs: 1000, value: 999, quality: BAD },
        { tagId: 'C', timeMs: 1000, value: 7, quality: GOOD },
        { tagId: 'A', timeMs: 4000, value: 3, quality: GOOD },
      ],
      4500,
    );
    // B's value of 0 s is held to 2 s; at 3 s it is stale; at 4 s too (B silent since 0 s)
    expect(rows).toEqual([
      { timeMs: 0, values: [1, 5] },
      { timeMs: 1000, values: [1, 5] },
      { timeMs: 2000, values: [1, 5] },
    ]);
  });

  it('continues from its state exactly as if it had never stopped, and jumps a long silence without walking it', () => {
    const whole = new SampleGrid(['A', 'B'], 1000, 3000);
    const first = new SampleGrid(['A', 'B'], 1000, 3000);
    const a: GridRow[] = [];
    const b: GridRow[] = [];
    const samples = [0, 300, 1200, 2600, 3100].flatMap((t, i) => [
      { tagId: 'A', timeMs: t, value: i },
      { tagId: 'B', timeMs: t + 50, value: 10 + i },
    ]);
    samples.forEach((s) => whole.push(s.tagId, s.timeMs, s.value, GOOD, a));
    samples.slice(0, 5).forEach((s) => first.push(s.tagId, s.timeMs, s.value, GOOD, b));
    const second = new SampleGrid(['A', 'B'], 1000, 3000, first.state());
    samples.slice(5).forEach((s) => second.push(s.tagId, s.timeMs, s.value, GOOD, b));
    expect(b).toEqual(a);
    const far = second.push('A', 1e12, 1, GOOD);
    // the values of 3.1 s are held for 3 s: instants 4, 5 and 6 s, then straight to 10¹² ms
    expect(far.map((r) => r.timeMs)).toEqual([4000, 5000, 6000]);
    expect(second.state().nextMs).toBe(1e12);
  });
});
