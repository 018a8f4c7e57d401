import type { BalanceRecord, GrossErrorRecord, LossRecord } from './balance-record';
import { parsePersistenceRule, persistentSuspects } from './suspect-persistence';

const meter = (tagId: string): GrossErrorRecord => ({
  tagId,
  streamId: 's',
  biasKgPerS: 1,
  sigmaKgPerS: 0.1,
  biasTagUnit: 1,
  tagUnit: 'kg/s',
  relativePercent: 5,
  testStatistic: 20,
  criticalValue: 8,
  equivalentIds: [],
});
const loss = (unitId: string): LossRecord => ({ unitId, lossKgPerS: 1, sigmaKgPerS: 0.1, testStatistic: 20, criticalValue: 8, equivalentIds: [] });
const found = (grossErrors: GrossErrorRecord[], losses: LossRecord[] = []) => ({ grossErrors, losses }) as unknown as BalanceRecord;

describe('suspect persistence', () => {
  it('reads k/n and refuses what is not one', () => {
    expect(parsePersistenceRule('2/3')).toEqual({ required: 2, windows: 3 });
    expect(parsePersistenceRule('1/1')).toEqual({ required: 1, windows: 1 });
    for (const bad of ['3/2', '0/3', '2/30', 'two', '2-3']) expect(parsePersistenceRule(bad)).toBeUndefined();
  });

  it('publishes a suspect found in 2 of the last 3 windows, not one found once', () => {
    const now = found([meter('FI-1'), meter('FI-2')], [loss('U-1')]);
    const previous = [found([]), found([meter('FI-1')], [loss('U-1')])];
    expect(persistentSuspects(now, previous, { required: 2, windows: 3 })).toEqual(['measurement:FI-1:', 'loss:U-1']);
  });

  it('counts a window without a stored result as not found, and looks back no further than the rule', () => {
    const now = found([meter('FI-1')]);
    expect(persistentSuspects(now, [undefined, undefined, found([meter('FI-1')])], { required: 2, windows: 3 })).toEqual([]);
    expect(persistentSuspects(now, [], { required: 1, windows: 1 })).toEqual(['measurement:FI-1:']);
  });
});
