import type { refluxSchedulingV1 as v1 } from '@reflux/proto';
import { gantt } from './schedule-show.command';

const ts = (iso: string) => ({ seconds: String(Date.parse(iso) / 1000), nanos: 0 });
const period = (t: number, modeId: string, extra: Partial<v1.UnitPeriod> = {}): v1.UnitPeriod => ({ period: t, startTime: null, modeId, throughputT: modeId ? 10 : 0, changingOver: false, available: true, ...extra });

describe('reflux schedule show', () => {
  it('draws one row per unit with a letter per mode, idle, changeover and unavailable periods, and the left-out units', () => {
    const schedule = {
      scheduleId: 's-2',
      reason: 'unit-state:K-1',
      horizonStartTime: ts('2026-12-07T00:00:00Z'),
      periods: 4,
      periodHours: 1,
      formulation: 'milp',
      solverStatus: 'optimal',
      objective: 1234.4,
      gapPercent: 0.5,
      currency: 'EUR',
      energyCost: 100,
      co2T: 2,
      units: [
        { unitId: 'CDU', periods: [period(0, 'light'), period(1, ''), period(2, '', { changingOver: true }), period(3, 'heavy')] },
        { unitId: 'NHT', periods: [period(0, 'run'), period(1, '', { available: false }), period(2, '', { available: false }), period(3, '', { available: false })] },
      ],
      unavailableUnitIds: ['NHT'],
      frozenPeriods: 1,
      proposeTime: ts('2026-12-07T00:10:00Z'),
      publishTime: null,
      publishedBy: '',
    } as unknown as v1.Schedule;
    const text = gantt('proposed', schedule);
    expect(text).toContain('proposed s-2 (unit-state:K-1, proposed 2026-12-07T00:10:00.000Z)');
    expect(text).toContain('first 1 frozen, left out: NHT');
    expect(text).toMatch(/CDU +l\.~h +20 t/);
    expect(text).toMatch(/NHT +rxxx +10 t/);
    expect(text).toContain('h heavy, l light, r run');
  });
});
