import { compareVersions, versionSupported } from './timescale-support';

describe('TimescaleDB version support', () => {
  it('orders versions numerically, not as text', () => {
    expect(compareVersions('2.9.3', '2.13.0')).toBe(-1);
    expect(compareVersions('2.17.2', '2.17.2')).toBe(0);
    expect(compareVersions('2.28.3', '2.17.2')).toBe(1);
  });

  it('supports 2.13.0 up to, not including, 3.0.0', () => {
    expect(['2.12.2', '2.13.0', '2.17.2', '2.28.3', '3.0.0'].map(versionSupported)).toEqual([false, true, true, true, false]);
  });
});
