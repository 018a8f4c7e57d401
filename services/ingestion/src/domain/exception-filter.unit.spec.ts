import { ExceptionFilter } from './exception-filter';
import type { Sample } from './sample';
import type { TagDefinition } from './tag-definition';

const tag: TagDefinition = { id: 'T', plantId: 'p', unit: 'K', deadband: 1, exceptionMaxS: 10 };
const plain: TagDefinition = { id: 'P', plantId: 'p', unit: 'K' };
const tags = (id: string) => (id === 'T' ? tag : id === 'P' ? plain : undefined);
const at = (s: number, value: number, quality = 0, tagId = 'T'): Sample => ({ tagId, timeMs: s * 1000, value, quality });

describe('ExceptionFilter', () => {
  it('passes moves beyond the deadband with the held sample before them, and the first sample after exceptionMaxS', () => {
    const f = new ExceptionFilter();
    const out = f.apply([at(0, 10), at(1, 10.5), at(2, 10.9), at(3, 12), at(4, 12.2), at(14, 12.3)], tags);
    // 1 and 2 are held; 3 passes with the held 2; 4 is held; 14 passes (11 s since 3) with the held 4.
    expect(out.map((x) => x.timeMs / 1000)).toEqual([0, 2, 3, 4, 14]);
  });

  it('passes a quality change, out-of-order samples, and every sample of a tag without deadband', () => {
    const f = new ExceptionFilter();
    f.apply([at(10, 5)], tags);
    const out = f.apply([at(11, 5, 0x80000000), at(5, 5), at(1, 1, 0, 'P'), at(2, 1, 0, 'P')], tags);
    expect(out.map((x) => `${x.tagId}${x.timeMs / 1000}`)).toEqual(['P1', 'P2', 'T5', 'T11']);
  });

  it('keeps state across batches and starts over for a forgotten tag', () => {
    const f = new ExceptionFilter();
    f.apply([at(0, 10)], tags);
    expect(f.apply([at(1, 10.2)], tags)).toEqual([]);
    f.forget('T');
    expect(f.apply([at(2, 10.3)], tags)).toHaveLength(1);
  });
});
