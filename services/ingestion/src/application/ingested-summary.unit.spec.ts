import { ingestedSummaries } from './ingested-summary';
import type { TagDefinition } from '../domain/tag-definition';

const A: TagDefinition = { id: 'A1', plantId: 'pa', unit: 'K' };
const B: TagDefinition = { id: 'B1', plantId: 'pb', unit: 'K' };
const tags = new Map([['A1', A], ['B1', B]]);
const v = (tag: TagDefinition, timeMs: number) => ({ tagId: tag.id, timeMs, value: 1, quality: 0 });

describe('ingestedSummaries', () => {
  it('summarises accepted samples per plant with a half-open time range and attributes rejections of known tags', () => {
    const out = ingestedSummaries('b1', [v(A, 2000), v(B, 500), v(A, 1000)], [A, B, A], [
      { index: 3, tagId: 'A1', reason: 'NON_FINITE_VALUE', detail: '' },
      { index: 4, tagId: 'ZZ', reason: 'UNKNOWN_TAG', detail: '' },
    ], tags);
    expect(out).toEqual([
      { plantId: 'pa', batchId: 'b1', tagIds: ['A1'], startMs: 1000, endMs: 2001, samplesAccepted: 2, samplesRejected: 1 },
      { plantId: 'pb', batchId: 'b1', tagIds: ['B1'], startMs: 500, endMs: 501, samplesAccepted: 1, samplesRejected: 0 },
    ]);
  });
});
