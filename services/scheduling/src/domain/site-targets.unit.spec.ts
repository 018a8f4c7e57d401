import type { ScheduleResult } from './schedule';
import { achievableTargets, capacityChanges, targetDemands } from './site-targets';

const targets = {
  siteId: 'site-a',
  allocationId: 'a-1',
  horizonStart: '2026-12-07T00:00:00.000Z',
  periodHours: 8,
  targets: [0, 1, 2].map((period) => ({ processId: 'line', materialId: 'product', period, quantityT: 60, modulesOn: 3 })),
  publishedAt: '2026-12-07T00:00:00.000Z',
};
const delivering = (short: number[]) => ({ schedule: { demands: short.map((s, period) => ({ demand: `target:line:${period}`, onTimeT: 60 - s, lateT: 0, shortfallT: s, deliveriesT: [] })) } }) as unknown as ScheduleResult;

describe('site targets', () => {
  it('become demands released at the start of their supply-chain period and due within it', () => {
    expect(targetDemands(targets, { shortfallPenaltyPerT: 500, latenessPenaltyPerTPerPeriod: 5 })[1]).toEqual({
      id: 'target:line:1',
      material: 'product',
      quantityT: 60,
      releaseAt: '2026-12-07T08:00:00.000Z',
      dueAt: '2026-12-07T15:59:59.999Z',
      priority: 1,
      latenessPenaltyPerTPerPeriod: 5,
      shortfallPenaltyPerT: 500,
    });
  });

  it('report only what changed since the last report, in runs of equal periods', () => {
    const first = achievableTargets(targets, delivering([40, 40, 0]));
    expect(first.map((a) => [a.period, a.achievableT, a.availableModules])).toEqual([
      [0, 20, 1],
      [1, 20, 1],
      [2, 60, 3],
    ]);
    expect(capacityChanges(first, [])).toEqual([{ processId: 'line', fromPeriod: 0, toPeriod: 2, availableModules: 1, achievableT: 20, targetT: 60 }]);
    expect(capacityChanges(first, first)).toEqual([]);
    // period 1 recovers: only it is reported, back at 3 modules
    expect(capacityChanges(achievableTargets(targets, delivering([40, 0, 0])), first)).toEqual([{ processId: 'line', fromPeriod: 1, toPeriod: 2, availableModules: 3, achievableT: 60, targetT: 60 }]);
    // all met and nothing reported before: nothing to say
    expect(capacityChanges(achievableTargets(targets, delivering([0, 0, 0])), [])).toEqual([]);
  });
});
