import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { status as Status } from '@grpc/grpc-js';
import { PlatformDomainError } from './domain-error';
import { grpcStatusOf, toGrpcStatus } from './error-status.mapper';
import { decodeGrpcError } from './grpc-error.decoder';
import { PLATFORM_CODE_PREFIXES, PLATFORM_ERROR_CODES } from './platform-error-codes';
import { decodeStatusDetails, STATUS_DETAILS_KEY } from './status-details.codec';

const domain = (code: string, extra: object = {}) => Object.assign(new Error(`failed: ${code}`), { code, ...extra });

describe('grpcStatusOf', () => {
  it.each([
    ['INGESTION.TAG_NOT_FOUND', {}, Status.NOT_FOUND],
    ['PLANT.UNIT_ALREADY_EXISTS', {}, Status.ALREADY_EXISTS],
    ['INGESTION.INVALID_BATCH', {}, Status.INVALID_ARGUMENT],
    ['INGESTION.RATE_LIMITED', {}, Status.RESOURCE_EXHAUSTED],
    ['ALARM.ALREADY_SHELVED', {}, Status.FAILED_PRECONDITION],
    ['HISTORIAN.CONNECTION_LOST', { retriable: true }, Status.UNAVAILABLE],
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

const LIBS = join(__dirname, '..', '..', '..');

/** Every `'PREFIX.REASON'` literal under the platform prefixes in the shared libraries' sources. */
function platformCodesInSources(): string[] {
  const pattern = new RegExp(`'((?:${PLATFORM_CODE_PREFIXES.join('|')})\\.[A-Z][A-Z0-9_]*)'`, 'g');
  const codes = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== 'generated') walk(path);
      else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) for (const m of readFileSync(path, 'utf8').matchAll(pattern)) codes.add(m[1]!);
    }
  };
  for (const lib of readdirSync(LIBS)) walk(join(LIBS, lib, 'src'));
  return [...codes].sort();
}

describe('platform error codes', () => {
  const roundTrip = (error: object) => {
    const mapped = toGrpcStatus(error);
    return { mapped, decoded: decodeGrpcError(Object.assign(new Error(mapped.details), { code: mapped.code, details: mapped.details, metadata: mapped.metadata })) };
  };

  it('maps every code the shared libraries raise explicitly (add a new code to PLATFORM_ERROR_CODES)', () => {
    const found = platformCodesInSources();
    expect(found).toEqual(expect.arrayContaining(['EVENT_STORE.CONCURRENT_DUPLICATE', 'EVENT_STORE.UPCAST_FAILED', 'MESSAGING.BUS_CLOSED', 'CONTRACTS.INVALID_EVENT']));
    expect(found.filter((code) => !(code in PLATFORM_ERROR_CODES))).toEqual([]);
  });

  it.each([
    ['EVENT_STORE.WRONG_EXPECTED_VERSION', Status.ABORTED, true],
    ['EVENT_STORE.TRANSACTION_ORDER_CONFLICT', Status.ABORTED, true],
    ['EVENT_STORE.CONCURRENT_DUPLICATE', Status.UNAVAILABLE, true],
    ['EVENT_STORE.TRANSIENT', Status.UNAVAILABLE, true],
    ['EVENT_STORE.CLOSED', Status.UNAVAILABLE, true],
    ['EVENT_STORE.EVENT_ID_CONFLICT', Status.ALREADY_EXISTS, false],
    ['EVENT_STORE.PARTIAL_DUPLICATE_BATCH', Status.INVALID_ARGUMENT, false],
    ['EVENT_STORE.INVALID_ARGUMENT', Status.INVALID_ARGUMENT, false],
    ['EVENT_STORE.UPCAST_FAILED', Status.INTERNAL, false],
    ['EVENT_STORE.TRANSACTION_IDS_AHEAD', Status.INTERNAL, false],
    ['MESSAGING.PUBLISH_FAILED', Status.UNAVAILABLE, true],
    ['MESSAGING.SUBSCRIBE_FAILED', Status.UNAVAILABLE, true],
    ['MESSAGING.BUS_CLOSED', Status.UNAVAILABLE, true],
    ['MESSAGING.UNDECODABLE_MESSAGE', Status.INTERNAL, false],
    ['MESSAGING.INVALID_CONFIG', Status.INTERNAL, false],
    ['MESSAGING.TOPIC_SETUP_FAILED', Status.UNAVAILABLE, true],
    ['CONTRACTS.INVALID_EVENT', Status.INVALID_ARGUMENT, false],
    ['CONTRACTS.UNKNOWN_EVENT_TYPE', Status.INTERNAL, false],
    ['CONTRACTS.UNSUPPORTED_SCHEMA_VERSION', Status.FAILED_PRECONDITION, false],
    ['CONTRACTS.SCHEMA_VERSION_AHEAD', Status.FAILED_PRECONDITION, true],
    ['CONTRACTS.INVALID_REGISTRY', Status.INTERNAL, false],
    ['CONFIG.INVALID', Status.INTERNAL, false],
    ['DATABASE.MIGRATIONS_PENDING', Status.UNAVAILABLE, true],
    ['GRPC.UNAUTHENTICATED', Status.UNAUTHENTICATED, false],
    ['GRPC.PERMISSION_DENIED', Status.PERMISSION_DENIED, false],
    ['GRPC.DEADLINE_EXCEEDED', Status.DEADLINE_EXCEEDED, true],
    ['GRPC.INVALID_REQUEST', Status.INVALID_ARGUMENT, false],
    ['GRPC.TOO_MANY_WATCHES', Status.RESOURCE_EXHAUSTED, true],
    ['GRPC.INVALID_CONFIG', Status.INTERNAL, false],
    ['GRPC.INTERNAL', Status.INTERNAL, false],
  ])('sends %s as status %i, retriable %s', (code, status, retriable) => {
    // the error's own flag is overridden where the table decides (e.g. a duplicate is retriable)
    const { mapped, decoded } = roundTrip(domain(code, { retriable: !retriable }));
    expect(mapped.code).toBe(status);
    expect(decoded).toMatchObject({ status, code, retriable });
  });

  it('covers the whole table in the test above', () => {
    expect(Object.keys(PLATFORM_ERROR_CODES)).toHaveLength(30);
  });

  it('sends DomainError.details (expected and actual version) in the ErrorDetail metadata', () => {
    const error = domain('EVENT_STORE.WRONG_EXPECTED_VERSION', { retriable: true, details: { streamId: 'balance-window-1', expected: 3, actual: 5 } });
    expect(roundTrip(error).decoded).toMatchObject({ statusName: 'ABORTED', metadata: { streamId: 'balance-window-1', expected: '3', actual: '5' } });
    const partial = domain('EVENT_STORE.PARTIAL_DUPLICATE_BATCH', { details: { streamId: 's', storedEventIds: ['a', 'b'], newEventIds: ['c'], nested: { other: 'x' } } });
    expect(roundTrip(partial).decoded.metadata).toEqual({ streamId: 's', storedEventIds: 'a,b', newEventIds: 'c' });
  });

  it('hides the message and details of an upcast failure behind an incident id', () => {
    const error = domain('EVENT_STORE.UPCAST_FAILED', { details: { eventId: 'e-secret-id', type: 'Secret', schemaVersion: 1 } });
    error.message = 'upcasting Secret v1 (event e-secret-id at global position 42) failed';
    const { mapped, decoded } = roundTrip(error);
    expect(mapped.incidentId).toBeDefined();
    expect(decoded).toMatchObject({ statusName: 'INTERNAL', code: 'EVENT_STORE.UPCAST_FAILED', message: `internal error (incident ${mapped.incidentId})`, metadata: { incident_id: mapped.incidentId } });
    expect(JSON.stringify(decoded)).not.toMatch(/secret|\b42\b/i); // not the message, nor the detail 42 (an incident id may contain the digits)
  });
});
