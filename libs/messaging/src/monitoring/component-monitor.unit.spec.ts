import { ComponentHealth } from '@reflux/observability';
import { ComponentMonitor } from './component-monitor';

describe('component health of a consumer or relay', () => {
  let now = 0;
  const setup = () => {
    const health = new ComponentHealth();
    const monitor = new ComponentMonitor('consumer:balancing', 'consumer', { health, stuckAfterMs: 60_000, failAfterDeadLetters: 3 }, () => now);
    return { health, monitor, state: () => health.get('consumer:balancing')?.state };
  };
  beforeEach(() => {
    now = 1_000_000;
  });

  it('is degraded while it holds an event and failed once it held it longer than allowed, running again when it goes through', () => {
    const { health, monitor, state } = setup();
    expect(state()).toBe('starting');
    monitor.running();
    monitor.retrying(Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' }), 1, 'MeasurementsIngested e-1');
    expect(state()).toBe('degraded');
    expect(health.healthy()).toBe(true);
    now += 59_000;
    monitor.retrying(new Error('connection refused'), 12, 'MeasurementsIngested e-1');
    expect(state()).toBe('degraded');
    now += 2_000;
    monitor.retrying(new Error('connection refused'), 13, 'MeasurementsIngested e-1');
    expect(health.get('consumer:balancing')).toMatchObject({ state: 'failed', detail: expect.stringMatching(/holding MeasurementsIngested e-1 for 61 s \(13 tries\)/) });
    expect(health.healthy()).toBe(false);
    monitor.progressed();
    expect(state()).toBe('running');
    now += 1_000;
    monitor.retrying(new Error('again'), 1, 'MeasurementsIngested e-2');
    expect(state()).toBe('degraded'); // the hold time starts again with the next event
  });

  it('fails after dead-lettering handler failures in a row, not for invalid messages', () => {
    const { monitor, state } = setup();
    monitor.running();
    for (let i = 0; i < 5; i++) monitor.deadLettered(false, `invalid ${i}`);
    expect(state()).toBe('running');
    monitor.deadLettered(true, 'a');
    monitor.deadLettered(true, 'b');
    expect(state()).toBe('running');
    monitor.deadLettered(true, 'c');
    expect(state()).toBe('failed');
    monitor.progressed();
    monitor.deadLettered(true, 'd');
    expect(state()).toBe('running');
  });

  it('reports a crash as failed, or degraded while the client restarts, and leaves health when stopped', () => {
    const { health, monitor, state } = setup();
    monitor.crashed(new Error('broker gone'), true);
    expect(state()).toBe('degraded');
    monitor.crashed(new Error('broker gone'), false);
    expect(state()).toBe('failed');
    monitor.stopped();
    expect(health.get('consumer:balancing')).toBeUndefined();
    expect(health.healthy()).toBe(true);
  });
});
