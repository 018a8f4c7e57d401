import type { UnitTransition } from './unit-state.tracker';
import { UnitStateTracker } from './unit-state.tracker';

describe('UnitStateTracker', () => {
  it('maps a run-status tag to states after the delay and reports a trip', () => {
    const tracker = new UnitStateTracker([{ unitId: 'C-1', area: 'gas', rule: { kind: 'runStatus', tagId: 'C-1.RUN', states: { '0': 'shutdown', '1': 'running', '2': 'startup', '3': 'maintenance', '9': 'tripped' }, delayS: 2 } }]);
    const [signal] = tracker.signalsOf('C-1.RUN');
    const out: UnitTransition[] = [];
    tracker.update(signal, 0, 2, out);
    tracker.update(signal, 2_000, 2, out);
    tracker.update(signal, 3_000, 1, out);
    tracker.update(signal, 4_000, 7, out); // unmapped value: ignored
    tracker.advanceTo(5_000, out);
    tracker.update(signal, 6_000, 9, out);
    tracker.update(signal, 7_000, 1, out); // back to running within the delay: the trip candidate is dropped
    tracker.update(signal, 20_000, 9, out);
    tracker.advanceTo(22_000, out);
    expect(out.map((t) => [t.from, t.to, t.atMs, t.trip])).toEqual([
      ['unknown', 'startup', 2_000, false],
      ['startup', 'running', 5_000, false],
      ['running', 'tripped', 22_000, true],
    ]);
  });

  it('says shutdown for a unit never seen running and tripped when a running unit stops', () => {
    const tracker = new UnitStateTracker([
      { unitId: 'P-1', area: 'a', rule: { kind: 'thresholds', signals: [{ tagId: 'FI-1', minRunning: 5 }, { tagId: 'SI-1', minRunning: 100 }], delayS: 0 } },
    ]);
    const [flow] = tracker.signalsOf('FI-1');
    const [speed] = tracker.signalsOf('SI-1');
    const out: UnitTransition[] = [];
    tracker.update(flow, 0, 0, out); // one signal below its threshold is enough to be stopped
    tracker.update(speed, 1_000, 0, out);
    tracker.update(flow, 2_000, 10, out);
    tracker.update(speed, 3_000, 150, out);
    tracker.update(flow, 4_000, 1, out);
    expect(out.map((t) => [t.to, t.atMs, t.trip])).toEqual([
      ['shutdown', 0, false],
      ['running', 3_000, false],
      ['tripped', 4_000, true],
    ]);
  });
});
