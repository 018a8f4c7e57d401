import { batchPayloadHash } from './batch-identity';

const s = (tagId: string, timeMs: number, value: number, quality?: number, unit?: string) => ({ tagId, timeMs, value, quality, unit });

describe('batchPayloadHash', () => {
  it('is equal for the same samples and differs when any field or the order changes', () => {
    const base = [s('TI-1', 1000, 1.5), s('TI-2', 2000, 2)];
    const h = batchPayloadHash(base).toString('hex');
    expect(batchPayloadHash([s('TI-1', 1000, 1.5), s('TI-2', 2000, 2)]).toString('hex')).toBe(h);
    expect(batchPayloadHash([s('TI-1', 1000, 1.5, 0), s('TI-2', 2000, 2, 0)]).toString('hex')).toBe(h); // quality defaults to Good (0)
    const variants = [
      [s('TI-1', 1000, 1.6), s('TI-2', 2000, 2)],
      [s('TI-1', 1001, 1.5), s('TI-2', 2000, 2)],
      [s('TI-1', 1000, 1.5, 0x80000000), s('TI-2', 2000, 2)],
      [s('TI-1', 1000, 1.5, 0, 'degC'), s('TI-2', 2000, 2)],
      [s('TI-3', 1000, 1.5), s('TI-2', 2000, 2)],
      [s('TI-2', 2000, 2), s('TI-1', 1000, 1.5)],
      [s('TI-1', 1000, 1.5)],
    ];
    for (const v of variants) expect(batchPayloadHash(v).toString('hex')).not.toBe(h);
  });

  it('does not confuse tag ids that concatenate alike', () => {
    expect(batchPayloadHash([s('A', 0, 0), s('BC', 0, 0)]).equals(batchPayloadHash([s('AB', 0, 0), s('C', 0, 0)]))).toBe(false);
  });
});
