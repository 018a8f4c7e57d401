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

  it('names the tags with a deadband and no state as cold, and only those', () => {
    const f = new ExceptionFilter();
    const other: TagDefinition = { ...tag, id: 'U' };
    expect(f.coldTags([tag, plain, other])).toEqual(['T', 'U']);
    f.apply([at(0, 10)], tags);
    expect(f.coldTags([tag, plain, other])).toEqual(['U']);
    f.forget('T');
    expect(f.coldTags([tag])).toEqual(['T']);
  });

  it('compares the first sample of a seeded tag with the seed: within the deadband it is held back', () => {
    const f = new ExceptionFilter();
    f.seed([at(100, 10)]);
    expect(f.coldTags([tag])).toEqual([]);
    expect(f.apply([at(101, 10.4)], tags)).toEqual([]);
    // 102 moves beyond the deadband from the seed: it passes with the held 101.
    expect(f.apply([at(102, 11.5)], tags).map((x) => x.timeMs / 1000)).toEqual([101, 102]);
  });

  it('passes the first sample after a seed when its quality differs, exceptionMaxS elapsed, or it is older than the seed', () => {
    const f = new ExceptionFilter();
    f.seed([at(100, 10), at(100, 10, 0, 'U')]);
    const u: TagDefinition = { ...tag, id: 'U' };
    const both = (id: string) => (id === 'U' ? u : tags(id));
    expect(f.apply([at(90, 10), at(101, 10, 0x40000000), at(110, 10, 0, 'U')], both).map((x) => `${x.tagId}${x.timeMs / 1000}`)).toEqual(['T90', 'T101', 'U110']);
  });

  it('does not overwrite a state set while the seeds were loading', () => {
    const f = new ExceptionFilter();
    f.apply([at(200, 50)], tags);
    f.seed([at(100, 10)]);
    expect(f.apply([at(201, 50.3)], tags)).toEqual([]);
  });
});
