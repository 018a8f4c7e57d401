import { resolveBatchDuplicates, type StorableSample } from './duplicate-resolution';

const s = (tagId: string, timeMs: number, value: number, policy: StorableSample['policy']): StorableSample => ({ tagId, timeMs, value, quality: 0, policy });

describe('resolveBatchDuplicates', () => {
  it('keeps the last for replace, the first for keep-first and all for keep-both, in input order', () => {
    const out = resolveBatchDuplicates([
      s('R', 1, 1, 'replace'),
      s('F', 1, 1, 'keep-first'),
      s('B', 1, 1, 'keep-both'),
      s('R', 1, 2, 'replace'),
      s('F', 1, 2, 'keep-first'),
      s('B', 1, 2, 'keep-both'),
      s('R', 2, 3, 'replace'),
    ]);
    expect(out.map((x) => `${x.tagId}${x.timeMs}=${x.value}`)).toEqual(['F1=1', 'B1=1', 'R1=2', 'B1=2', 'R2=3']);
  });
});
