import { PLAIN_PCA_OPTIONS, RECOMMENDED_OPTIONS, TEP_FAULTS, type TepFigures, tepFigures } from './tep-benchmark';

// Needs the Tennessee Eastman data in ../shared/data/tep (or REFLUX_TEP_DIR); fails, never skips, without it.
describe('Tennessee Eastman benchmark (train on d00.dat)', () => {
  let plain: TepFigures;
  let plainPersistent: TepFigures;
  let recommended: TepFigures;

  beforeAll(() => {
    plain = tepFigures(PLAIN_PCA_OPTIONS);
    plainPersistent = tepFigures({ ...PLAIN_PCA_OPTIONS, persistence: RECOMMENDED_OPTIONS.persistence });
    recommended = tepFigures(RECOMMENDED_OPTIONS);
    const line = (name: string, f: TepFigures) =>
      `${name.padEnd(40)} a=${String(f.components).padEnd(3)} false alarms ${f.falseAlarmPercent.toFixed(1).padStart(5)} %  ` +
      TEP_FAULTS.map((k) => `${k.slice(0, 3)} ${f.detectionPercent[k].toFixed(1).padStart(5)} % (delay ${f.detectionDelaySamples[k]})`).join('  ');
    process.stdout.write(
      ['TEP figures (false alarms on d00_te.dat; detection on rows 161–960; delay in 3-min samples):', line('plain PCA, 99 %, every violation', plain), line('plain PCA, 99 %, 2 consecutive', plainPersistent), line('DPCA(1) + CV limits + EWMA 0.5, 2 consec.', recommended)].join('\n') + '\n',
    );
  });

  it('keeps the false-alarm rate on the normal test set at or below 5 %', () => {
    expect(recommended.falseAlarmPercent).toBeLessThanOrEqual(5);
  });

  it('detects the hard faults 4 and 11 at least as often as plain PCA with 99 % limits, whose false-alarm rate is far above 5 %', () => {
    expect(plain.falseAlarmPercent).toBeGreaterThan(5);
    expect(recommended.detectionPercent['d04_te.dat']).toBeGreaterThanOrEqual(plain.detectionPercent['d04_te.dat'] - 100 / 800); // the first faulty sample cannot meet 2 consecutive
    expect(recommended.detectionPercent['d11_te.dat']).toBeGreaterThanOrEqual(plain.detectionPercent['d11_te.dat']);
  });

  it('beats plain PCA with the same persistence rule on fault 11 by over 5 points, matches it on fault 4, and stays within 3 samples of plain PCA on fault 1', () => {
    expect(recommended.detectionPercent['d04_te.dat']).toBeGreaterThanOrEqual(plainPersistent.detectionPercent['d04_te.dat']);
    expect(recommended.detectionPercent['d11_te.dat']).toBeGreaterThan(plainPersistent.detectionPercent['d11_te.dat'] + 5);
    expect(recommended.detectionPercent['d01_te.dat']).toBeGreaterThanOrEqual(plain.detectionPercent['d01_te.dat'] - 300 / 800);
  });
});
