import { join } from 'node:path';
import { credentials, loadPackageDefinition, Metadata, type Client, type ServiceError } from '@grpc/grpc-js';
import { createDevelopmentToken } from '@reflux/grpc';
import { demoPlantPath, loadDemoPlant } from '@reflux/plant-model';
import { loadProtoPackage } from '@reflux/proto';
import { createTestDatabase, freePort, spawnUntilReady } from '@reflux/testing';

type UnaryMethod = (req: unknown, md: Metadata, cb: (err: ServiceError | null, res: never) => void) => void;

const SECRET = 'e2e-secret-of-at-least-thirty-two-characters';
const root = join(__dirname, '../../..');

describe('ingestion service process', () => {
  it('starts from its environment with the plant-model tags, serves writes and reads over gRPC, and stops on SIGTERM', async () => {
    const db = await createTestDatabase('ingestion_main');
    const port = await freePort();
    const { process: proc } = await spawnUntilReady(
      process.execPath,
      ['-r', join(root, 'scripts/register.cjs'), join(__dirname, '../src/main.ts')],
      (line) => (line.includes('ingestion service started') ? true : undefined),
      {
        timeoutMs: 60_000,
        env: {
          ...process.env,
          SERVICE_NAME: 'ingestion',
          DATABASE_URL: db.url,
          GRPC_PORT: String(port),
          AUTH_JWT_SECRET: SECRET,
          AUTH_JWT_DEVELOPMENT: 'true',
          PLANT_MODEL_FILES: demoPlantPath('petrochemical'),
          LOG_LEVEL: 'info',
        },
      },
    );
    const pkg = loadPackageDefinition(loadProtoPackage('reflux/ingestion/v1/ingestion.proto')) as unknown as {
      reflux: { ingestion: { v1: { IngestionService: new (a: string, c: ReturnType<typeof credentials.createInsecure>) => Client & Record<string, UnaryMethod> } } };
    };
    const client = new pkg.reflux.ingestion.v1.IngestionService(`127.0.0.1:${port}`, credentials.createInsecure());
    const md = new Metadata();
    md.set('authorization', `Bearer ${createDevelopmentToken(SECRET, ['ingest', 'viewer'], 'e2e')}`);
    const call = <T>(method: string, req: unknown) =>
      new Promise<T>((resolve, reject) => client[method](req, md, (err, res) => (err ? reject(err) : resolve(res as T))));
    try {
      const tag = loadDemoPlant('petrochemical').tags[0];
      const now = Date.now();
      const time = { seconds: String(Math.floor(now / 1000)), nanos: 0 };
      const written = await call<{ ack: { acceptedCount: number } }>('Write', { batch: { clientBatchId: 'e2e-1', samples: [{ tagId: tag.id, time, value: 1.5 }] } });
      expect(written.ack.acceptedCount).toBe(1);
      const latest = await call<{ samples: { tagId: string; value: number; unit: string }[] }>('GetLatest', { tagIds: [tag.id] });
      expect(latest.samples).toMatchObject([{ tagId: tag.id, value: 1.5, unit: tag.unit }]);
    } finally {
      client.close();
      await proc.stop('SIGTERM', 20_000);
      await db.drop();
    }
  });
});
