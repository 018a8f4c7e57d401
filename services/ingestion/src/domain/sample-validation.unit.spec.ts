import { StatusCodes } from './quality';
import { assertBatchEnvelope, validateSamples } from './sample-validation';
import type { TagDefinition } from './tag-definition';

const NOW = Date.UTC(2026, 0, 1);
const policy = { nowMs: NOW, maxFutureSkewMs: 10_000, backfillHorizonMs: 3_600_000 };
const tags = new Map<string, TagDefinition>([['TI-1', { id: 'TI-1', plantId: 'p', unit: 'K' }]]);

describe('validateSamples', () => {
  it('accepts the edges of the time window and rejects one millisecond beyond', () => {
    const r = validateSamples(
      [
        { tagId: 'TI-1', timeMs: NOW + 10_000, value: 1 },
        { tagId: 'TI-1', timeMs: NOW + 10_001, value: 1 },
        { tagId: 'TI-1', timeMs: NOW - 3_600_000, value: 1 },
        { tagId: 'TI-1', timeMs: NOW - 3_600_001, value: 1 },
      ],
      tags,
      policy,
    );
    expect(r.validIndices).toEqual([0, 2]);
    expect(r.validTags.map((t) => t.id)).toEqual(['TI-1', 'TI-1']);
    expect(r.rejected.map((x) => [x.index, x.reason])).toEqual([
      [1, 'TIMESTAMP_IN_FUTURE'],
      [3, 'TIMESTAMP_BEYOND_BACKFILL_HORIZON'],
    ]);
  });

  it('converts a value given in another unit of the same kind to the tag unit and defaults quality to Good', () => {
    const r = validateSamples([{ tagId: 'TI-1', timeMs: NOW, value: 25, unit: 'degC' }], tags, policy);
    expect(r.valid[0].value).toBeCloseTo(298.15, 10);
    expect(r.valid[0].quality).toBe(0);
    expect(r.valid[0]).not.toHaveProperty('unit');
  });

  it('explains each rejection with a detail naming the problem', () => {
    const r = validateSamples([{ tagId: 'TI-1', timeMs: NOW, value: 1, unit: 'bar' }], tags, policy);
    expect(r.rejected[0]).toEqual({ index: 0, tagId: 'TI-1', reason: 'UNIT_MISMATCH', detail: expect.stringContaining('"bar"') });
  });
});

describe('outage samples', () => {
  it('accepts NaN with a Bad or Uncertain quality (an outage, as PI stores system states) and rejects it with Good or no quality, and rejects infinities', () => {
    const r = validateSamples(
      [
        { tagId: 'TI-1', timeMs: NOW, value: Number.NaN, quality: StatusCodes.BadNoCommunication },
        { tagId: 'TI-1', timeMs: NOW, value: Number.NaN, quality: StatusCodes.UncertainNoCommunicationLastUsableValue },
        { tagId: 'TI-1', timeMs: NOW, value: Number.NaN, quality: StatusCodes.Good },
        { tagId: 'TI-1', timeMs: NOW, value: Number.NaN },
        { tagId: 'TI-1', timeMs: NOW, value: Number.POSITIVE_INFINITY, quality: StatusCodes.Bad },
      ],
      tags,
      policy,
    );
    expect(r.validIndices).toEqual([0, 1]);
    expect(r.valid[0]).toEqual({ tagId: 'TI-1', timeMs: NOW, value: Number.NaN, quality: StatusCodes.BadNoCommunication });
    expect(r.rejected.map((x) => [x.index, x.reason])).toEqual([
      [2, 'NON_FINITE_VALUE'],
      [3, 'NON_FINITE_VALUE'],
      [4, 'NON_FINITE_VALUE'],
    ]);
  });
});

describe('assertBatchEnvelope', () => {
  it('refuses an oversized batch and an overlong batch id', () => {
    const samples = Array.from({ length: 3 }, () => ({ tagId: 'TI-1', timeMs: NOW, value: 1 }));
    expect(() => assertBatchEnvelope({ clientBatchId: 'x'.repeat(129), samples }, 2)).toThrow(
      expect.objectContaining({ fieldViolations: [expect.objectContaining({ field: 'client_batch_id' }), expect.objectContaining({ field: 'samples' })] }),
    );
    expect(() => assertBatchEnvelope({ clientBatchId: 'ok', samples }, 3)).not.toThrow();
  });
});
