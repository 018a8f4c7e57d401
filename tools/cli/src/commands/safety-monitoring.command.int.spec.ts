import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SeededRandom } from '@reflux/reconciliation';

const bin = resolve(__dirname, '..', '..', 'bin', 'reflux.js');
const dir = mkdtempSync(join(tmpdir(), 'reflux-safety-cli-'));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function csvFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

// Three tags driven by one latent flow: FI-1 = l, TI-2 = 2 l, PI-3 = −l, plus 0.1 noise.
function normalRows(n: number, seed: number): number[][] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: n }, () => {
    const l = rng.normal();
    return [l + 0.1 * rng.normal(), 2 * l + 0.1 * rng.normal(), -l + 0.1 * rng.normal()];
  });
}
const toCsv = (rows: number[][]) => ['FI-1,TI-2,PI-3', ...rows.map((r) => r.map((x) => x.toFixed(5)).join(','))].join('\n') + '\n';

// Each case starts the CLI (TypeScript transpiled at start-up) one to three times.
jest.setTimeout(180_000);

describe('reflux safety pca-fit / pca-score', () => {
  const normal = csvFile('normal.csv', toCsv(normalRows(200, 1)));
  const modelFile = join(dir, 'model.json');

  it('fits a model with the chosen rule, confidence, lags and persistence, and writes it as a valid model document', () => {
    const r = run('safety', 'pca-fit', '--csv', normal, '--out', modelFile, '--component-rule', 'fixed:1', '--confidence', '0.99', '--lags', '0', '--persistence', '3', '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ components: 1, variables: 3, persistence: { kind: 'consecutive', count: 3 } });
    const model = JSON.parse(readFileSync(modelFile, 'utf8'));
    expect(model).toMatchObject({ format: 'reflux.pca-monitoring', version: 1, variables: ['FI-1', 'TI-2', 'PI-3'], components: 1, confidence: 0.99 });
  });

  it('prints limits, one row per CSV row in order, and flags rows only once three consecutive rows break the correlation', () => {
    const test = normalRows(12, 2);
    for (const i of [3, 6, 7, 8, 9]) test[i] = [test[i]![0]!, test[i]![1]! + 2.5, test[i]![2]!]; // TI-2 reads 2.5 high
    // the columns in another order than the model's: matched by name
    const text = ['PI-3,FI-1,TI-2', ...test.map((r) => [r[2], r[0], r[1]].map((x) => x!.toFixed(5)).join(','))].join('\n');
    const r = run('safety', 'pca-score', '--model', modelFile, '--csv', csvFile('test.csv', text), '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.limits.t2).toBeGreaterThan(0);
    expect(out.limits.spe).toBeGreaterThan(0);
    expect(out.rows).toHaveLength(12);
    const beyond = out.rows.map((row: { spe: number; t2: number }) => row.spe > out.limits.spe || row.t2 > out.limits.t2);
    expect(beyond).toEqual([false, false, false, true, false, false, true, true, true, true, false, false]);
    expect(out.rows.map((row: { flagged: boolean }) => row.flagged)).toEqual([false, false, false, false, false, false, false, false, true, true, false, false]);
    expect(out.summary).toMatchObject({ rows: 12, violations: 5, flagged: 2, warningsRaised: 1, firstFlaggedRow: 9 });
    expect(out.summary.topContributors).toEqual([{ variable: 'TI-2', flaggedRows: 2 }]);
  });

  it('uses K/N persistence and leaves the first rows unscored while dynamic PCA fills its lags', () => {
    const file = join(dir, 'dpca.json');
    expect(run('safety', 'pca-fit', '--csv', normal, '--out', file, '--lags', '2', '--persistence', '2/3', '--component-rule', 'kaiser', '--limits', 'cv:4', '--ewma', '0.5').status).toBe(0);
    const r = run('safety', 'pca-score', '--model', file, '--csv', normal, '--json');
    const out = JSON.parse(r.stdout);
    expect(out.rows.slice(0, 3).map((row: { t2: number | null }) => row.t2)).toEqual([null, null, expect.any(Number)]);
    expect(out.summary.persistence).toEqual({ kind: 'k-of-n', k: 2, n: 3 });
    expect(out.summary.flaggedPercent).toBeLessThan(5);
  });

  it('points at the line and column of a bad CSV cell, and exits 1', () => {
    const r = run('safety', 'pca-score', '--model', modelFile, '--csv', csvFile('bad.csv', 'FI-1,TI-2,PI-3\n1,2,-1\n1,two,-1\n'), '--json');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('MONITORING.INVALID_DATA');
    expect(r.stderr).toContain('line 3, column 2 (TI-2): not a number: "two"');
  });

  it('names a model variable missing from the CSV, and an invalid model file field by field', () => {
    expect(run('safety', 'pca-score', '--model', modelFile, '--csv', csvFile('missing.csv', 'FI-1,TI-2\n1,2\n')).stderr).toContain('"PI-3" has no column');
    const broken = { ...JSON.parse(readFileSync(modelFile, 'utf8')), confidence: 2 };
    const r = run('safety', 'pca-score', '--model', csvFile('broken.json', JSON.stringify(broken)), '--csv', normal);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('MONITORING.INVALID_MODEL');
    expect(r.stderr).toContain('confidence');
  });

  it('rejects unusable options, naming them', () => {
    expect(run('safety', 'pca-fit', '--csv', normal, '--out', join(dir, 'x.json'), '--persistence', 'often').stderr).toContain('--persistence');
    expect(run('safety', 'pca-fit', '--csv', normal, '--out', join(dir, 'x.json'), '--component-rule', 'magic').stderr).toContain('--component-rule');
    expect(run('safety', 'pca-fit', '--csv', normal, '--out', join(dir, 'x.json'), '--confidence', '1.5').stderr).toContain('confidence');
  });
});
