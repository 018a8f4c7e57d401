import { completedPeriods, periodOf } from './kpi-periods';

const iso = (ms: number) => new Date(ms).toISOString();

describe('KPI report periods', () => {
  it('gives the plant-local day, 23 hours long when Berlin’s clocks go forward', () => {
    const day = periodOf('day', Date.parse('2026-03-29T12:00:00Z'), 'Europe/Berlin');
    expect([iso(day.startMs), iso(day.endMs)]).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect((day.endMs - day.startMs) / 3_600_000).toBe(23);
  });

  it('gives local hours that start at half past in a zone offset by 5:30', () => {
    const hour = periodOf('hour', Date.parse('2026-06-01T10:45:00Z'), 'Asia/Kolkata');
    expect([iso(hour.startMs), iso(hour.endMs)]).toEqual(['2026-06-01T10:30:00.000Z', '2026-06-01T11:30:00.000Z']);
  });

  it('lists the periods completed after the last report and not later than now, the most recent when capped', () => {
    const after = Date.parse('2026-06-01T08:00:00Z');
    const hours = completedPeriods('hour', after, Date.parse('2026-06-01T11:59:00Z'), 'UTC', 10);
    expect(hours.map((h) => iso(h.startMs))).toEqual(['2026-06-01T08:00:00.000Z', '2026-06-01T09:00:00.000Z', '2026-06-01T10:00:00.000Z']);
    expect(completedPeriods('hour', after, Date.parse('2026-06-01T11:59:00Z'), 'UTC', 1).map((h) => iso(h.startMs))).toEqual(['2026-06-01T10:00:00.000Z']);
    expect(completedPeriods('day', after, Date.parse('2026-06-03T01:00:00Z'), 'UTC', 10).map((d) => iso(d.startMs))).toEqual(['2026-06-02T00:00:00.000Z']);
  });
});
