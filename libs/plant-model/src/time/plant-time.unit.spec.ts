import { instantsOf, isValidTimeZone, localDays, localShifts, offsetAt } from './plant-time';

const H = 3_600_000;
const wall = (year: number, month: number, day: number, hour: number, minute = 0) => ({ year, month, day, hour, minute, second: 0, millisecond: 0 });

describe('plant-local time', () => {
  it('reads a wall-clock time in the zone: once normally, never in the skipped hour, twice in the repeated hour', () => {
    expect(instantsOf(wall(2026, 7, 1, 12), 'Europe/Berlin')).toEqual([Date.UTC(2026, 6, 1, 10)]);
    // 2026-03-29 02:30 does not exist in Berlin (02:00 CET → 03:00 CEST).
    expect(instantsOf(wall(2026, 3, 29, 2, 30), 'Europe/Berlin')).toEqual([]);
    // 2026-10-25 02:30 happens twice (CEST, then CET).
    expect(instantsOf(wall(2026, 10, 25, 2, 30), 'Europe/Berlin')).toEqual([Date.UTC(2026, 9, 25, 0, 30), Date.UTC(2026, 9, 25, 1, 30)]);
    expect(offsetAt(Date.UTC(2026, 0, 1), 'America/Chicago')).toBe(-6 * H);
  });

  it('has local days of 23 hours when clocks go forward and 25 hours when they go back', () => {
    const spring = localDays(Date.UTC(2026, 2, 28, 12), Date.UTC(2026, 2, 30, 12), 'Europe/Berlin');
    expect(spring.map((d) => [d.localDate, (d.endMs - d.startMs) / H])).toEqual([
      ['2026-03-28', 24],
      ['2026-03-29', 23],
      ['2026-03-30', 24],
    ]);
    expect(spring[1].startMs).toBe(Date.UTC(2026, 2, 28, 23));
    const autumn = localDays(Date.UTC(2026, 9, 25, 12), Date.UTC(2026, 9, 25, 13), 'Europe/Berlin');
    expect(autumn.map((d) => [d.localDate, (d.endMs - d.startMs) / H, d.startMs])).toEqual([['2026-10-25', 25, Date.UTC(2026, 9, 24, 22)]]);
  });

  it('cuts shifts at local hours: the night shift over the clock change lasts 7 or 9 hours', () => {
    const spring = localShifts(Date.UTC(2026, 2, 28, 12), Date.UTC(2026, 2, 29, 12), 'Europe/Berlin', [6, 14, 22]);
    expect(spring.map((s) => [s.localDate, s.shift, (s.endMs - s.startMs) / H])).toEqual([
      ['2026-03-28', 0, 8],
      ['2026-03-28', 1, 8],
      ['2026-03-28', 2, 7],
      ['2026-03-29', 0, 8],
    ]);
    const autumn = localShifts(Date.UTC(2026, 9, 24, 21), Date.UTC(2026, 9, 25, 4), 'Europe/Berlin', [6, 14, 22]);
    expect(autumn.map((s) => [s.localDate, s.shift, (s.endMs - s.startMs) / H])).toEqual([['2026-10-24', 2, 9]]);
  });

  it('knows valid zone names', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
