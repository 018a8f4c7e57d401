import { Pool } from 'pg';
import type { Logger } from 'pino';
import { GrpcPlatformServer, type GrpcPlatformConfigInput } from '@reflux/grpc';
import { loadProtoPackage } from '@reflux/proto';
import { HistoryReader } from './application/history-reader';
import { InProcessLatestValueCache } from './application/in-process-latest-value-cache';
import type { LatestValueCache } from './application/latest-value-cache.port';
import { DEFAULT_WRITER_CONFIG, MeasurementWriter, type MeasurementWriterDeps, type MeasurementWriterConfig } from './application/measurement-writer';
import type { TagCatalog } from './application/tag-catalog.port';
import { DEFAULT_STORAGE_OPTIONS, type StorageOptions } from './adapters/postgres/ingestion.schema';
import { openIngestionStorage, type IngestionStorage } from './adapters/postgres/ingestion-storage';
import { createIngestionHandlers } from './adapters/grpc/ingestion.grpc-handlers';
import { INGESTION_PROTO, INGESTION_SERVICE, ingestionServiceImplementation } from './adapters/grpc/ingestion.grpc-service';
import { DEFAULT_READ_LIMITS, type ReadLimits } from './domain/read-limits';

export interface IngestionAppOptions {
  readonly databaseUrl: string;
  readonly databasePoolMax?: number;
  readonly databaseStatementTimeoutMs?: number;
  readonly databaseConnectTimeoutMs?: number;
  /** Apply pending schema migrations at start (default); otherwise refuse to start while any are pending. */
  readonly migrateOnStart?: boolean;
  readonly storage?: Partial<StorageOptions>;
  readonly writer?: Partial<MeasurementWriterConfig>;
  readonly readLimits?: Partial<ReadLimits>;
  readonly grpc: GrpcPlatformConfigInput;
  readonly catalog: TagCatalog;
  readonly cache?: LatestValueCache;
  readonly logger: Logger;
  /** Period of partition, retention, batch-id and rollup upkeep, ms (default 30 s). */
  readonly maintenanceIntervalMs?: number;
  readonly onCommitted?: MeasurementWriterDeps['onCommitted'];
}

export interface IngestionApp {
  readonly port: number;
  readonly pool: Pool;
  readonly storage: IngestionStorage;
  readonly writer: MeasurementWriter;
  readonly reader: HistoryReader;
  readonly server: GrpcPlatformServer;
  /** Drains gRPC calls, waits for in-flight batches, closes the pool. */
  stop(): Promise<void>;
}

/** Composition root: PostgreSQL storage, writer and reader, and the IngestionService on gRPC. */
export async function startIngestionApp(o: IngestionAppOptions): Promise<IngestionApp> {
  const writerConfig = { ...DEFAULT_WRITER_CONFIG, ...o.writer };
  const storageOptions = { ...DEFAULT_STORAGE_OPTIONS, backfillHorizonS: writerConfig.backfillHorizonS, ...o.storage };
  if (storageOptions.backfillHorizonS >= storageOptions.retentionDays * 86_400) {
    throw new Error('the backfill horizon must be shorter than the retention period');
  }
  const pool = new Pool({
    connectionString: o.databaseUrl,
    max: o.databasePoolMax ?? 10,
    ...(o.databaseStatementTimeoutMs ? { statement_timeout: o.databaseStatementTimeoutMs } : {}),
    ...(o.databaseConnectTimeoutMs ? { connectionTimeoutMillis: o.databaseConnectTimeoutMs } : {}),
  });
  pool.on('error', (error) => o.logger.error({ err: error }, 'idle PostgreSQL connection failed'));
  try {
    const storage = await openIngestionStorage(pool, storageOptions, o.logger, o.migrateOnStart ?? true);
    const stopMaintenance = storage.startMaintenance(o.maintenanceIntervalMs ?? 30_000);
    const cache = o.cache ?? new InProcessLatestValueCache();
    const writer = new MeasurementWriter({ catalog: o.catalog, store: storage.store, cache, logger: o.logger, onCommitted: o.onCommitted }, writerConfig);
    const reader = new HistoryReader({ store: storage.history, cache, catalog: o.catalog }, { ...DEFAULT_READ_LIMITS, ...o.readLimits });
    const server = new GrpcPlatformServer({ config: o.grpc, logger: o.logger });
    server.addService(loadProtoPackage(INGESTION_PROTO), INGESTION_SERVICE, ingestionServiceImplementation(createIngestionHandlers({ writer, reader, catalog: o.catalog })));
    const port = await server.start();
    return {
      port,
      pool,
      storage,
      writer,
      reader,
      server,
      async stop() {
        await server.shutdown();
        stopMaintenance();
        await writer.close();
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}
