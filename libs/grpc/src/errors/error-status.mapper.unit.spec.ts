import { status as Status } from '@grpc/grpc-js';
import { PlatformDomainError } from './domain-error';
import { grpcStatusOf, toGrpcStatus } from './error-status.mapper';
import { decodeStatusDetails, STATUS_DETAILS_KEY } from './status-details.codec';

const domain = (code: string, extra: object = {}) => Object.assign(new Error(`failed: ${code}`), { code, ...extra });

describe('grpcStatusOf', () => {
  it.each([
    ['INGESTION.TAG_NOT_FOUND', {}, Status.NOT_FOUND],
    ['PLANT.UNIT_ALREADY_EXISTS', {}, Status.ALREADY_EXISTS],
    ['EVENT_STORE.WRONG_EXPECTED_VERSION', {}, Status.ABORTED],
    ['INGESTION.INVALID_BATCH', {}, Status.INVALID_ARGUMENT],
    ['INGESTION.RATE_LIMITED', {}, Status.RESOURCE_EXHAUSTED],
    ['ALARM.ALREADY_SHELVED', {}, Status.FAILED_PRECONDITION],
    ['EVENT_STORE.CONNECTION_LOST', { retriable: true }, Status.UNAVAILABLE],
    ['ALARM.ALREADY_SHELVED', { kind: 'conflict' }, Status.ABORTED],
    ['SCHEDULING.HORIZON_TOO_LONG', { fieldViolations: [{ field: 'horizon', description: 'too long' }] }, Status.INVALID_ARGUMENT],
  ])('maps %s %j to status %i', (code, extra, expected) => {
    expect(grpcStatusOf(domain(code, extra))).toBe(expected);
  });

  it('treats @reflux/contracts issues ({ path, message }) as field violations', () => {
    const contractError = domain('CONTRACTS.INVALID_EVENT', { retriable: false, issues: [{ path: 'data.window.end', message: 'must follow start' }] });
    const mapped = toGrpcStatus(contractError);
    expect(mapped.code).toBe(Status.INVALID_ARGUMENT);
    const details = decodeStatusDetails(mapped.metadata.get(STATUS_DETAILS_KEY)[0] as Buffer);
    expect(details.fieldViolations).toEqual([{ field: 'data.window.end', description: 'must follow start', reason: '' }]);
    expect(details.errorDetail).toMatchObject({ code: 'CONTRACTS.INVALID_EVENT', retriable: false });
  });
});

describe('toGrpcStatus', () => {
  it.each([
    ['a plain Error', new Error('boom')],
    ['a Node system error', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a PostgreSQL error', Object.assign(new Error('duplicate key value violates unique constraint "secret_idx"'), { code: '23505' })],
    ['a thrown string', 'oops'],
  ])('hides %s behind INTERNAL with an incident id', (_name, error) => {
    const mapped = toGrpcStatus(error);
    expect(mapped.code).toBe(Status.INTERNAL);
    expect(mapped.details).toBe(`internal error (incident ${mapped.incidentId})`);
    const details = decodeStatusDetails(mapped.metadata.get(STATUS_DETAILS_KEY)[0] as Buffer);
    expect(details).toMatchObject({ code: Status.INTERNAL, errorDetail: { code: 'GRPC.INTERNAL', metadata: { incident_id: mapped.incidentId } } });
  });

  it('round-trips every detail through google.rpc.Status', () => {
    const error = new PlatformDomainError('INGESTION.BACKPRESSURE', 'writer queue full', { retriable: true, kind: 'unavailable', metadata: { queue: 'samples' }, retryAfterMs: 2250 });
    const mapped = toGrpcStatus(error);
    const details = decodeStatusDetails(mapped.metadata.get(STATUS_DETAILS_KEY)[0] as Buffer);
    expect(details).toEqual({
      code: Status.UNAVAILABLE,
      message: 'writer queue full',
      errorDetail: { code: 'INGESTION.BACKPRESSURE', retriable: true, message: 'writer queue full', metadata: { queue: 'samples' }, retryDelayMs: 2250 },
      fieldViolations: [],
      otherDetailTypes: [],
    });
  });
});
