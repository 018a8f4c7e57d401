import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MethodDefinition } from '@grpc/proto-loader';
import { loadProtoPackage } from './load-proto-package';
import { PROTO_ROOT } from './proto-root';
import { type ErrorDetail, type Quantity, type TimeRange } from './index';

// A throwaway service whose response carries the common types, so the test can run the same
// serializer/deserializer pair grpc-js uses on the wire.
const FIXTURE = `
syntax = "proto3";
package fixture.v1;
import "reflux/common/v1/time.proto";
import "reflux/common/v1/quantity.proto";
import "reflux/common/v1/error.proto";
message ProbeRequest {}
message ProbeResponse {
  reflux.common.v1.TimeRange range = 1;
  reflux.common.v1.Quantity quantity = 2;
  reflux.common.v1.ErrorDetail error = 3;
  int64 sequence = 4;
}
service ProbeService { rpc Probe(ProbeRequest) returns (ProbeResponse); }
`;

interface ProbeResponse {
  range: TimeRange | null;
  quantity: Quantity | null;
  error: ErrorDetail | null;
  sequence: string;
}

describe('loadProtoPackage', () => {
  let dir: string;
  let probe: MethodDefinition<object, ProbeResponse>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'reflux-proto-'));
    writeFileSync(join(dir, 'probe.proto'), FIXTURE);
    const pkg = loadProtoPackage('probe.proto', [dir]);
    probe = (pkg['fixture.v1.ProbeService'] as unknown as Record<string, MethodDefinition<object, ProbeResponse>>)['Probe']!;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('resolves our protos, vendored google/rpc and the well-known types from PROTO_ROOT', () => {
    const pkg = loadProtoPackage(['reflux/common/v1/error.proto', 'google/rpc/error_details.proto', join(PROTO_ROOT, 'reflux/common/v1/time.proto')]);
    expect(Object.keys(pkg)).toEqual(expect.arrayContaining(['reflux.common.v1.ErrorDetail', 'reflux.common.v1.TimeRange', 'google.rpc.BadRequest', 'google.protobuf.Timestamp']));
  });

  it('decodes messages into the shape the generated interfaces declare', () => {
    const wire = probe.responseSerialize({
      range: { startTime: { seconds: '1767225600', nanos: 5 } },
      quantity: { value: 12.5, unit: 'kg/s' },
      error: { code: 'INGESTION.TAG_NOT_FOUND', retriable: false, message: 'no tag', metadata: { tag_id: 'FI-101' } },
      sequence: '9007199254740993',
    } as unknown as ProbeResponse);
    const decoded = probe.responseDeserialize(wire);
    expect(decoded).toEqual({
      range: { startTime: { seconds: '1767225600', nanos: 5 }, endTime: null },
      quantity: { value: 12.5, unit: 'kg/s' },
      error: { code: 'INGESTION.TAG_NOT_FOUND', retriable: false, message: 'no tag', metadata: { tag_id: 'FI-101' }, retryDelay: null },
      // beyond 2^53: exact because longs are strings
      sequence: '9007199254740993',
    });
  });

  it('rejects an empty file list', () => {
    expect(() => loadProtoPackage([])).toThrow(/at least one/);
  });
});
