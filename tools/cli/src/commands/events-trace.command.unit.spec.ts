import { renderCausationTree, type CausationTrace, type TraceNode } from './events-trace.command';

const node = (eventId: string, type: string, source: string, subject: string, children: TraceNode[] = []): TraceNode => ({
  eventId,
  type,
  source,
  subject,
  occurredAt: '2026-01-01T03:20:00.000Z',
  recordedAt: '2026-01-01T03:20:01.000Z',
  children,
});

const withoutOccurredAt = ({ occurredAt: _occurredAt, ...rest }: TraceNode): TraceNode => rest;

describe('reflux events trace: tree rendering', () => {
  const trace: CausationTrace = {
    eventId: 'trip',
    events: 5,
    truncated: false,
    root: node('mi', 'MeasurementsIngested', 'ingestion', 'plant-p', [
      node('trip', 'UnitTripped', 'safety', 'unit-p|K-2001', [
        node('schedule', 'ScheduleProposed', 'scheduling', 'schedule-p', [node('allocation', 'AllocationProposed', 'supply-chain', 'network-n')]),
        node('allocation-2', 'AllocationProposed', 'supply-chain', 'network-n'),
      ]),
    ]),
  };

  it('indents each event under its cause with branch lines and marks the traced event', () => {
    expect(renderCausationTree(trace).split('\n')).toEqual([
      'MeasurementsIngested  2026-01-01T03:20:00.000Z  ingestion  plant-p  mi',
      '└─ UnitTripped  2026-01-01T03:20:00.000Z  safety  unit-p|K-2001  trip  ◀',
      '   ├─ ScheduleProposed  2026-01-01T03:20:00.000Z  scheduling  schedule-p  schedule',
      '   │  └─ AllocationProposed  2026-01-01T03:20:00.000Z  supply-chain  network-n  allocation',
      '   └─ AllocationProposed  2026-01-01T03:20:00.000Z  supply-chain  network-n  allocation-2',
      '5 events',
    ]);
  });

  it('says when the root was caused by something outside the log and when the tree was truncated', () => {
    const byCommand: CausationTrace = { eventId: 'p', events: 1, truncated: true, unresolvedCause: 'request-42', root: withoutOccurredAt(node('p', 'ScheduleProposed', 'scheduling', 's')) };
    expect(renderCausationTree(byCommand).split('\n')).toEqual([
      'caused by request-42 (not in the event log: a request id, or pruned)',
      'ScheduleProposed  2026-01-01T03:20:01.000Z  scheduling  s  p  ◀',
      '1 event (truncated: more events below were not fetched)',
    ]);
  });
});
