import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const bin = resolve(__dirname, '..', '..', 'bin', 'reflux.js');
const examples = resolve(__dirname, '..', '..', '..', '..', 'services', 'scheduling', 'examples');
const dir = mkdtempSync(join(tmpdir(), 'reflux-schedule-'));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 170_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function cbcObjective(file: string): number {
  const out = execFileSync('cbc', [file, 'solve', 'quit'], { encoding: 'utf8', timeout: 120_000 });
  return Number(/(?:Objective value:|Optimal objective)\s+(-?[\d.e+-]+)/.exec(out)![1]);
}

describe('reflux schedule solve', () => {
  it('solves an example offline, prints the JSON result and exports an LP that CBC solves to the same objective', () => {
    const lp = join(dir, 'steelworks.lp');
    const { status, stdout } = run('schedule', 'solve', '--problem', join(examples, 'steelworks.lp.json'), '--json', '--export-lp', lp);
    expect(status).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ plant: 'demo-steelworks', formulation: 'lp', status: 'optimal', backend: 'highs', gapPercent: 0 });
    expect(result.schedule.units.map((u: { unit: string }) => u.unit)).toEqual(['BF-6001', 'CV-7001', 'LF-7001', 'CC-7001']);
    expect(readFileSync(lp, 'utf8')).toContain('Subject To');
    expect(cbcObjective(lp)).toBeCloseTo(result.objective, 1);
  }, 180_000);

  it('prints the Gantt-like schedule for people, and names every bad field of an invalid document with exit status 2', () => {
    const ok = run('schedule', 'solve', '--problem', join(examples, 'petrochemical.lp.json'));
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^CDU +[lh.~x]{24}$/m);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ plant: 'x', horizon: { start: 'soon', periods: 4 } }));
    const r = run('schedule', 'solve', '--problem', bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('SCHEDULING.INVALID_PROBLEM');
    expect(r.stderr).toContain('horizon.start');
  }, 180_000);
});
