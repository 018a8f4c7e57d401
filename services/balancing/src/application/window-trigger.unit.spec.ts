import pino from 'pino';
import { loadDemoPlant } from '@reflux/plant-model';
import type { BalanceReconciler, ReconcileWindowCommand } from './balance-reconciler';
import { PlantModelRegistry } from './plant-model.registry';
import { WindowTrigger } from './window-trigger';

function setup(fail?: (c: ReconcileWindowCommand) => Error | undefined, now = new Date('2026-11-23T12:10:00Z'), block?: Promise<void>) {
  const calls: ReconcileWindowCommand[] = [];
  const reconciler = {
    reconcileWindow: async (c: ReconcileWindowCommand) => {
      calls.push(c);
      await block;
      const error = fail?.(c);
      if (error) throw error;
    },
  } as unknown as BalanceReconciler;
  const models = new PlantModelRegistry();
  models.set(loadDemoPlant('petrochemical'), 1, 'sha256:x');
  const trigger = new WindowTrigger(reconciler, models, { windowS: 3600, settleS: 300, lookbackWindows: 2 }, pino({ enabled: false }), () => now);
  return { calls, trigger };
}

describe('window trigger', () => {
  it('reconciles the settled windows of every plant on schedule', async () => {
    const { calls, trigger } = setup();
    await trigger.onSchedule(new Date('2026-11-23T12:10:00Z'));
    expect(calls.map((c) => [c.plantId, c.window.start.toISOString(), c.trigger])).toEqual([
      ['demo-petrochemical-site', '2026-11-23T10:00:00.000Z', 'schedule'],
      ['demo-petrochemical-site', '2026-11-23T11:00:00.000Z', 'schedule'],
    ]);
  });

  it('reconciles or revises the settled windows an ingested batch holds data for, and ignores unknown plants', async () => {
    const { calls, trigger } = setup();
    await trigger.onMeasurementsIngested({ plantId: 'other-plant', timeRange: { start: '2026-11-23T09:00:00Z', end: '2026-11-23T12:00:00Z' } });
    // late data for 10:00–11:00 and 11:00–12:00, both settled at 12:10 with 5 min settling
    await trigger.onMeasurementsIngested({ plantId: 'demo-petrochemical-site', timeRange: { start: '2026-11-23T10:59:00Z', end: '2026-11-23T11:01:00Z' } }, 'batch-7');
    expect(calls.map((c) => [c.window.end.toISOString(), c.correlationId, c.revise])).toEqual([
      ['2026-11-23T11:00:00.000Z', 'batch-7', true],
      ['2026-11-23T12:00:00.000Z', 'batch-7', true],
    ]);
  });

  it('leaves a window to settle when ingested data reaches past its end before the settle delay', async () => {
    const { calls, trigger } = setup(undefined, new Date('2026-11-23T11:02:00Z'));
    await trigger.onMeasurementsIngested({ plantId: 'demo-petrochemical-site', timeRange: { start: '2026-11-23T10:59:00Z', end: '2026-11-23T11:01:00Z' } });
    expect(calls).toEqual([]);
    // the schedule reconciles it once settled, without revising
    await trigger.onSchedule(new Date('2026-11-23T11:06:00Z'));
    expect(calls.map((c) => [c.window.end.toISOString(), c.trigger, c.revise])).toEqual([
      ['2026-11-23T10:00:00.000Z', 'schedule', false],
      ['2026-11-23T11:00:00.000Z', 'schedule', false],
    ]);
  });

  it('queues a window once while it waits, so a burst of late batches costs one revision', async () => {
    let release!: () => void;
    const { calls, trigger } = setup(undefined, undefined, new Promise<void>((r) => (release = r)));
    const batch = (minute: string) => trigger.onMeasurementsIngested({ plantId: 'demo-petrochemical-site', timeRange: { start: `2026-11-23T10:${minute}:00Z`, end: `2026-11-23T10:${minute}:30Z` } });
    const first = batch('05');
    while (calls.length === 0) await new Promise((r) => setImmediate(r));
    // the first run is going; three more batches arrive for the same window meanwhile
    const others = [batch('06'), batch('07'), batch('08')];
    release();
    await Promise.all([first, ...others]);
    expect(calls).toHaveLength(2);
  });

  it('keeps going after a failed window, but lets the bus retry an unreachable history', async () => {
    const unavailable = Object.assign(new Error('ingestion down'), { code: 'BALANCING.HISTORY_UNAVAILABLE', retriable: true });
    const { calls, trigger } = setup((c) => (c.window.start.getUTCHours() === 10 ? unavailable : undefined));
    await expect(trigger.onSchedule(new Date('2026-11-23T12:10:00Z'))).resolves.toBeUndefined();
    expect(calls).toHaveLength(2);
    await expect(trigger.onMeasurementsIngested({ plantId: 'demo-petrochemical-site', timeRange: { start: '2026-11-23T10:30:00Z', end: '2026-11-23T11:00:00Z' } })).rejects.toThrow('ingestion down');
  });
});
