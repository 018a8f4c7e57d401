import { deadLetterHeaders, describeError, parseDeadLetterHeaders, type DeadLetterInfo } from './dead-letter';

describe('dead-letter headers', () => {
  const info: DeadLetterInfo = {
    group: 'balancing',
    topic: 'reflux.ingestion.events.v1',
    position: '2/1041',
    eventId: '5f0c6a8e-8a39-4c0e-9d59-0b0f6f2f6a11',
    eventType: 'MeasurementsIngested',
    reason: 'handler-failed',
    errorCode: 'BALANCE.UNKNOWN_UNIT',
    errorMessage: 'unit V-100 is not in plant model v3',
    attempts: 5,
    failedAt: '2026-05-01T10:00:00.000Z',
  };

  it('describes the failure in headers that read back to the same record', () => {
    expect(parseDeadLetterHeaders(deadLetterHeaders(info))).toEqual(info);
  });

  it('truncates a huge error message to 2 KiB', () => {
    const headers = deadLetterHeaders({ ...info, errorMessage: 'x'.repeat(10_000) });
    expect(Object.values(headers).every((v) => v.length <= 2048)).toBe(true);
  });

  it('ignores messages that carry no dead-letter headers', () => {
    expect(parseDeadLetterHeaders({ traceparent: '00-…' })).toBeUndefined();
  });

  it('classifies anything thrown by its code, or UNCLASSIFIED', () => {
    expect(describeError(Object.assign(new Error('boom'), { code: 'X.Y' }))).toEqual({ code: 'X.Y', message: 'boom' });
    expect(describeError(new Error('boom'))).toEqual({ code: 'UNCLASSIFIED', message: 'boom' });
    expect(describeError('text')).toEqual({ code: 'UNCLASSIFIED', message: 'text' });
  });
});
