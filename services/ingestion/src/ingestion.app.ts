import { assertNoPendingMigrations, createPgPool, watchDatabaseLiveness } from '@reflux/database';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { bindComponentHealth, GrpcPlatformServer, type GrpcPlatformConfigInput } from '@reflux/grpc';
import { ComponentHealth } from '@reflux/observability';
import type { Registry } from 'prom-client';
import { PostgresEventStore, eventStoreMigrations, migrateEventStore } from '@reflux/event-store';
import { openServiceBus, outboxCategory, type BusMonitoring, type ServiceBusOptions, type KafkaEventBusConfig } from '@reflux/messaging';
import { MeasurementsIngestedOutbox } from './adapters/bus/measurements-ingested.outbox';
import { CachedLatestSamples } from './application/cached-latest-samples';
import { HistoryReader } from './application/history-reader';
import { InProcessLatestValueCache } from './application/in-process-latest-value-cache';
import type { LatestValueCache } from './application/latest-value-cache.port';
import { DEFAULT_WRITER_CONFIG, MeasurementWriter, type MeasurementWriterDeps, type MeasurementWriterConfig } from './application/measurement-writer';
import type { TagCatalog } from './application/tag-catalog.port';
import { DEFAULT_STORAGE_OPTIONS, type StorageOptions } from './adapters/postgres/ingestion.schema';
import { openIngestionStorage, type IngestionStorage } from './adapters/postgres/ingestion-storage';
import { createIngestionHandlers } from './adapters/grpc/ingestion.grpc-handlers';
import { INGESTION_SERVICE, ingestionPackageDefinition, ingestionServiceImplementation } from './adapters/grpc/ingestion.grpc-service';
import { DEFAULT_READ_LIMITS, type ReadLimits } from './domain/read-limits';

/** Outbox streams of this service when EVENT_BUS=kafka: `outbox-ingestion-<subject>`. */
export const INGESTION_OUTBOX_CATEGORY = outboxCategory('ingestion');

export interface IngestionAppOptions {
  readonly databaseUrl: string;
  readonly databasePoolMax?: number;
  readonly databaseStatementTimeoutMs?: number;
  readonly databaseConnectTimeoutMs?: number;
  /** PEM CA of the PostgreSQL server certificate (DATABASE_SSL_CA_FILE). */
  readonly databaseSslCa?: string;
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
  /** Period of the rollup fold (native PostgreSQL), ms (default 5 s); each run folds at most two periods of data time unless far behind. */
  readonly rollupFoldIntervalMs?: number;
  readonly onCommitted?: MeasurementWriterDeps['onCommitted'];
  /**
   * Where MeasurementsIngested goes (transactional outbox, same transaction as the samples): the
   * PostgreSQL event log, or Kafka through an outbox relay. Not published when absent.
   */
  readonly bus?:
    | { readonly kind: 'postgres' }
    | {
        readonly kind: 'kafka';
        readonly brokers: readonly string[];
        readonly clientId: string;
        /** TLS, SASL and other kafkajs client settings (see kafkaBusConnection). */
        readonly client?: KafkaEventBusConfig['client'];
        /** Idempotent producer (KAFKA_PRODUCER_IDEMPOTENT, default true); off only for brokers without producer ids. */
        readonly idempotent?: boolean;
        /** Partitions, replication and retention of the topics the bus creates (KAFKA_TOPIC_*). */
        readonly topics?: KafkaEventBusConfig['topics'];
        /** Let the broker auto-create topics instead (test brokers without a usable admin API). */
        readonly allowAutoTopicCreation?: boolean;
        /** Bound of one outbox batch's publish (KAFKA_PUBLISH_TIMEOUT_MS, default 30 s). */
        readonly publishTimeoutMs?: number;
      };
  /** When the outbox relay turns health NOT_SERVING (a batch held too long). */
  readonly monitoring?: Pick<BusMonitoring, 'stuckAfterMs' | 'failAfterDeadLetters'>;
  /** Prometheus registry for gRPC call metrics, the relay's (`reflux_outbox_relay_*`) and `reflux_component_state`. */
  readonly metricsRegistry?: Registry;
}

export interface IngestionApp {
  readonly port: number;
  readonly pool: Pool;
  readonly storage: IngestionStorage;
  readonly writer: MeasurementWriter;
  readonly reader: HistoryReader;
  readonly server: GrpcPlatformServer;
  /** State of the outbox relay; gRPC health follows it. */
  readonly health: ComponentHealth;
  /** Drains gRPC calls, waits for in-flight batches, stops maintenance and the bus, closes the pool. */
  stop(): Promise<void>;
}

/** Composition root: event outbox, PostgreSQL storage, writer and reader, and the IngestionService on gRPC. */
export async function startIngestionApp(o: IngestionAppOptions): Promise<IngestionApp> {
  const writerConfig = { ...DEFAULT_WRITER_CONFIG, ...o.writer };
  const storageOptions = { ...DEFAULT_STORAGE_OPTIONS, backfillHorizonS: writerConfig.backfillHorizonS, ...o.storage };
  if (storageOptions.backfillHorizonS >= storageOptions.retentionDays * 86_400) {
    throw new Error('the backfill horizon must be shorter than the retention period');
  }
  const pool = createPgPool({
    url: o.databaseUrl,
    ...(o.databaseSslCa !== undefined && { sslCa: o.databaseSslCa }),
    applicationName: 'ingestion',
    max: o.databasePoolMax ?? 10,
    statementTimeoutMs: o.databaseStatementTimeoutMs ?? 0,
    ...(o.databaseConnectTimeoutMs ? { connectionTimeoutMs: o.databaseConnectTimeoutMs } : {}),
    logger: o.logger,
  });
  const cleanups: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch((error: unknown) => o.logger.error({ err: error }, 'shutdown step failed'));
    cleanups.length = 0;
  };
  cleanups.push(() => pool.end());
  const health = new ComponentHealth(o.metricsRegistry);
  const monitoring: BusMonitoring = { ...o.monitoring, health, ...(o.metricsRegistry && { metrics: o.metricsRegistry }) };
  // PostgreSQL unreachable (a failover, a restart) turns gRPC health NOT_SERVING until it answers.
  cleanups.push(watchDatabaseLiveness({ pool, health, logger: o.logger }));
  try {
    let outbox: MeasurementsIngestedOutbox | undefined;
    if (o.bus) {
      if (o.migrateOnStart ?? true) await migrateEventStore(pool);
      else await assertNoPendingMigrations(pool, [eventStoreMigrations], 'services/ingestion/src/migrate.ts');
      const eventStore = new PostgresEventStore({ pool, logger: o.logger, monitoring: { health, ...(o.metricsRegistry && { metrics: o.metricsRegistry }) } });
      cleanups.push(() => eventStore.close());
      let kafka: ServiceBusOptions['kafka'];
      if (o.bus.kind === 'kafka') {
        const { kind: _kind, ...rest } = o.bus;
        kafka = { ...rest, brokers: [...rest.brokers], idempotent: rest.idempotent ?? true };
      }
      // Its own outbox category with Kafka, so its relay forwards no other service's outbox.
      const serviceBus = openServiceBus({ eventStore, pool, logger: o.logger, monitoring, outboxCategory: INGESTION_OUTBOX_CATEGORY, relayId: 'ingestion-outbox-relay', ...(kafka && { kafka }) });
      cleanups.push(serviceBus.stop);
      outbox = new MeasurementsIngestedOutbox(serviceBus.outbox);
    }
    const storage = await openIngestionStorage(pool, storageOptions, o.logger, o.migrateOnStart ?? true, outbox);
    cleanups.push(() => storage.publisher?.drain());
    cleanups.push(storage.startMaintenance(o.maintenanceIntervalMs ?? 30_000, o.rollupFoldIntervalMs));
    const cache = o.cache ?? new InProcessLatestValueCache();
    const latest = new CachedLatestSamples(cache, storage.history, o.logger);
    const writer = new MeasurementWriter({ catalog: o.catalog, store: storage.store, cache, latest, logger: o.logger, onCommitted: o.onCommitted }, writerConfig);
    const reader = new HistoryReader({ store: storage.history, latest, catalog: o.catalog }, { ...DEFAULT_READ_LIMITS, ...o.readLimits });
    cleanups.push(() => writer.close());
    const server = new GrpcPlatformServer({ config: o.grpc, logger: o.logger, metricsRegistry: o.metricsRegistry });
    server.addService(ingestionPackageDefinition(), INGESTION_SERVICE, ingestionServiceImplementation(createIngestionHandlers({ writer, reader, catalog: o.catalog })));
    const port = await server.start();
    cleanups.push(() => server.shutdown());
    // A stopped or stuck outbox relay turns gRPC health NOT_SERVING.
    cleanups.push(bindComponentHealth(server.health, health, [INGESTION_SERVICE]));
    cleanups.push(() => health.beginShutdown()); // first: components stop on purpose from here on
    return {
      port,
      pool,
      storage,
      writer,
      reader,
      server,
      health,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
