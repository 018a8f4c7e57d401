import { testStorageMode } from '@reflux/testing';
import { credentials, loadPackageDefinition, Metadata, status, type Client, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import { createDevelopmentToken, decodeGrpcError } from '@reflux/grpc';
import { loadProtoPackage } from '@reflux/proto';
import { InMemoryTagCatalog } from '../../application/in-memory-tag-catalog';
import { startIngestionApp, type IngestionApp } from '../../ingestion.app';
import { createTestDatabase, logger, tag } from '../../../test/fixture';
import { toTimestamp } from './ingestion.grpc-mappers';

const SECRET = 'grpc-test-secret-of-at-least-thirty-two-chars';
const T0 = Math.floor((Date.now() - 3_600_000) / 3_600_000) * 3_600_000;

type Unary = (req: unknown, md: Metadata, cb: (err: ServiceError | null, res: never) => void) => void;
type IngestionClient = Client & {
  WriteMeasurements(md: Metadata): ClientDuplexStream<unknown, { ack: Record<string, unknown> }>;
  Write: Unary;
  ReadRaw: Unary;
  GetLatest: Unary;
  ReadAggregates: Unary;
  ReadInterpolated: Unary;
  ListTags: Unary;
};

describe('IngestionService over gRPC', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: IngestionApp;
  let client: IngestionClient;
  const md = (roles: ('ingest' | 'viewer')[], subject = 'test') => {
    const m = new Metadata();
    m.set('authorization', `Bearer ${createDevelopmentToken(SECRET, roles, subject)}`);
    return m;
  };
  const call = <T>(method: Exclude<keyof IngestionClient, keyof Client | 'WriteMeasurements'>, req: unknown, roles: ('ingest' | 'viewer')[] = ['viewer'], subject = 'test') =>
    new Promise<T>((resolve, reject) => (client[method] as Unary)(req, md(roles, subject), (err, res) => (err ? reject(err) : resolve(res as T))));

  beforeAll(async () => {
    db = await createTestDatabase('ingestion_grpc');
    app = await startIngestionApp({
      databaseUrl: db.url,
      databasePoolMax: 4,
      storage: { timescale: testStorageMode() },
      grpc: { host: '127.0.0.1', port: 0, auth: { jwt: { hs256Secrets: [SECRET], development: true } } },
      catalog: new InMemoryTagCatalog([tag('TI-1'), tag('PI-1', { unit: 'bar', plantId: 'p2', stepped: true })]),
      logger,
    });
    const pkg = loadPackageDefinition(loadProtoPackage('reflux/ingestion/v1/ingestion.proto')) as unknown as {
      reflux: { ingestion: { v1: { IngestionService: new (a: string, c: ReturnType<typeof credentials.createInsecure>) => IngestionClient } } };
    };
    client = new pkg.reflux.ingestion.v1.IngestionService(`127.0.0.1:${app.port}`, credentials.createInsecure());
  });
  afterAll(async () => {
    client?.close();
    await app?.stop();
    await db?.drop();
  });

  it('acknowledges each streamed batch in order: committed, refused with an error detail, or replayed', async () => {
    const stream = client.WriteMeasurements(md(['ingest']));
    const acks: Record<string, unknown>[] = [];
    stream.on('data', (r) => acks.push(r.ack));
    const done = new Promise((resolve, reject) => stream.on('end', resolve).on('error', reject));
    const batch = {
      clientBatchId: 'g-1',
      samples: [
        { tagId: 'TI-1', time: toTimestamp(T0), value: 20 },
        { tagId: 'TI-1', time: toTimestamp(T0 + 60_000), value: 40, quality: 0x40000000 },
        { tagId: 'PI-1', time: toTimestamp(T0), value: 300, unit: 'kPa' },
        { tagId: 'XX-9', time: toTimestamp(T0), value: 1 },
      ],
    };
    stream.write({ batch });
    stream.write({ batch: { clientBatchId: '', samples: [] } });
    stream.write({ batch });
    stream.end();
    await done;
    expect(acks.map((a) => [a.clientBatchId, a.acceptedCount, a.duplicate])).toEqual([
      ['g-1', 3, false],
      ['', 0, false],
      ['g-1', 3, true],
    ]);
    expect(acks[0].rejected).toEqual([{ index: 3, tagId: 'XX-9', reason: 'REJECTION_REASON_UNKNOWN_TAG', detail: expect.any(String) }]);
    expect(acks[1].error).toMatchObject({ code: 'INGESTION.INVALID_REQUEST', retriable: false, metadata: { client_batch_id: expect.any(String), samples: expect.any(String) } });
  });

  it('fails a unary write of an invalid batch with INVALID_ARGUMENT and field violations', async () => {
    const error = await call('Write', { batch: { clientBatchId: '', samples: [] } }, ['ingest']).catch((e: unknown) => e);
    const decoded = decodeGrpcError(error);
    expect(decoded).toMatchObject({ status: status.INVALID_ARGUMENT, code: 'INGESTION.INVALID_REQUEST' });
    expect(decoded.fieldViolations.map((v) => v.field)).toEqual(['client_batch_id', 'samples']);
  });

  it('scopes batch ids by the authenticated caller, and refuses a reused id with other content with ALREADY_EXISTS naming the field', async () => {
    const batch = (value: number) => ({ batch: { clientBatchId: 'batch-0001', samples: [{ tagId: 'TI-1', time: toTimestamp(T0 - 500_000), value }] } });
    const a = await call<{ ack: { duplicate: boolean } }>('Write', batch(1), ['ingest'], 'connector-a');
    const b = await call<{ ack: { duplicate: boolean } }>('Write', batch(1), ['ingest'], 'connector-b');
    expect([a.ack.duplicate, b.ack.duplicate]).toEqual([false, false]);
    const error = await call('Write', batch(2), ['ingest'], 'connector-a').catch((e: unknown) => e);
    const decoded = decodeGrpcError(error);
    expect(decoded).toMatchObject({ status: status.ALREADY_EXISTS, code: 'INGESTION.BATCH_ID_CONFLICT' });
    expect(decoded.fieldViolations.map((v) => v.field)).toEqual(['client_batch_id']);
  });

  it('refuses writes from a principal without the ingest role', async () => {
    const error = await call('Write', { batch: { clientBatchId: 'v', samples: [{ tagId: 'TI-1', time: toTimestamp(T0), value: 1 }] } }, ['viewer']).catch((e: unknown) => e);
    expect(decodeGrpcError(error).status).toBe(status.PERMISSION_DENIED);
  });

  it('reads raw samples, latest values, aggregates and interpolated values in the tag unit', async () => {
    const range = { startTime: toTimestamp(T0), endTime: toTimestamp(T0 + 120_000) };
    const raw = await call<{ samples: { tagId: string; value: number; unit: string }[]; nextPageToken: string }>('ReadRaw', { tagIds: ['PI-1', 'TI-1'], range });
    expect(raw.samples.map((s) => [s.tagId, s.value, s.unit])).toEqual([
      ['PI-1', 3, 'bar'],
      ['TI-1', 20, 'degC'],
      ['TI-1', 40, 'degC'],
    ]);
    expect(raw.nextPageToken).toBe('');
    const latest = await call<{ samples: { tagId: string; value: number; quality: number }[] }>('GetLatest', { tagIds: ['TI-1'] });
    expect(latest.samples).toMatchObject([{ tagId: 'TI-1', value: 40, quality: 0x40000000 }]);
    const agg = await call<{ series: { tagId: string; unit: string; buckets: { count: string; avg: number; goodShareRatio: number; coverageRatio: number; timeWeightedAvg?: number }[] }[] }>(
      'ReadAggregates',
      { tagIds: ['TI-1'], range, bucketWidth: { seconds: 120, nanos: 0 }, functions: ['AGGREGATE_FUNCTION_AVG', 'AGGREGATE_FUNCTION_GOOD_SHARE', 'AGGREGATE_FUNCTION_COUNT', 'AGGREGATE_FUNCTION_COVERAGE'] },
    );
    expect(agg.series).toEqual([{ tagId: 'TI-1', unit: 'degC', buckets: [expect.objectContaining({ count: '2', avg: 30, goodShareRatio: 0.5, coverageRatio: 1 })] }]);
    expect(agg.series[0].buckets[0].timeWeightedAvg).toBeUndefined();
    const interp = await call<{ series: { values: { value?: number }[] }[] }>('ReadInterpolated', { tagIds: ['TI-1'], times: [toTimestamp(T0 + 30_000)] });
    expect(interp.series[0].values[0].value).toBe(30);
  });

  it('names the missing range bound of a read', async () => {
    const error = await call('ReadRaw', { tagIds: ['TI-1'], range: { startTime: toTimestamp(T0) } }).catch((e: unknown) => e);
    expect(decodeGrpcError(error).fieldViolations.map((v) => v.field)).toEqual(['range.end_time']);
  });

  it('lists the tags of a plant, paged', async () => {
    const page = await call<{ tags: { id: string; unit: string; stepped: boolean }[]; nextPageToken: string }>('ListTags', { plantId: 'p2', pageSize: 10 });
    expect(page.tags).toMatchObject([{ id: 'PI-1', unit: 'bar', stepped: true }]);
    const first = await call<{ tags: { id: string }[]; nextPageToken: string }>('ListTags', { pageSize: 1 });
    const second = await call<{ tags: { id: string }[]; nextPageToken: string }>('ListTags', { pageSize: 1, pageToken: first.nextPageToken });
    expect([first.tags[0].id, second.tags[0].id, second.nextPageToken]).toEqual(['PI-1', 'TI-1', '']);
  });
});
