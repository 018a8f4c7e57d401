import { alignedWindowContaining, balanceStreamId, dueWindows, windowsTouchedBy, windowViolations } from './balance-window';

const t = (iso: string) => new Date(iso);
const iso = (w: { start: Date; end: Date }) => [w.start.toISOString(), w.end.toISOString()];

describe('window planning', () => {
  it('aligns hourly windows on the hour', () => {
    expect(iso(alignedWindowContaining(t('2026-11-23T10:42:13Z'), 3600))).toEqual(['2026-11-23T10:00:00.000Z', '2026-11-23T11:00:00.000Z']);
  });

  it('lists the windows a batch of measurements [start, end) holds data for', () => {
    const windows = windowsTouchedBy(t('2026-11-23T09:30:00Z'), t('2026-11-23T11:00:00Z'), 3600);
    expect(windows.map(iso)).toEqual([
      ['2026-11-23T09:00:00.000Z', '2026-11-23T10:00:00.000Z'],
      ['2026-11-23T10:00:00.000Z', '2026-11-23T11:00:00.000Z'],
    ]);
  });

  it('touches one window when a batch stays inside it', () => {
    expect(windowsTouchedBy(t('2026-11-23T10:01:00Z'), t('2026-11-23T10:59:59Z'), 3600).map(iso)).toEqual([['2026-11-23T10:00:00.000Z', '2026-11-23T11:00:00.000Z']]);
  });

  it('caps the windows a long backfill touches, keeping the newest', () => {
    const windows = windowsTouchedBy(t('2026-01-01T00:00:00Z'), t('2026-11-01T00:00:00Z'), 3600, 24);
    expect(windows).toHaveLength(24);
    expect(windows[23].end.toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it('schedules the last complete windows that have settled, oldest first', () => {
    // at 11:03 with 5 min settling, the 10:00–11:00 window is not settled yet
    const windows = dueWindows(t('2026-11-23T11:03:00Z'), 3600, 300, 2);
    expect(windows.map(iso)).toEqual([
      ['2026-11-23T08:00:00.000Z', '2026-11-23T09:00:00.000Z'],
      ['2026-11-23T09:00:00.000Z', '2026-11-23T10:00:00.000Z'],
    ]);
  });

  it('names the balance stream after plant and window', () => {
    expect(balanceStreamId('demo', { start: t('2026-11-23T10:00:00Z'), end: t('2026-11-23T11:00:00Z') })).toBe('balance-demo-20261123T100000Z-20261123T110000Z');
  });

  it('rejects windows that are empty, reversed, too short or too long, naming the field', () => {
    expect(windowViolations({ start: null, end: t('2026-11-23T11:00:00Z') }, 'window')).toEqual([{ field: 'window.start_time', description: 'is required' }]);
    expect(windowViolations({ start: t('2026-11-23T11:00:00Z'), end: t('2026-11-23T10:00:00Z') }, 'window')[0].field).toBe('window.end_time');
    expect(windowViolations({ start: t('2026-11-23T10:00:00Z'), end: t('2026-11-23T10:00:30Z') }, 'window')[0].description).toMatch(/at least 60 s/);
    expect(windowViolations({ start: t('2026-11-01T10:00:00Z'), end: t('2026-11-23T10:00:00Z') }, 'window')[0].description).toMatch(/at most/);
    expect(windowViolations({ start: t('2026-11-23T10:00:00Z'), end: t('2026-11-23T11:00:00Z') }, 'window')).toEqual([]);
  });
});
