import { displayUnit, localTime, zoneCaption } from './format';

describe('unit and time display', () => {
  it('shows engineering-unit codes as operators read them and leaves unknown units alone', () => {
    expect(displayUnit('degC')).toBe('°C');
    expect(displayUnit('m3/h')).toBe('m³/h');
    expect(displayUnit('Nm3/h')).toBe('Nm³/h');
    expect(displayUnit('kg/s')).toBe('kg/s');
    expect(displayUnit(undefined)).toBe('');
  });

  it('shows an instant on the plant clock with its offset, across the summer-time change', () => {
    expect(localTime('2026-01-15T06:00:05Z', 'Europe/Amsterdam')).toBe('2026-01-15 07:00:05 UTC+01:00');
    expect(localTime('2026-07-15T06:00:05Z', 'Europe/Amsterdam', { seconds: false })).toBe('2026-07-15 08:00 UTC+02:00');
    expect(localTime('2026-03-29T01:30:00Z', 'Europe/Amsterdam')).toBe('2026-03-29 03:30:00 UTC+02:00');
    expect(localTime('2026-07-15T06:00:05Z', 'Asia/Kolkata')).toBe('2026-07-15 11:30:05 UTC+05:30');
    expect(localTime('2026-07-15T06:00:05Z', 'UTC')).toBe('2026-07-15 06:00:05 UTC+00:00');
    expect(localTime(undefined, 'UTC')).toBe('—');
    expect(zoneCaption('America/New_York', Date.UTC(2026, 0, 1))).toBe('America/New_York (UTC-05:00)');
  });
});
