import { buildCausationTrace, type TraceEvent, type TraceNode } from './causation-trace';

let position = 0;
const ev = (eventId: string, type: string, causationId?: string): TraceEvent => ({
  position: ++position,
  eventId,
  type,
  recordedAt: new Date(Date.UTC(2026, 0, 1, 3, 20, position)).toISOString(),
  correlationId: 'mi',
  ...(causationId !== undefined && { causationId }),
});
const shape = (n: TraceNode): unknown => [n.eventId, ...n.children.map(shape)];

describe('causation trace', () => {
  const mi = ev('mi', 'MeasurementsIngested');
  const trip = ev('trip', 'UnitTripped', 'mi');
  const alarm = ev('alarm', 'AlarmRaised', 'mi');
  const schedule = ev('schedule', 'ScheduleProposed', 'trip');
  const capacity = ev('capacity', 'SiteCapacityChanged', 'schedule');
  const allocation = ev('allocation', 'AllocationProposed', 'capacity');
  const allocation2 = ev('allocation-2', 'AllocationProposed', 'trip');

  it('puts the ancestors above the traced event and everything it caused below it', () => {
    const trace = buildCausationTrace([trip, mi], [allocation, schedule, capacity, allocation2], false);
    expect(shape(trace.root)).toEqual(['mi', ['trip', ['schedule', ['capacity', ['allocation']]], ['allocation-2']]]);
    expect(trace).toMatchObject({ eventId: 'trip', events: 6, truncated: false });
    expect(trace.unresolvedCause).toBeUndefined();
  });

  it('leaves out the siblings of ancestors: only the line through the traced event', () => {
    const trace = buildCausationTrace([schedule, trip, mi], [capacity, allocation], false);
    expect(shape(trace.root)).toEqual(['mi', ['trip', ['schedule', ['capacity', ['allocation']]]]]);
    expect(JSON.stringify(trace)).not.toContain(alarm.eventId + '"');
  });

  it('names a root cause that is not in the log (a request id) and keeps the truncation flag', () => {
    const byCommand = ev('plan', 'ScheduleProposed', 'request-42');
    const trace = buildCausationTrace([byCommand], [], true);
    expect(trace).toMatchObject({ eventId: 'plan', events: 1, truncated: true, unresolvedCause: 'request-42' });
  });

  it('cuts a cycle in the data instead of looping', () => {
    const a = ev('a', 'X', 'b');
    const b = ev('b', 'Y', 'a');
    const trace = buildCausationTrace([a, b], [b, a], false);
    expect(shape(trace.root)).toEqual(['b', ['a']]);
  });
});
