import { z } from 'zod';
import { CONTRACT_ERROR_CODES, ContractError } from './contract.error';
import { EVENT_TYPES, integrationEvents } from './reflux-events';
import { ContractRegistry, defineEvent } from './registry';
import { TOPICS } from './topics';

const meta = { source: 'ingestion', subject: 'plant-7' };
const measurements = {
  plantId: 'plant-7',
  batchId: 'batch-0001',
  tagIds: ['FI-101', 'FI-102'],
  timeRange: { start: '2026-05-01T10:00:00Z', end: '2026-05-01T10:05:00Z' },
  samplesAccepted: 600,
  samplesRejected: 2,
};

function catchError(work: () => unknown): ContractError {
  try {
    work();
  } catch (error) {
    if (error instanceof ContractError) return error;
    throw error;
  }
  throw new Error('expected a ContractError');
}

describe('integration event registry', () => {
  it('creates an envelope with id, current schema version, timestamps and correlation defaulted', () => {
    const event = integrationEvents.create(EVENT_TYPES.MeasurementsIngested, measurements, meta);
    expect(event).toMatchObject({ type: 'MeasurementsIngested', schemaVersion: 1, source: 'ingestion', subject: 'plant-7', data: measurements });
    expect(event.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.correlationId).toEqual(event.eventId);
    expect(Date.parse(event.occurredAt)).not.toBeNaN();
    expect(integrationEvents.topicOf(event.type)).toEqual(TOPICS.ingestion);
  });

  it('rejects an invalid payload with CONTRACTS.INVALID_EVENT naming every failing field', () => {
    const error = catchError(() =>
      integrationEvents.create(
        EVENT_TYPES.MeasurementsIngested,
        { ...measurements, samplesAccepted: -1, tagIds: [], timeRange: { start: '2026-05-01T10:05:00Z', end: '2026-05-01T10:00:00Z' } },
        meta,
      ),
    );
    expect(error.code).toEqual(CONTRACT_ERROR_CODES.INVALID_EVENT);
    expect(error.retriable).toBe(false);
    expect(error.issues.map((i) => i.path).sort()).toEqual(['data.samplesAccepted', 'data.tagIds', 'data.timeRange.end']);
    expect(error.message).toMatch(/data\.samplesAccepted: must be ≥ 0/);
  });

  it('rejects an envelope with a malformed id, subject or traceparent', () => {
    const valid = integrationEvents.create(EVENT_TYPES.PlantModelVersioned, { plantId: 'plant-7', version: 3 }, meta);
    const error = catchError(() => integrationEvents.validate({ ...valid, eventId: 'nope', subject: '', traceparent: '00-zz' }));
    expect(error.code).toEqual(CONTRACT_ERROR_CODES.INVALID_EVENT);
    expect(error.issues.map((i) => i.path).sort()).toEqual(['eventId', 'subject', 'traceparent']);
  });

  it('rejects non-finite numbers that JSON cannot carry', () => {
    const error = catchError(() =>
      integrationEvents.create(
        EVENT_TYPES.LossSuspected,
        {
          plantId: 'p',
          window: { start: '2026-05-01T10:00:00Z', end: '2026-05-01T11:00:00Z' },
          unitId: 'V-100',
          estimatedLossKgPerS: Number.NaN,
          testStatistic: 4.2,
          criticalValue: 1.96,
        },
        meta,
      ),
    );
    expect(error.issues).toEqual([{ path: 'data.estimatedLossKgPerS', message: 'must be a finite number' }]);
  });

  it('refuses an unknown type and an unknown schema version with their own codes', () => {
    const valid = integrationEvents.create(EVENT_TYPES.PlantModelVersioned, { plantId: 'plant-7', version: 3 }, meta);
    expect(catchError(() => integrationEvents.parse({ ...valid, type: 'NoSuchThing' })).code).toEqual(CONTRACT_ERROR_CODES.UNKNOWN_EVENT_TYPE);
    expect(catchError(() => integrationEvents.parse({ ...valid, schemaVersion: 2 })).code).toEqual(CONTRACT_ERROR_CODES.SCHEMA_VERSION_AHEAD);
    expect(catchError(() => integrationEvents.validateData(valid.type, 0, valid.data)).code).toEqual(CONTRACT_ERROR_CODES.UNSUPPORTED_SCHEMA_VERSION);
  });

  it('keeps every required event type with a topic and a schema version', () => {
    expect(integrationEvents.types().sort()).toEqual([
      'AlarmAcknowledged',
      'AlarmCleared',
      'AlarmKpiReport',
      'AlarmRaised',
      'AlarmShelved',
      'AllocationProposed',
      'AllocationPublished',
      'BalanceReconciled',
      'BalanceRevised',
      'EarlyWarningCleared',
      'EarlyWarningRaised',
      'GrossErrorCleared',
      'GrossErrorSuspected',
      'LossSuspected',
      'MeasurementsIngested',
      'PlantModelVersioned',
      'ScheduleProposed',
      'SchedulePublished',
      'ScheduleSuperseded',
      'SiteCapacityChanged',
      'SiteTargetsPublished',
      'UnitStateChanged',
      'UnitTripped',
    ]);
    for (const type of integrationEvents.types()) {
      expect(integrationEvents.get(type).schemaVersion).toBeGreaterThanOrEqual(1);
      expect(Object.values(TOPICS)).toContain(integrationEvents.topicOf(type));
    }
  });

  it('survives a JSON round trip unchanged', () => {
    const event = integrationEvents.create(
      EVENT_TYPES.GrossErrorSuspected,
      {
        plantId: 'plant-7',
        window: { start: '2026-05-01T10:00:00Z', end: '2026-05-01T11:00:00Z' },
        tagId: 'FI-101',
        streamId: 'S-12',
        estimatedBias: { value: -0.42, unit: 'kg/s' },
        testStatistic: 3.9,
        criticalValue: 3.29,
      },
      { ...meta, causationId: 'cmd-1', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    );
    expect(integrationEvents.parse(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });
});

describe('schema versions', () => {
  // A made-up history: v1 carried the loss in t/h, v2 renamed and converted it to kg/s.
  const LeakV3 = defineEvent({
    type: 'LeakDetected',
    topic: 'test.leaks',
    description: 'test',
    schema: z.object({ unitId: z.string(), lossKgPerS: z.number(), confidence: z.number() }),
    previousVersions: [
      { schema: z.object({ unitId: z.string(), lossTonnesPerHour: z.number() }), upcast: (d: { unitId: string; lossTonnesPerHour: number }) => ({ unitId: d.unitId, lossKgPerS: (d.lossTonnesPerHour * 1000) / 3600 }) },
      { schema: z.object({ unitId: z.string(), lossKgPerS: z.number() }), upcast: (d: { unitId: string; lossKgPerS: number }) => ({ ...d, confidence: 0.5 }) },
    ],
  });
  const registry = integrationEvents.extend([LeakV3]);
  const envelope = (schemaVersion: number, data: unknown) => ({
    eventId: '5f0c6a8e-8a39-4c0e-9d59-0b0f6f2f6a11',
    type: 'LeakDetected',
    schemaVersion,
    source: 'balancing',
    subject: 'unit-V-100',
    occurredAt: '2026-05-01T10:00:00.000Z',
    correlationId: 'c-1',
    data,
  });

  it('numbers versions from the history and upcasts a v1 payload through every step', () => {
    expect(LeakV3.schemaVersion).toBe(3);
    const parsed = registry.parse(envelope(1, { unitId: 'V-100', lossTonnesPerHour: 3.6 }));
    expect(parsed.schemaVersion).toBe(3);
    expect(parsed.data).toEqual({ unitId: 'V-100', lossKgPerS: 1, confidence: 0.5 });
  });

  it('validates an old payload against its own version before upcasting', () => {
    const error = catchError(() => registry.parse(envelope(1, { unitId: 'V-100', lossKgPerS: 1 })));
    expect(error.code).toEqual(CONTRACT_ERROR_CODES.INVALID_EVENT);
    expect(error.issues).toEqual([expect.objectContaining({ path: 'data.lossTonnesPerHour' })]);
  });

  it('reads additive fields of the current version tolerantly: known fields kept, unknown ones dropped', () => {
    const parsed = registry.parse(envelope(3, { unitId: 'V-100', lossKgPerS: 2, confidence: 0.9, detectedBy: 'GLR', sensors: ['FI-1'] }));
    expect(parsed.data).toEqual({ unitId: 'V-100', lossKgPerS: 2, confidence: 0.9 });
  });

  it('refuses a newer version than it knows with a retriable error, so a consumer holds the event instead of dead-lettering it', () => {
    const error = catchError(() => registry.parse(envelope(4, { unitId: 'V-100', lossKgPerS: 2, confidence: 0.9 })));
    expect(error).toMatchObject({ code: CONTRACT_ERROR_CODES.SCHEMA_VERSION_AHEAD, retriable: true, issues: [{ path: 'schemaVersion', message: 'this build reads up to 3' }] });
    expect(catchError(() => registry.parse(envelope(1, { unitId: 'V-100' })))).toMatchObject({ code: CONTRACT_ERROR_CODES.INVALID_EVENT, retriable: false });
  });

  it('refuses to register the same type twice', () => {
    expect(() => registry.extend([LeakV3])).toThrow(/declared twice/);
  });

  it('leaves the shared registry untouched when extended', () => {
    expect(new ContractRegistry([]).types()).toEqual([]);
    expect(integrationEvents.has('LeakDetected')).toBe(false);
  });
});

describe('safety events', () => {
  const meta = { source: 'safety', subject: 'alarm-p|TI-1/HH' };
  it('accept an alarm raise with its limit and refuse an unknown kind or priority, naming the field', () => {
    const data = { plantId: 'p', alarmId: 'TI-1/HH', tagId: 'TI-1', kind: 'HH' as const, priority: 'high' as const, area: 'cdu', console: 'c1', raisedAt: '2026-01-05T08:00:06Z', value: 11.5, limit: 10, reason: 'above HH 10' };
    expect(integrationEvents.create(EVENT_TYPES.AlarmRaised, data, meta).data.limit).toBe(10);
    expect(integrationEvents.topicOf('AlarmRaised')).toBe('reflux.safety.events.v1');
    let issues: { path: string }[] = [];
    try {
      integrationEvents.create(EVENT_TYPES.AlarmRaised, { ...data, kind: 'HHH' as never, priority: 'urgent' as never }, meta);
    } catch (error) {
      issues = (error as { issues: { path: string }[] }).issues;
    }
    expect(issues.map((i) => i.path)).toEqual(['data.kind', 'data.priority']);
  });
  it('carry unit trips and state changes', () => {
    expect(integrationEvents.create(EVENT_TYPES.UnitTripped, { plantId: 'p', unitId: 'K-2001', area: 'hydrotreating', trippedAt: '2026-01-05T03:20:00Z' }, meta).type).toBe('UnitTripped');
    expect(() => integrationEvents.create(EVENT_TYPES.UnitStateChanged, { plantId: 'p', unitId: 'K-2001', area: 'h', from: 'running', to: 'exploded' as never, changedAt: '2026-01-05T03:20:00Z' }, meta)).toThrow(/data.to/);
  });
  it('carry early warnings with their statistics, limits and contributors, and refuse a negative T²', () => {
    const data = {
      plantId: 'p',
      area: 'hydrotreating',
      unitId: 'K-2001',
      warningId: 'pca:K-2001',
      kind: 'multivariate' as const,
      raisedAt: '2026-01-05T03:10:00Z',
      message: 'K-2001 left its normal-operation model',
      multivariate: { modelVersion: 2, t2: 40.1, spe: 3.2, t2Limit: 18.5, speLimit: 9.7, topContributors: [{ tagId: 'TI-2003', t2: 30.2, spe: 1.1 }] },
    };
    expect(integrationEvents.create(EVENT_TYPES.EarlyWarningRaised, data, meta).data.multivariate?.topContributors[0]?.tagId).toBe('TI-2003');
    expect(() => integrationEvents.create(EVENT_TYPES.EarlyWarningRaised, { ...data, multivariate: { ...data.multivariate, t2: -1 } }, meta)).toThrow(/data.multivariate.t2/);
    expect(integrationEvents.create(EVENT_TYPES.EarlyWarningCleared, { plantId: 'p', area: 'hydrotreating', unitId: 'K-2001', warningId: 'pca:K-2001', kind: 'multivariate', clearedAt: '2026-01-05T03:30:00Z', reason: 'returned-to-normal' }, meta).type).toBe('EarlyWarningCleared');
  });
});

describe('scheduling events', () => {
  const meta = { source: 'scheduling', subject: 'schedule-p' };
  it('carry a proposal with its horizon and refuse a non-positive period length, naming the field', () => {
    const data = { plantId: 'p', scheduleId: 's-1', jobId: 'j-1', reason: 'unit-state:K-1', horizon: { start: '2026-12-07T00:00:00Z', periods: 24, periodHours: 1 }, objective: 1234.5, currency: 'EUR', solverStatus: 'optimal', unavailableUnitIds: ['K-1'], proposedAt: '2026-12-07T00:00:05Z' };
    expect(integrationEvents.create(EVENT_TYPES.ScheduleProposed, data, meta).data.unavailableUnitIds).toEqual(['K-1']);
    expect(integrationEvents.topicOf('SchedulePublished')).toBe('reflux.scheduling.events.v1');
    expect(() => integrationEvents.create(EVENT_TYPES.ScheduleProposed, { ...data, horizon: { ...data.horizon, periodHours: 0 } }, meta)).toThrow(/data.horizon.periodHours/);
  });
});
